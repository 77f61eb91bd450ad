// The 2D teaching views: the divergence read-outs and chart, the layer toggles (which also stay in
// the link), the keyboard (space trains and pauses, `s` steps), and the generator-steps and
// packing knobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, text, number, waitFor, ready, canvasPixels, inkPixels, maxPixelDifference } from './harness.mjs';

const ctx = useBrowser({ webgpu: false });

const layer = (page, name) => page.locator(`[data-testid="layer-toggles"] input[data-layer="${name}"]`);

async function pause(page) {
  if ((await text(page, 'train-toggle')) === 'Pause') await page.keyboard.press('Space');
  await waitFor('the pause', async () => (await text(page, 'train-toggle')) === 'Train', 10_000);
  await new Promise((ok) => setTimeout(ok, 600)); // let the last frame's redraw land
}

test('KL and JS fall while ring8 trains, and their chart draws and moves', { timeout: 300_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await ready(page, 'cpu');
  // The untrained generator: finite divergences, JS within (0, ln 2].
  await waitFor('divergences', async () => Number.isFinite(await number(page, 'metric-js')));
  const js0 = await number(page, 'metric-js');
  const kl0 = await number(page, 'metric-kl');
  assert.ok(js0 > 0 && js0 <= Math.LN2 + 1e-3, `JS of the untrained model: ${js0}`);
  assert.match(await page.getByTestId('metric-kl').locator('..').getAttribute('title'), /floor \d/);

  await page.keyboard.press('Space');
  await waitFor('step 100', async () => (await number(page, 'step-count')) >= 100, 120_000);
  await pause(page);
  const early = await canvasPixels(page, 'divergence-chart');
  await page.keyboard.press('Space');
  await waitFor('step 1200', async () => (await number(page, 'step-count')) >= 1200, 180_000);
  await pause(page);
  const later = await canvasPixels(page, 'divergence-chart');
  assert.ok(inkPixels(later) > 100, 'the divergence chart shows ink');
  assert.ok(maxPixelDifference(early, later) > 24, 'the divergence chart moves');
  const [kl, js] = [await number(page, 'metric-kl'), await number(page, 'metric-js')];
  assert.ok(js < js0 && kl < kl0, `training lowers the divergences: KL ${kl0} → ${kl}, JS ${js0} → ${js}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('layers switch off and on, and stay in the link', { timeout: 180_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await ready(page, 'cpu');
  await new Promise((ok) => setTimeout(ok, 600));
  const all = await canvasPixels(page, 'sample-canvas');
  for (const name of ['real', 'generated', 'surface']) assert.equal(await layer(page, name).isChecked(), true);

  await layer(page, 'surface').uncheck();
  await waitFor('the link', async () => page.url().includes('hide=surface'));
  await new Promise((ok) => setTimeout(ok, 600));
  const noSurface = await canvasPixels(page, 'sample-canvas');
  assert.ok(maxPixelDifference(all, noSurface) > 24, 'the decision surface disappears');
  await layer(page, 'real').uncheck();
  await layer(page, 'generated').uncheck();
  await new Promise((ok) => setTimeout(ok, 600));
  const empty = await canvasPixels(page, 'sample-canvas');
  assert.ok(inkPixels(empty) < inkPixels(noSurface), 'no points are drawn with both point layers off');

  // A link keeps the layers.
  const reopened = await openPage(ctx.browser, ctx.server.url, new URL(page.url()).search);
  await ready(reopened, 'cpu');
  assert.equal(await layer(reopened, 'surface').isChecked(), false);
  assert.equal(await layer(reopened, 'real').isChecked(), false);
  await layer(reopened, 'surface').check();
  await waitFor('the link', async () => !reopened.url().includes('surface'));
  assert.deepEqual(page.errors, []);
  assert.deepEqual(reopened.errors, []);
  await page.close();
  await reopened.close();
});

test('space trains and pauses, s steps once, and typing in a field does neither', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await ready(page, 'cpu');
  await page.keyboard.press('s');
  await waitFor('one step', async () => (await number(page, 'step-count')) === 1, 20_000);
  await page.keyboard.press('Space');
  await waitFor('training', async () => (await number(page, 'step-count')) > 5, 30_000);
  await pause(page);
  const steps = await number(page, 'step-count');
  // Keys typed into a knob stay in the knob.
  const seed = page.getByTestId('seed');
  await seed.click();
  await page.keyboard.press('s');
  await page.keyboard.press('Space');
  await new Promise((ok) => setTimeout(ok, 800));
  assert.equal(await number(page, 'step-count'), steps);
  assert.equal(await text(page, 'train-toggle'), 'Train');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('generator steps and packing are knobs: they train, stay in the link and refuse nonsense', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8&g-steps=2&packing=4');
  await ready(page, 'cpu');
  assert.equal(await page.getByTestId('g-steps').inputValue(), '2');
  assert.equal(await page.getByTestId('packing').inputValue(), '4');
  await page.getByTestId('step-button').click();
  await waitFor('one step', async () => (await number(page, 'step-count')) === 1, 20_000);
  assert.ok(Number.isFinite(await number(page, 'loss-d')) && Number.isFinite(await number(page, 'loss-g')));

  await page.getByTestId('packing').fill('9');
  await page.getByTestId('packing').press('Enter');
  await waitFor('the refusal', async () => (await page.getByTestId('packing-error').count()) === 1);
  assert.match(await text(page, 'packing-error'), /between 1 and 8/);
  await page.getByTestId('g-steps').fill('3');
  await page.getByTestId('g-steps').press('Enter');
  await waitFor('the link', async () => page.url().includes('g-steps=3'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a failure preset explains itself, its fix is one click away, and the fix trains as promised', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=mnist&model=dcgan');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu', 60_000);
  await page.getByTestId('preset-select').selectOption('collapse');
  await ready(page, 'cpu');
  assert.equal(await page.getByTestId('dataset-select').inputValue(), 'ring8');
  assert.equal(await page.getByTestId('loss-select').inputValue(), 'nonsaturating');
  assert.match(await text(page, 'preset-explanation'), /covers at most 2\/8 modes/);
  assert.ok(page.url().includes('preset=collapse'));

  await page.getByTestId('preset-fix-button').click();
  await waitFor('the fix', async () => (await page.getByTestId('preset-select').inputValue()) === 'collapse-fixed');
  assert.equal(await page.getByTestId('packing').inputValue(), '4');
  await ready(page, 'cpu');
  await page.keyboard.press('Space');
  await waitFor('step 800', async () => (await number(page, 'step-count')) >= 800, 120_000);
  await pause(page);
  assert.equal(await text(page, 'metric-modes'), '8/8');

  // Changing a knob leaves the lesson: its explanation no longer holds.
  await page.getByTestId('packing').fill('2');
  await page.getByTestId('packing').press('Enter');
  await waitFor('no lesson', async () => (await page.getByTestId('preset-explanation').count()) === 0);
  assert.equal(await page.getByTestId('preset-select').inputValue(), '');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('on a phone-sized screen (390 × 844) nothing overflows sideways and the model comes first', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await page.setViewportSize({ width: 390, height: 844 });
  await ready(page, 'cpu');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'no sideways scrolling');
  const train = await page.getByTestId('train-toggle').boundingBox();
  assert.ok(train.y + train.height <= 844, `Train is on the first screen (bottom at ${train.y + train.height})`);
  const plot = await page.getByTestId('sample-canvas').boundingBox();
  assert.ok(plot.x >= 0 && plot.x + plot.width <= 390 && plot.y < 844, `the plot fits the width: ${JSON.stringify(plot)}`);
  await page.getByTestId('train-toggle').click();
  await waitFor('training', async () => (await number(page, 'step-count')) > 20, 30_000);
  await pause(page);
  assert.deepEqual(page.errors, []);
  await page.close();
});
