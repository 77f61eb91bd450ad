// The model overview and its slow motion, the generator manifold and the gradient arrows, and the
// pre-trained 2D models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, openPage, text, number, waitFor, ready, canvasPixels, inkPixels, maxPixelDifference, screenshot } from './harness.mjs';

const ctx = useBrowser({ webgpu: false });

const layer = (page, name) => page.locator(`[data-testid="layer-toggles"] input[data-layer="${name}"]`);
const settle = () => new Promise((ok) => setTimeout(ok, 700));

async function trainTo(page, steps) {
  await page.getByTestId('train-toggle').click();
  await waitFor(`step ${steps}`, async () => (await number(page, 'step-count')) >= steps, 120_000);
  await page.getByTestId('train-toggle').click();
  await waitFor('the pause', async () => (await text(page, 'train-toggle')) === 'Train', 10_000);
  await settle();
}

/** Indices of pixels that differ clearly between two canvases of one size. */
function changedPixels(a, b) {
  const changed = new Set();
  for (let i = 0; i < a.data.length; i += 4) {
    if ([0, 1, 2].some((c) => Math.abs(a.data[i + c] - b.data[i + c]) > 24)) changed.add(i / 4);
  }
  return changed;
}

/** The parts of the overview carrying `active`. */
const activeParts = (page) =>
  page.$$eval('[data-testid="overview-diagram"] .part.active', (parts) => parts.map((p) => p.dataset.part));

/** A downloaded weight file's bytes per network: every tensor whose name starts with it. */
async function networkBytes(page) {
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-slowmo-'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-weights-button').click()]);
  const path = join(dir, 'w.safetensors');
  await download.saveAs(path);
  const bytes = await readFile(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const body = bytes.subarray(8 + headerLength);
  const of = (prefix) =>
    Buffer.concat(
      Object.keys(header)
        .filter((name) => name.startsWith(prefix))
        .sort()
        .map((name) => body.subarray(...header[name].data_offsets)),
    );
  return { critic: of('critic.'), generator: of('generator.') };
}

test('the generator manifold appears, bends while training, and switches off', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8&hide=real,generated,surface');
  await ready(page, 'cpu');
  await settle();
  assert.equal(await layer(page, 'manifold').isChecked(), true);
  const before = await canvasPixels(page, 'sample-canvas');
  await trainTo(page, 300);
  const after = await canvasPixels(page, 'sample-canvas');
  assert.ok(changedPixels(before, after).size > 200, 'the mesh moves as G trains');
  await screenshot(page, 'manifold');
  await layer(page, 'manifold').uncheck();
  await waitFor('the link', async () => page.url().includes('manifold'));
  await settle();
  const none = await canvasPixels(page, 'sample-canvas');
  assert.ok(inkPixels(after) - inkPixels(none) > 500, `the mesh is drawn: ${inkPixels(after)} vs ${inkPixels(none)} ink pixels`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('gradient arrows sit on the generated points, change while training, and switch off', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8&hide=real,surface,manifold');
  await ready(page, 'cpu');
  await trainTo(page, 50);
  const arrowsAt = async () => {
    const withArrows = await canvasPixels(page, 'sample-canvas');
    await layer(page, 'arrows').uncheck();
    await settle();
    const without = await canvasPixels(page, 'sample-canvas');
    await layer(page, 'arrows').check();
    await settle();
    return changedPixels(without, withArrows);
  };
  const early = await arrowsAt();
  assert.ok(early.size > 150, `arrows are drawn: ${early.size} pixels`);
  await screenshot(page, 'arrows');
  await trainTo(page, 400);
  const later = await arrowsAt();
  const moved = [...later].filter((i) => !early.has(i)).length;
  assert.ok(moved > 100, `the arrows change as training goes on: ${moved} new pixels`);
  // Hiding the generated points hides their arrows too.
  const shown = await canvasPixels(page, 'sample-canvas');
  await layer(page, 'generated').uncheck();
  await settle();
  const bare = await canvasPixels(page, 'sample-canvas');
  assert.ok(inkPixels(bare) * 10 < inkPixels(shown), `points and arrows are gone: ${inkPixels(shown)} → ${inkPixels(bare)} ink pixels`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('slow motion walks a step phase by phase: the D update changes only D, the G update only G', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await ready(page, 'cpu');
  assert.deepEqual(await activeParts(page), [], 'nothing is at work while idle');
  const phases = [];
  const advance = async () => {
    await waitFor('slow motion ready', async () => page.getByTestId('slowmo-button').isEnabled(), 20_000);
    await page.getByTestId('slowmo-button').click();
    await waitFor('the next phase', async () => (await page.getByTestId('slowmo-phase').count()) === 1 && (await text(page, 'slowmo-phase')) !== phases.at(-1));
    phases.push(await text(page, 'slowmo-phase'));
  };
  for (let i = 0; i < 5; i++) await advance();
  assert.deepEqual(await activeParts(page), ['discriminator', 'loss', 'gradients']);
  const start = await networkBytes(page);

  await advance(); // update D
  assert.deepEqual((await activeParts(page)).sort(), ['discriminator', 'update']);
  await waitFor('the D update', async () => page.getByTestId('slowmo-button').isEnabled(), 20_000);
  const afterD = await networkBytes(page);
  assert.ok(!afterD.critic.equals(start.critic), 'D changed');
  assert.ok(afterD.generator.equals(start.generator), 'G did not');
  assert.equal(await number(page, 'step-count'), 0);

  for (let i = 0; i < 3; i++) await advance(); // G's loss, its gradients, update G
  assert.deepEqual((await activeParts(page)).sort(), ['generator', 'update']);
  await waitFor('the G update', async () => (await number(page, 'step-count')) === 1, 20_000);
  const afterG = await networkBytes(page);
  assert.ok(afterG.critic.equals(afterD.critic), 'D did not change');
  assert.ok(!afterG.generator.equals(afterD.generator), 'G changed');
  await screenshot(page, 'slow-motion');

  await advance(); // a new step begins
  assert.deepEqual(phases, [
    '1/9 sample noise', '2/9 generate', '3/9 score real and fake', '4/9 discriminator loss',
    '5/9 backpropagate into D', '6/9 update D', '7/9 generator loss', '8/9 backpropagate through D into G',
    '9/9 update G', '1/9 sample noise',
  ]);
  assert.match(await text(page, 'slowmo-explanation'), /noise/);

  // Training leaves slow motion; the overview then shows both networks at work.
  await page.getByTestId('train-toggle').click();
  await waitFor('training', async () => (await activeParts(page)).includes('generator'));
  assert.ok((await activeParts(page)).includes('discriminator'));
  assert.equal(await page.getByTestId('slowmo-phase').count(), 0);
  await page.getByTestId('train-toggle').click();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a pre-trained 2D model loads in one click and covers its modes', { timeout: 180_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=grid25');
  await ready(page, 'cpu');
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await number(page, 'step-count')) >= 30000, 60_000);
  assert.equal(await page.getByTestId('dataset-select').inputValue(), 'grid25');
  assert.match(await text(page, 'weights-notice'), /bundled/);
  await waitFor('its modes', async () => /^\d+\/25$/.test(await text(page, 'metric-modes')));
  const covered = Number.parseInt(await text(page, 'metric-modes'), 10);
  assert.ok(covered >= 24, `the bundled grid25 model covers ${covered}/25 modes`);
  // Drawn points have no bundled model.
  await page.getByTestId('dataset-select').selectOption('custom');
  await waitFor('no bundled model', async () => page.getByTestId('load-pretrained-button').isDisabled());
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('two runs side by side: run B changes one knob, trains in lockstep and stays in the link', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8&loss-select=leastsquares');
  await ready(page, 'cpu');
  await page.getByTestId('compare-knob').selectOption('loss-select');
  await page.getByTestId('compare-value').selectOption('nonsaturating');
  await waitFor('run B', async () => (await page.getByTestId('compare-canvas').count()) === 1);
  await waitFor('the link', async () => page.url().includes('compare=loss-select.nonsaturating'));
  assert.match(await page.getByTestId('compare-panel').innerText(), /run B \(loss: Non-saturating/);
  const [boxA, boxB] = [await page.getByTestId('sample-canvas').boundingBox(), await page.getByTestId('compare-canvas').boundingBox()];
  assert.ok(boxB.x >= boxA.x + boxA.width && boxB.y < boxA.y + boxA.height, `run B's plot stands beside run A's (A ${JSON.stringify(boxA)}, B ${JSON.stringify(boxB)})`);

  await page.getByTestId('step-button').click();
  await waitFor('one step of each', async () => (await text(page, 'compare-step-count')) === '1' && (await text(page, 'step-count')) === '1', 20_000);
  await trainTo(page, 300);
  assert.equal(await text(page, 'compare-step-count'), await text(page, 'step-count'), 'lockstep');
  assert.match(await text(page, 'compare-modes'), /^\d\/8$/);
  assert.ok(Number.isFinite(Number.parseFloat(await text(page, 'compare-kl'))));
  const [a, b] = [await canvasPixels(page, 'sample-canvas'), await canvasPixels(page, 'compare-canvas')];
  assert.ok(inkPixels(b) > 1000, 'run B is drawn');
  assert.ok(maxPixelDifference(a, b) > 24, 'the two losses train differently');
  await screenshot(page, 'side-by-side');

  const reopened = await openPage(ctx.browser, ctx.server.url, new URL(page.url()).search);
  await ready(reopened, 'cpu');
  assert.equal(await reopened.getByTestId('compare-knob').inputValue(), 'loss-select');
  assert.equal(await reopened.getByTestId('compare-value').inputValue(), 'nonsaturating');
  await reopened.getByTestId('compare-knob').selectOption('');
  await waitFor('one run again', async () => (await reopened.getByTestId('compare-canvas').count()) === 0);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(reopened.errors, []);
  await page.close();
  await reopened.close();
});
