// Few labels: the semi-supervised GAN's and VAE's classifiers in the page, test accuracy next to the
// same classifier trained on the labelled digits alone (in lockstep, from the same weights), the
// confusion matrix, the labelled digits, and the labels-per-class knob.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, text, number, waitFor, screenshot, canvasPixels, gridShown, inkPixels } from './harness.mjs';

const ctx = useBrowser({ webgpu: true });
const TEST_DIGITS = 997;

async function openSsgan(backend, query = '', model = 'ssgan') {
  const page = await openPage(ctx.browser, ctx.server.url, `?backend=${backend}&dataset=mnist&model=${model}${query}`);
  await waitFor(`the ${backend} backend`, async () => (await text(page, 'backend-name')) === backend, 60_000);
  await gridShown(page);
  return page;
}

/** The confusion matrix's counts, row by row (true class), read from the table. */
async function confusion(page) {
  return page.getByTestId('confusion-matrix').evaluate((table) => [...table.querySelectorAll('tbody tr')]
    .map((row) => [...row.querySelectorAll('td')].map((cell) => Number(cell.textContent))));
}

/** Accuracy in percent as the confusion matrix gives it. */
function diagonalPercent(counts) {
  const right = counts.reduce((sum, row, i) => sum + row[i], 0);
  const all = counts.flat().reduce((a, b) => a + b, 0);
  return (100 * right) / all;
}

/** Waits until the accuracy read-outs show numbers, and returns them. */
async function accuracies(page) {
  await waitFor('a measured test accuracy', async () => Number.isFinite(await number(page, 'metric-accuracy')), 90_000);
  return [await number(page, 'metric-accuracy'), await number(page, 'metric-accuracy-supervised')];
}

for (const [model, backend] of [['ssgan', 'cpu'], ['ssgan', 'webgpu'], ['m2', 'cpu'], ['m2', 'webgpu']]) {
  test(`on ${backend}, a new ${model} is measured on the test digits next to its labels-only twin`, { timeout: 420_000 }, async () => {
    const page = await openSsgan(backend, '&labels-per-class=3', model);
    assert.equal(await page.getByTestId('labels-per-class').inputValue(), '3');
    // The labelled digits: one row per class, three each (cells of 28 px and a 2 px gap).
    const strip = await canvasPixels(page, 'labelled-strip');
    assert.deepEqual([strip.width, strip.height], [3 * 30 + 2, 10 * 30 + 2]);
    assert.ok(inkPixels(strip) > 500, 'digits drawn in the strip');
    // Step 0: both classifiers are the same network with the same weights.
    const [semi, twin] = await accuracies(page);
    assert.ok(semi >= 0 && semi <= 100, `accuracy ${semi}`);
    assert.equal(semi, twin, 'the twin starts from the same weights');
    const counts = await confusion(page);
    assert.equal(counts.length, 10);
    assert.ok(counts.every((row) => row.length === 10));
    assert.equal(counts.flat().reduce((a, b) => a + b, 0), TEST_DIGITS);
    assert.ok(Math.abs(diagonalPercent(counts) - semi) < 0.06, `matrix ${diagonalPercent(counts)} vs read-out ${semi}`);
    // On this machine's software WebGPU the first step compiles its shaders for over a minute
    // (the semi-supervised VAE decodes each unlabelled digit once per class), holding the page.
    await page.getByTestId('step-button').click({ timeout: 180_000 });
    await waitFor('step 1', async () => Number(await text(page, 'step-count')) === 1, 180_000);
    assert.deepEqual(page.errors, []);
  });
}

test('trained live, the two classifiers part and the accuracy chart draws both', { timeout: 300_000 }, async () => {
  const page = await openSsgan('cpu');
  await accuracies(page);
  await page.getByTestId('train-toggle').click();
  // Measured every 50 steps: two measurements after step 0 draw a line.
  await waitFor('step 100 measured', async () => {
    const steps = Number(await text(page, 'step-count'));
    return steps >= 110;
  }, 240_000, 500);
  await page.getByTestId('train-toggle').click();
  const [semi, twin] = await accuracies(page);
  assert.notEqual(semi, twin, 'different training, different classifiers');
  assert.ok(semi > 20 && twin > 20, `both learn from the labels: ${semi}, ${twin}`);
  assert.ok(inkPixels(await canvasPixels(page, 'accuracy-chart')) > 200, 'the chart draws its lines');
  await screenshot(page, 'few-labels');
  assert.deepEqual(page.errors, []);
});

test('labels per class: out-of-range values are refused, a new budget rebuilds with its digits', { timeout: 180_000 }, async () => {
  const page = await openSsgan('cpu');
  const knob = page.getByTestId('labels-per-class');
  assert.equal(await knob.inputValue(), '10');
  for (const bad of ['0', '101', 'many']) {
    await knob.fill(bad);
    await knob.press('Enter');
    await waitFor(`${bad} refused`, async () => (await page.getByTestId('labels-per-class-error').count()) === 1);
  }
  assert.equal((await canvasPixels(page, 'labelled-strip')).width, 10 * 30 + 2, 'the model kept its budget');
  await knob.fill('5');
  await knob.press('Enter');
  await waitFor('five labelled digits per class', async () => (await canvasPixels(page, 'labelled-strip')).width === 5 * 30 + 2);
  assert.equal(await page.getByTestId('labels-per-class-error').count(), 0);
  assert.match(page.url(), /labels-per-class=5/);
  await accuracies(page);
  assert.deepEqual(page.errors, []);
});

test('the bundled semi-supervised GAN classifies the test digits as the CLI measured', { timeout: 180_000 }, async () => {
  const page = await openSsgan('cpu');
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  await waitFor('the loaded model measured', async () => {
    const shown = await number(page, 'metric-accuracy');
    return Number.isFinite(shown) && shown > 50;
  }, 90_000);
  // `ganplay eval --weights web/weights/ssgan.safetensors`: 96.79 % of the 997 test digits.
  assert.ok(Math.abs((await number(page, 'metric-accuracy')) - 96.79) < 0.15, await text(page, 'metric-accuracy'));
  assert.equal(await text(page, 'metric-accuracy-supervised'), '–', 'a loaded classifier has no twin');
  // The file was trained with the consistency loss: its knob says so, and a link keeps it.
  assert.equal(await page.getByTestId('consistency-weight').inputValue(), '1');
  assert.match(page.url(), /consistency-weight=1/);
  assert.equal(await page.getByTestId('image-lr').inputValue(), '0.003', 'the rate it trained with');
  assert.ok(Math.abs(diagonalPercent(await confusion(page)) - 96.79) < 0.15);
  assert.deepEqual(page.errors, []);
});

test('the few-labels lessons set up the semi-supervised GAN and VAE from the lesson list', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8');
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await page.getByTestId('preset-select').selectOption('few-labels');
  await gridShown(page);
  assert.equal(await page.getByTestId('model-select').inputValue(), 'ssgan');
  assert.equal(await page.getByTestId('labels-per-class').inputValue(), '10');
  // The lesson's recipe, each part a knob: the consistency loss and the learning-rate decay.
  assert.equal(await page.getByTestId('consistency-weight').inputValue(), '1');
  assert.equal(await page.getByTestId('consistency-threshold').inputValue(), '0.6');
  assert.equal(await page.getByTestId('lr-decay-start').inputValue(), '600');
  assert.equal(await page.getByTestId('lr-decay-steps').inputValue(), '1150');
  assert.equal(await page.getByTestId('classifier-ema').inputValue(), '0.99');
  assert.equal(await page.getByTestId('image-lr').inputValue(), '0', "the model's own rate");
  assert.match(await text(page, 'preset-explanation'), /labelled digits alone/);
  await accuracies(page);
  assert.match(page.url(), /preset=few-labels/);
  // The semi-supervised VAE's lesson, from the same list.
  await page.getByTestId('preset-select').selectOption('few-labels-vae');
  await waitFor('the semi-supervised VAE', async () => (await page.getByTestId('model-select').inputValue()) === 'm2');
  await gridShown(page);
  assert.match(await text(page, 'preset-explanation'), /decoded once per class/);
  assert.equal(await page.getByTestId('consistency-weight').count(), 0, 'a loss of the GAN alone');
  assert.equal(await page.getByTestId('classifier-ema').count(), 0, "an average of the GAN's discriminator");
  await accuracies(page);
  assert.match(page.url(), /preset=few-labels-vae/);
  assert.deepEqual(page.errors, []);
});
