// What no other playground shows on image models: the discriminator's score under every digit,
// its histogram and history; a sample's nearest training digits; a latent walk from its noise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, text, number, waitFor, screenshot, canvasPixels, inkPixels, gridShown } from './harness.mjs';

const ctx = useBrowser({ webgpu: false });

async function openPretrained(model) {
  const page = await openPage(ctx.browser, ctx.server.url, `?backend=cpu&dataset=mnist&model=${model}`);
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await gridShown(page);
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  await waitFor('its step count', async () => (await number(page, 'step-count')) >= 1000);
  return page;
}

const scores = (page, kind) =>
  page.$$eval(`[data-testid="d-scores"] .scored[data-kind="${kind}"]`, (cells) => cells.map((c) => Number(c.dataset.score)));
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The 28 × 28 pixels of cell `index` of a grid canvas (2 px padding, 30 px pitch). */
function cell(pixels, index, columns = 8) {
  const out = [];
  const [cx, cy] = [index % columns, Math.floor(index / columns)];
  for (let y = 2; y < 30; y++) {
    const start = ((cy * 30 + y) * pixels.width + 2 + cx * 30) * 4;
    out.push(...pixels.data.slice(start, start + 28 * 4));
  }
  return out;
}
const close = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 1);

test('the discriminator scores every digit shown; its histogram and history follow training', { timeout: 180_000 }, async () => {
  const page = await openPretrained('dcgan');
  await waitFor('the scores', async () => (await scores(page, 'real')).length === 16);
  const real = await scores(page, 'real');
  const fake = await scores(page, 'generated');
  assert.equal(fake.length, 16);
  for (const s of [...real, ...fake]) assert.ok(s >= 0 && s <= 1, `a belief in [0, 1]: ${s}`);
  assert.notDeepEqual(real, fake);
  console.log(`bundled dcgan: mean D(real) ${mean(real).toFixed(3)}, mean D(fake) ${mean(fake).toFixed(3)}`);
  assert.ok(inkPixels(await canvasPixels(page, 'd-histogram')) > 100, 'the histogram is drawn');

  // One discriminator update changes its scores, and the history chart gets its points.
  await page.getByTestId('d-step-button').click();
  await waitFor('new scores', async () => JSON.stringify(await scores(page, 'real')) !== JSON.stringify(real), 30_000);
  await page.getByTestId('step-button').click();
  await waitFor('a step', async () => (await number(page, 'step-count')) > 0 && (await page.getByTestId('step-button').isEnabled()));
  await waitFor('the score chart', async () => inkPixels(await canvasPixels(page, 'd-score-chart')) > 100);
  await screenshot(page, 'discriminator-scores');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a clicked sample shows its nearest training digits, and a latent walk redraws it', { timeout: 180_000 }, async () => {
  const page = await openPretrained('dcgan');
  const grid = await canvasPixels(page, 'sample-canvas');
  const box = await page.getByTestId('sample-canvas').boundingBox();
  // The centre of the second cell (pixels 32..60), in CSS pixels.
  const scale = box.width / grid.width;
  await page.getByTestId('sample-canvas').click({ position: { x: 46 * scale, y: 16 * scale } });
  await waitFor('the inspector', async () => (await page.getByTestId('sample-inspector').count()) === 1);
  // The canvas is drawn (and sized) after the inspector appears: wait for the drawing, the sample
  // and five neighbours, six cells 182 px wide.
  const nearest = await waitFor('the sample and five neighbours drawn', async () => {
    const pixels = await canvasPixels(page, 'nearest-canvas');
    return pixels.width === 6 * 30 + 2 && pixels;
  });
  assert.ok(close(cell(nearest, 0, 6), cell(grid, 1)), 'the picked sample comes first');
  const distances = (await text(page, 'nearest-distance')).match(/\d+\.\d+/g).map(Number);
  assert.equal(distances.length, 5);
  assert.ok(distances.every((d, i) => d > 0 && (i === 0 || d >= distances[i - 1])), `nearest first: ${distances}`);

  const walk = async () => canvasPixels(page, 'walk-canvas');
  const start = await walk();
  const slider = page.locator('[data-testid="walk-slider"][data-dim="0"]');
  assert.equal(await page.getByTestId('walk-slider').count(), 8, 'one slider per coordinate shown');
  await slider.evaluate((el) => {
    el.value = Number(el.value) > 0 ? '-3' : '3';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await waitFor('the walked image', async () => (await walk()).data.some((v, i) => Math.abs(v - start.data[i]) > 24));
  await screenshot(page, 'latent-walk');
  await page.getByTestId('walk-reset').click();
  await waitFor('back to the sample', async () => {
    const back = await walk();
    return back.data.every((v, i) => Math.abs(v - start.data[i]) <= 1);
  });
  assert.deepEqual(page.errors, []);
  await page.close();
});
