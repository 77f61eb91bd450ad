// The controls around training: single steps, reset, refused knobs, divergence, drawn data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, launchBrowser, openPage, text, number, waitFor, screenshot, ready } from './harness.mjs';

const ctx = useBrowser({ webgpu: true });

test('step, D step, G step and reset', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu');
  await ready(page, 'cpu');
  assert.equal(await text(page, 'step-count'), '0');
  await page.getByTestId('step-button').click();
  await waitFor('one step', async () => (await text(page, 'step-count')) === '1');
  assert.ok(Number.isFinite(await number(page, 'loss-d')));
  assert.ok(Number.isFinite(await number(page, 'loss-g')));
  // A discriminator step alone does not advance the generator's step count.
  await page.getByTestId('d-step-button').click();
  await new Promise((ok) => setTimeout(ok, 500));
  assert.equal(await text(page, 'step-count'), '1');
  await page.getByTestId('g-step-button').click();
  await waitFor('a generator step', async () => (await text(page, 'step-count')) === '2');
  await page.getByTestId('reset-button').click();
  await waitFor('reset to 0', async () => (await text(page, 'step-count')) === '0');
  assert.equal(await text(page, 'loss-d'), '–');
  assert.deepEqual(page.errors, []);
});

test('out-of-range and non-numeric knobs are refused at the control', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu');
  await ready(page, 'cpu');
  await page.getByTestId('step-button').click();
  await waitFor('one step', async () => (await text(page, 'step-count')) === '1');

  await page.getByTestId('g-neurons').fill('500');
  await page.getByTestId('g-neurons').press('Enter');
  await waitFor('the refusal', async () => (await page.getByTestId('g-neurons-error').count()) === 1);
  assert.match(await text(page, 'g-neurons-error'), /between 1 and 128/);
  // Refused input changes nothing: the model and its progress stay.
  assert.equal(await text(page, 'step-count'), '1');

  await page.getByTestId('d-lr').fill('fast');
  await page.getByTestId('d-lr').press('Enter');
  await waitFor('the refusal', async () => (await page.getByTestId('d-lr-error').count()) === 1);
  assert.match(await text(page, 'd-lr-error'), /not a number/);

  // A valid value clears the message and starts a new model.
  await page.getByTestId('g-neurons').fill('32');
  await page.getByTestId('g-neurons').press('Enter');
  await waitFor('the message to go', async () => (await page.getByTestId('g-neurons-error').count()) === 0);
  assert.equal(await text(page, 'step-count'), '0');
  assert.deepEqual(page.errors, []);
});

test("the generator's output knob comes from a link, trains and writes the link", { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8&g-output-select=tanh');
  await ready(page, 'cpu');
  assert.equal(await page.getByTestId('g-output-select').inputValue(), 'tanh');
  await page.getByTestId('step-button').click();
  await waitFor('one step', async () => (await text(page, 'step-count')) === '1');
  assert.ok(Number.isFinite(await number(page, 'loss-g')));
  await page.getByTestId('g-output-select').selectOption('linear');
  await waitFor('the link', async () => page.url().includes('g-output-select=linear'));
  await waitFor('a new model', async () => (await text(page, 'step-count')) === '0');
  assert.deepEqual(page.errors, []);
});

test('a diverging run pauses with a banner and can be reset', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&g-optimizer-select=sgd&d-optimizer-select=sgd');
  await ready(page, 'cpu');
  for (const id of ['g-lr', 'd-lr']) {
    await page.getByTestId(id).fill('1');
    await page.getByTestId(id).press('Enter');
  }
  await page.getByTestId('train-toggle').click();
  await waitFor('the divergence banner', async () => (await page.getByTestId('error-banner').count()) === 1, 60_000);
  assert.match(await text(page, 'error-banner'), /diverged at step \d+/);
  assert.equal(await text(page, 'train-toggle'), 'Train');
  const stopped = await text(page, 'step-count');
  await new Promise((ok) => setTimeout(ok, 1000));
  assert.equal(await text(page, 'step-count'), stopped);
  await screenshot(page, 'diverged');
  await page.getByTestId('error-reset-button').click();
  await waitFor('the banner to go', async () => (await page.getByTestId('error-banner').count()) === 0);
  assert.equal(await text(page, 'step-count'), '0');
});

test('a drawn distribution trains, and a broken CSV gets a clear message', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=custom');
  await waitFor('backend', async () => (await text(page, 'backend-name')) === 'cpu');
  assert.equal(await page.getByTestId('train-toggle').isDisabled(), true);
  const canvas = page.getByTestId('sample-canvas');
  for (const [x, y] of [[100, 100], [380, 120], [240, 380]]) await canvas.click({ position: { x, y } });
  await waitFor('three modes', async () => (await text(page, 'metric-modes')) === '0/3' || (await text(page, 'metric-modes')).endsWith('/3'));
  await page.getByTestId('train-toggle').click();
  await waitFor('training', async () => (await number(page, 'step-count')) >= 200, 60_000);
  await page.getByTestId('train-toggle').click();

  const dir = await mkdtemp(join(tmpdir(), 'ganplay-'));
  const bad = join(dir, 'bad.csv');
  await writeFile(bad, 'x,y\n0.5,0.5\n1,banana\n');
  await page.getByTestId('points-file-input').setInputFiles(bad);
  await waitFor('the banner', async () => (await page.getByTestId('error-banner').count()) === 1);
  assert.match(await text(page, 'error-banner'), /line 3/);
  // The drawn distribution is still there.
  assert.ok((await text(page, 'metric-modes')).endsWith('/3'));

  const good = join(dir, 'good.csv');
  await writeFile(good, 'x,y\n-1,0\n1,0\n0,1\n0,-1\n');
  await page.getByTestId('points-file-input').setInputFiles(good);
  await waitFor('four modes', async () => (await text(page, 'metric-modes')).endsWith('/4'));
  assert.deepEqual(page.errors, []);
});
