// Weights move both ways between the page and the native CLI, and both draw the same images for
// the same noise vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { useBrowser, targetDir, openPage, text, waitFor, canvasPixels, pngPixels, maxPixelDifference, gridShown, screenshot, readSafetensors, steps, saveWeights } from './harness.mjs';

const ctx = useBrowser({ webgpu: true });
// Built by `cargo test` (scripts/test.sh runs it first).
const ganplay = process.env.GANPLAY_BIN ?? join(targetDir, 'debug', 'ganplay');
const cli = (...args) => execFileSync(ganplay, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('weights trained in the page sample the same images in the CLI', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=mnist&model=dcgan');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await gridShown(page);
  await steps(page, 3);
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-rt-'));
  const weights = await saveWeights(page, dir);
  assert.match(basename(weights), /^ganplay-dcgan-mnist-step3\.safetensors$/);

  const out = cli('sample', '--weights', weights, '--count', '64', '--seed', '7', '--out', join(dir, 'grid.png'));
  assert.match(out, /64 samples of dcgan \(step 3, trained on mnist\)/);
  const fromCli = await pngPixels(page, await readFile(join(dir, 'grid.png')));
  const inPage = await canvasPixels(page, 'sample-canvas');
  const worst = maxPixelDifference(fromCli, inPage);
  assert.ok(worst <= 2, `page and CLI differ by up to ${worst} grey levels`);
  assert.deepEqual(page.errors, []);
});

test('a GAN trained in the page with the weight average samples from the average, as the CLI does', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=mnist&model=dcgan&ema=0.9');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await gridShown(page);
  assert.equal(await page.getByTestId('ema').inputValue(), '0.9');
  assert.match(await text(page, 'model-facts'), /moving average of G's weights \(decay 0\.9\)/);
  await steps(page, 3);
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-ema-'));
  const weights = await saveWeights(page, dir);
  const tensors = await readSafetensors(weights);
  assert.ok(Object.keys(tensors).some((name) => name.startsWith('generator_ema.')), 'the file holds the average');
  cli('sample', '--weights', weights, '--count', '64', '--seed', '7', '--out', join(dir, 'grid.png'));
  const worst = maxPixelDifference(await pngPixels(page, await readFile(join(dir, 'grid.png'))), await canvasPixels(page, 'sample-canvas'));
  assert.ok(worst <= 2, `page and CLI differ by up to ${worst} grey levels`);
  // A decay too weak to average is refused; 0 turns the average off and rebuilds the model.
  const knob = page.getByTestId('ema');
  await knob.fill('0.2');
  await knob.press('Enter');
  await waitFor('0.2 refused', async () => (await page.getByTestId('ema-error').count()) === 1);
  await knob.fill('0');
  await knob.press('Enter');
  await waitFor('the average off', async () => !/moving average/.test(await text(page, 'model-facts')));
  assert.match(page.url(), /ema=0\b/);
  assert.deepEqual(page.errors, []);
});

test('the image GAN knobs train a spectrally normalised critic with the hinge loss, and its file brings them back', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=mnist&model=wgan');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await gridShown(page);
  await page.getByTestId('critic-weights-select').selectOption('spectral');
  await page.getByTestId('image-loss-select').selectOption('hinge');
  await waitFor('the facts follow', async () => /spectrally normalised \(no batch norm in D\)\./.test(await text(page, 'model-facts')));
  assert.match(await text(page, 'model-facts'), /Trained with the Hinge loss instead/);
  assert.match(page.url(), /critic-weights-select=spectral/);
  await steps(page, 2);
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-sn-'));
  const weights = await saveWeights(page, dir);
  const tensors = await readSafetensors(weights);
  assert.ok('critic.Conv.spectral.0.u' in tensors, 'the power iteration\'s estimates are saved');
  assert.ok(!Object.keys(tensors).some((name) => name.startsWith('critic.Conv.norms.')), 'no batch norm in D');
  // The CLI loads the file, estimates and all.
  assert.match(cli('sample', '--weights', weights, '--count', '4', '--out', join(dir, 'grid.png')), /4 samples of wgan \(step 2/);

  // A page with the default knobs takes the file's.
  const fresh = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=mnist&model=wgan');
  await waitFor('the cpu backend', async () => (await text(fresh, 'backend-name')) === 'cpu');
  assert.equal(await fresh.getByTestId('critic-weights-select').inputValue(), 'plain');
  await fresh.getByTestId('weights-file-input').setInputFiles(weights);
  await waitFor('the loaded model', async () => (await fresh.getByTestId('weights-notice').count()) === 1);
  assert.equal(await fresh.getByTestId('critic-weights-select').inputValue(), 'spectral');
  assert.equal(await fresh.getByTestId('image-loss-select').inputValue(), 'hinge');
  assert.match(await text(fresh, 'model-facts'), /spectrally normalised/);
  assert.equal(await text(fresh, 'step-count'), '2');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(fresh.errors, []);
});

test('weights trained by the CLI load in the page and draw the same images', { timeout: 240_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-rt-'));
  cli('train', '--model', 'cgan', '--scale', 'page', '--steps', '20', '--sample-every', '0', '--out', dir);
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await page.getByTestId('weights-file-input').setInputFiles(join(dir, 'weights.safetensors'));
  await waitFor('the loaded model', async () => (await page.getByTestId('weights-notice').count()) === 1);
  assert.match(await text(page, 'weights-notice'), /cgan at step 20, trained on mnist by ganplay-cli/);
  assert.equal(await text(page, 'step-count'), '20');
  assert.equal(await page.getByTestId('model-select').inputValue(), 'cgan');
  assert.equal(await page.getByTestId('dataset-select').inputValue(), 'mnist');
  // The CLI's samples.png is the page's grid: 8 per class, one row per class, noise seed 7.
  await waitFor('ten rows', async () => (await canvasPixels(page, 'sample-canvas')).height === 10 * 30 + 2);
  const fromCli = await pngPixels(page, await readFile(join(dir, 'samples.png')));
  const worst = maxPixelDifference(fromCli, await canvasPixels(page, 'sample-canvas'));
  assert.ok(worst <= 2, `page and CLI differ by up to ${worst} grey levels`);
  // And it keeps training from there.
  await page.getByTestId('step-button').click();
  await waitFor('step 21', async () => (await text(page, 'step-count')) === '21');
  await screenshot(page, 'roundtrip-cli-to-page');
  assert.deepEqual(page.errors, []);
});

test('on WebGPU, a VAE trains and its downloaded weights sample the same in the CLI', { timeout: 300_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=webgpu&dataset=mnist&model=vae');
  await waitFor('the webgpu backend', async () => (await text(page, 'backend-name')) === 'webgpu', 60_000);
  await gridShown(page);
  await page.getByTestId('step-button').click();
  await waitFor('step 1', async () => (await text(page, 'step-count')) === '1', 120_000);
  assert.ok(Number.isFinite(Number.parseFloat(await text(page, 'loss-g'))));
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-rt-'));
  const weights = await saveWeights(page, dir, 'vae.safetensors');
  cli('sample', '--weights', weights, '--count', '64', '--seed', '7', '--out', join(dir, 'grid.png'));
  // Let the grid of step 1 arrive before comparing.
  await new Promise((ok) => setTimeout(ok, 1000));
  const worst = maxPixelDifference(await pngPixels(page, await readFile(join(dir, 'grid.png'))), await canvasPixels(page, 'sample-canvas'));
  assert.ok(worst <= 3, `WebGPU page and CPU CLI differ by up to ${worst} grey levels`);
  assert.deepEqual(page.errors, []);
});

test('on WebGPU, a spectrally normalised critic trains and keeps unit estimates of its singular vectors', { timeout: 300_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=webgpu&dataset=mnist&model=dcgan&critic-weights-select=spectral&image-loss-select=hinge');
  await waitFor('the webgpu backend', async () => (await text(page, 'backend-name')) === 'webgpu', 60_000);
  await gridShown(page);
  await steps(page, 2, 120_000);
  assert.ok(Number.isFinite(Number.parseFloat(await text(page, 'loss-d'))));
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-sn-gpu-'));
  const weights = await saveWeights(page, dir, 'sn.safetensors');
  const tensors = await readSafetensors(weights);
  const estimates = Object.keys(tensors).filter((name) => name.includes('.spectral.'));
  assert.equal(estimates.length, 3, 'two convolutions and the score layer');
  for (const name of estimates) {
    const norm = Math.sqrt(tensors[name].reduce((sum, v) => sum + v * v, 0));
    assert.ok(Math.abs(norm - 1) < 1e-3, `${name} has norm ${norm}`);
  }
  assert.deepEqual(page.errors, []);
});

test('a 2D GAN saved from the page loads back with its step count and data set', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=grid25');
  await waitFor('the first samples', async () => (await text(page, 'metric-modes')).includes('/'));
  await steps(page, 5);
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-rt-'));
  const weights = await saveWeights(page, dir);
  assert.match(basename(weights), /^ganplay-toy-gan-grid25-step5\.safetensors$/);
  const modes = await text(page, 'metric-modes');

  await page.getByTestId('dataset-select').selectOption('ring8');
  await waitFor('a fresh ring8 model', async () => (await text(page, 'step-count')) === '0' && (await text(page, 'metric-modes')).endsWith('/8'));
  await page.getByTestId('weights-file-input').setInputFiles(weights);
  await waitFor('the saved model', async () => (await text(page, 'step-count')) === '5');
  assert.equal(await page.getByTestId('dataset-select').inputValue(), 'grid25');
  await waitFor('its samples', async () => (await text(page, 'metric-modes')) === modes);
  assert.deepEqual(page.errors, []);
});

test('a seeded run trains to the same weights on the CPU and WebGPU backends', { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-seed-'));
  const files = {};
  for (const backend of ['cpu', 'webgpu']) {
    const page = await openPage(ctx.browser, ctx.server.url, `?backend=${backend}&dataset=ring8&seed=3`);
    await waitFor(`the ${backend} backend`, async () => (await text(page, 'backend-name')) === backend, 60_000);
    await waitFor('the first samples', async () => (await text(page, 'metric-modes')).includes('/'), 60_000);
    await steps(page, 10, 60_000);
    files[backend] = await saveWeights(page, dir, `${backend}.safetensors`);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
  const [cpu, gpu] = [await readSafetensors(files.cpu), await readSafetensors(files.webgpu)];
  assert.deepEqual(Object.keys(gpu).sort(), Object.keys(cpu).sort());
  let worst = 0;
  for (const [name, values] of Object.entries(cpu)) {
    assert.equal(gpu[name].length, values.length, name);
    values.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - gpu[name][i])); });
  }
  // Ten Adam steps move each weight by up to ~10 × the learning rate; float rounding may differ.
  assert.ok(worst < 1e-3, `CPU and WebGPU weights differ by up to ${worst}`);
});
