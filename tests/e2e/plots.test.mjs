// Every plot shows ink once a model has trained a few steps, and changes as training goes on:
// the 2D sample plot and the loss chart for ring8, and for a VAE the sample grid, the latent
// interpolation, the reconstructions, the encoded test digits, the latent map and the losses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, text, number, waitFor, ready, gridShown, canvasPixels, inkPixels, maxPixelDifference } from './harness.mjs';

const ctx = useBrowser({ webgpu: false });

/** Trains until the step count has risen by `more`, then pauses. */
async function trainFor(page, more) {
  const target = (await number(page, 'step-count')) + more;
  await page.getByTestId('train-toggle').click();
  await waitFor(`step ${target}`, async () => (await number(page, 'step-count')) >= target, 120_000);
  await page.getByTestId('train-toggle').click();
  await waitFor('the pause', async () => (await text(page, 'train-toggle')) === 'Train', 10_000);
  await new Promise((ok) => setTimeout(ok, 600)); // let the last frame's redraw land
}

async function snapshot(page, ids) {
  const shots = {};
  for (const id of ids) shots[id] = await canvasPixels(page, id);
  return shots;
}

function assertInkAndChange(before, after) {
  for (const [id, pixels] of Object.entries(after)) {
    const ink = inkPixels(pixels);
    assert.ok(ink > 100, `${id} shows ink after training (${ink} pixels)`);
    assert.ok(maxPixelDifference(before[id], pixels) > 24, `${id} changes as training goes on`);
  }
}

test('ring8: the sample plot and the loss chart draw and move while training', { timeout: 300_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await ready(page, 'cpu');
  const ids = ['sample-canvas', 'loss-chart'];
  await trainFor(page, 50);
  const early = await snapshot(page, ids);
  await trainFor(page, 200);
  assertInkAndChange(early, await snapshot(page, ids));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('VAE: every image view and the loss chart draw and move while training', { timeout: 300_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=mnist&model=vae');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await gridShown(page);
  const ids = ['sample-canvas', 'interpolation-canvas', 'reconstruction-canvas', 'latent-scatter-canvas',
    'latent-map-canvas', 'loss-chart'];
  await trainFor(page, 10);
  const early = await snapshot(page, ids);
  await trainFor(page, 40);
  assertInkAndChange(early, await snapshot(page, ids));
  assert.deepEqual(page.errors, []);
  await page.close();
});
