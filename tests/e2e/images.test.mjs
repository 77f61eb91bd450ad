// Image models in the page: each trains on the bundled digits, bundled weights sample at once,
// conditional models draw the chosen class, VAEs show reconstructions and their latent space,
// and broken weight files leave the current model alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, openPage, text, number, waitFor, screenshot, readmeScreenshot, canvasPixels, greyLevels, gridShown, steps } from './harness.mjs';

const ctx = useBrowser({ webgpu: true });

async function openModel(model) {
  const page = await openPage(ctx.browser, ctx.server.url, `?backend=cpu&dataset=mnist&model=${model}`);
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await gridShown(page, model === 'cgan' || model === 'cvae' ? 8 : 8);
  return page;
}

for (const model of ['gan-mlp', 'dcgan', 'cgan', 'wgan', 'vae', 'cvae', 'ssgan', 'm2']) {
  test(`${model} trains on the digits in the page`, { timeout: 180_000 }, async () => {
    const page = await openModel(model);
    const before = await canvasPixels(page, 'sample-canvas');
    await steps(page, 3);
    const loss = await number(page, 'loss-g');
    assert.ok(Number.isFinite(loss), `loss-g ${loss}`);
    // The VAEs, the semi-supervised one (m2) too: one update, the ELBO's two terms.
    if (model.includes('vae') || model === 'm2') {
      assert.equal(await text(page, 'loss-d'), '–');
      assert.ok(Number.isFinite(await number(page, 'loss-recon')));
      assert.ok(Number.isFinite(await number(page, 'loss-kl')));
      assert.ok(await page.getByTestId('d-step-button').isDisabled());
    } else {
      assert.ok(Number.isFinite(await number(page, 'loss-d')));
    }
    // The same fixed noise, three updates later: the samples changed.
    await waitFor('new samples', async () => {
      const after = await canvasPixels(page, 'sample-canvas');
      return after.data.some((v, i) => v !== before.data[i]);
    });
    assert.equal(await page.getByTestId('metric-modes').count(), 0, 'no 2D metrics for images');
    // The interpolation strip runs from the grid's first sample to its second.
    const grid = await canvasPixels(page, 'sample-canvas');
    const strip = await canvasPixels(page, 'interpolation-canvas');
    // (Within one grey level: a batch of another size may sum in another order.)
    const close = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 1);
    assert.ok(close(cell(strip, 0), cell(grid, 0)), 'strip starts at the first sample');
    assert.ok(close(cell(strip, 9), cell(grid, 1)), 'strip ends at the second sample');
    assert.ok(!close(cell(strip, 0), cell(strip, 9)), 'and moves in between');
    await screenshot(page, `images-${model}`);
    assert.deepEqual(page.errors, []);
  });
}

test('bundled weights sample at once, per class for the conditional GAN', { timeout: 180_000 }, async () => {
  const page = await openModel('cgan');
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  assert.match(await text(page, 'weights-notice'), /bundled weights: cgan at step \d+, trained on mnist by ganplay-cli/);
  assert.ok(Number(await text(page, 'step-count')) >= 1000, 'the trained step count is shown');
  // One row per class: 10 rows of 8.
  await waitFor('ten rows', async () => (await canvasPixels(page, 'sample-canvas')).height === 10 * 30 + 2);
  const all = await canvasPixels(page, 'sample-canvas');
  assert.ok(greyLevels(all) > 50, 'real pictures, not a blank canvas');
  await readmeScreenshot(page, 'sample-canvas');
  await page.getByTestId('class-select').selectOption('3');
  await waitFor('a grid of threes', async () => (await canvasPixels(page, 'sample-canvas')).height === 8 * 30 + 2);
  await screenshot(page, 'images-cgan-pretrained-threes');
  // Sampling is immediate: no training happened.
  assert.equal(await text(page, 'train-toggle'), 'Train');
  assert.deepEqual(page.errors, []);
});

test('the semi-supervised GAN loads its bundled weights and samples digits', { timeout: 180_000 }, async () => {
  const page = await openModel('ssgan');
  assert.match(await text(page, 'model-facts'), /labelled digits per class, every training digit unlabelled/);
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  assert.match(await text(page, 'weights-notice'), /bundled weights: ssgan at step 6000, trained on mnist by ganplay-cli/);
  await waitFor('digits drawn', async () => greyLevels(await canvasPixels(page, 'sample-canvas')) > 50);
  assert.deepEqual(page.errors, []);
});

/** How often the page fetched each of the bundled digits' files so far. */
async function digitFetches(page) {
  const names = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name.split('/').pop()));
  const counts = {};
  for (const name of names.filter((n) => /^mnist-.*\.idx\.gz$/.test(n))) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

test('the digits download once, even when weights are asked for while they load', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=mnist&model=dcgan');
  // As early as a user can: the button exists before the digits have arrived.
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  await gridShown(page);
  const counts = await digitFetches(page);
  assert.equal(Object.keys(counts).length, 4, `the four files: ${JSON.stringify(counts)}`);
  for (const [name, n] of Object.entries(counts)) assert.equal(n, 1, `${name} fetched ${n} times`);
  assert.deepEqual(page.errors, []);
});

test('bundled 2D weights load without downloading the digits', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  assert.deepEqual(await digitFetches(page), {});
  assert.deepEqual(page.errors, []);
});

test('a VAE shows reconstructions, encoded test digits and its latent map', { timeout: 180_000 }, async () => {
  const page = await openModel('vae');
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  // Canvases are drawn (and sized) after they appear: wait for the map's drawing.
  await waitFor('the latent map drawn', async () => (await page.getByTestId('latent-map-canvas').count()) === 1
    && (await canvasPixels(page, 'latent-map-canvas')).width === 12 * 30 + 2);
  const recon = await canvasPixels(page, 'reconstruction-canvas');
  assert.equal(recon.width, 8 * 30 + 2);
  assert.equal(recon.height, 2 * 30 + 2);
  assert.ok(greyLevels(recon) > 50);
  const scatter = await canvasPixels(page, 'latent-scatter-canvas');
  const coloured = new Set();
  for (let i = 0; i < scatter.data.length; i += 4) coloured.add(`${scatter.data[i]},${scatter.data[i + 1]},${scatter.data[i + 2]}`);
  assert.ok(coloured.size >= 10, `points of every class colour (${coloured.size} colours)`);
  await screenshot(page, 'images-vae-pretrained');
  assert.deepEqual(page.errors, []);
});

test('the 16-D VAE loads from the bundle, samples without a latent map, and 2-D brings the map back', { timeout: 180_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=mnist&model=vae&latent-dim=16');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  assert.equal(await page.getByTestId('latent-dim').inputValue(), '16');
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  assert.match(await text(page, 'weights-notice'), /vae at step 20000/);
  await gridShown(page);
  assert.match(await text(page, 'model-facts'), /16-D latent/);
  assert.equal(await page.getByTestId('latent-map-canvas').count(), 0, 'a 16-D latent space is not drawn as a map');
  // A size with no bundled file: the button says so by being disabled.
  const knob = page.getByTestId('latent-dim');
  await knob.fill('8');
  await knob.press('Enter');
  await waitFor('no bundled 8-D VAE', async () => page.getByTestId('load-pretrained-button').isDisabled());
  await knob.fill('2');
  await knob.press('Enter');
  await waitFor('the latent map again', async () => (await page.getByTestId('latent-map-canvas').count()) === 1);
  assert.deepEqual(page.errors, []);
});

test('broken and foreign weight files get a banner and leave the model as it was', { timeout: 180_000 }, async () => {
  const page = await openModel('dcgan');
  await steps(page, 2);
  const before = await canvasPixels(page, 'sample-canvas');
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-'));
  const cases = [
    ['garbage.safetensors', Buffer.from('this is not a weight file at all'), /garbage\.safetensors cannot be loaded: not a readable safetensors file/],
    ['foreign.safetensors', foreignSafetensors(), /foreign\.safetensors cannot be loaded: .*not one ganplay wrote/],
  ];
  for (const [name, bytes, message] of cases) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    await page.getByTestId('weights-file-input').setInputFiles(path);
    await waitFor('the banner', async () => (await page.getByTestId('error-banner').count()) === 1);
    assert.match(await text(page, 'error-banner'), message);
    assert.equal(await text(page, 'step-count'), '2', 'training state kept');
    const after = await canvasPixels(page, 'sample-canvas');
    assert.deepEqual(after.data, before.data, 'samples unchanged');
    await page.locator('.error-banner .dismiss').click();
  }
  // Training goes on from where it was.
  await steps(page, 1);
  assert.deepEqual(page.errors, []);
});

/** The pixels of the `index`-th 28x28 cell of the first row of a grid (2 px gaps). */
function cell(pixels, index) {
  const out = [];
  for (let y = 2; y < 30; y++) {
    const start = (y * pixels.width + 2 + index * 30) * 4;
    out.push(...pixels.data.slice(start, start + 28 * 4));
  }
  return out;
}

/** A valid safetensors file with one tensor and no ganplay metadata. */
function foreignSafetensors() {
  const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }));
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([size, header, Buffer.alloc(4)]);
}
