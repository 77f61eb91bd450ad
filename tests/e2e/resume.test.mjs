// A run survives a reload: the page keeps it in the browser while it trains and when it pauses,
// with its optimiser state, and offers to continue it (or drop it) when it opens again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, openPage, ready, text, waitFor, canvasPixels, inkPixels, readSafetensors, screenshot, steps, saveWeights } from './harness.mjs';

const ctx = useBrowser({ webgpu: false });

/** The page's weight file, downloaded to `dir` as `name`, its tensors read. */
async function downloadWeights(page, dir, name) {
  return readSafetensors(await saveWeights(page, dir, name));
}

/** One step from the current weights, downloaded. */
async function stepOnce(page, dir, name) {
  await steps(page, 1);
  return downloadWeights(page, dir, name);
}

/**
 * How much an update looks like Adam's very first one. Fresh moments move every parameter by
 * the learning rate (m / √v = ±1), so nearly all of a tensor's changes are as large as its
 * largest; moments that carry the run's history spread them out. The median, over tensors, of
 * the share of changes within 10% of the tensor's largest.
 */
function firstStepLikeness(before, after) {
  const shares = Object.keys(before).map((name) => {
    const deltas = before[name].map((v, i) => Math.abs(after[name][i] - v));
    const largest = Math.max(...deltas);
    return largest === 0 ? 0 : deltas.filter((d) => d >= 0.9 * largest).length / deltas.length;
  });
  shares.sort((a, b) => a - b);
  return shares[Math.floor(shares.length / 2)];
}

test('a reloaded page continues the kept run at its step, with its weights and curves', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-resume-'));
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8&seed=3');
  await ready(page, 'cpu');
  await page.getByTestId('train-toggle').click();
  await waitFor('some training', async () => Number(await text(page, 'step-count')) >= 100);
  await page.getByTestId('train-toggle').click();
  // Pausing keeps the run; the note names the step it kept, which is the step shown.
  await waitFor('the run kept at the step shown', async () => {
    const note = await page.getByTestId('saved-run-note').count() ? await text(page, 'saved-run-note') : '';
    return note.includes(`at step ${await text(page, 'step-count')}:`);
  });
  const stepCount = await text(page, 'step-count');
  const before = await downloadWeights(page, dir, 'before.safetensors');

  await page.reload();
  await ready(page, 'cpu');
  await waitFor('the offer to continue', async () => (await page.getByTestId('resume-run-button').count()) === 1);
  assert.match(await text(page, 'saved-run-offer'), new RegExp(`toy-gan at step ${stepCount} `));
  assert.equal(await text(page, 'step-count'), '0', 'a fresh model until the user answers');
  assert.equal(inkPixels(await canvasPixels(page, 'loss-chart')), 0, 'a fresh model has no loss curve');

  await screenshot(page, 'kept-run-offer');
  await page.getByTestId('resume-run-button').click();
  await waitFor('the kept step', async () => (await text(page, 'step-count')) === stepCount);
  assert.match(await text(page, 'weights-notice'), /^Loaded the kept run: toy-gan at step \d+, trained on ring8/);
  assert.match(await text(page, 'weights-notice'), /goes on with its optimiser state/);
  assert.equal(await page.getByTestId('saved-run-offer').count(), 0);
  await waitFor('the loss curve back', async () => inkPixels(await canvasPixels(page, 'loss-chart')) > 50);
  const after = await downloadWeights(page, dir, 'after.safetensors');
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
  for (const [name, values] of Object.entries(before)) {
    assert.deepEqual(after[name], values, `${name} is kept exactly`);
  }
  // It trains on from there with Adam's moments of the run; the same weights loaded from a
  // file (no optimiser state) take Adam's first step instead.
  const continued = firstStepLikeness(before, await stepOnce(page, dir, 'continued.safetensors'));
  await screenshot(page, 'resumed-run');
  await page.getByTestId('weights-file-input').setInputFiles(join(dir, 'before.safetensors'));
  await waitFor('the file loaded', async () => (await text(page, 'weights-notice')).startsWith('Loaded before.safetensors'));
  await waitFor('its step', async () => (await text(page, 'step-count')) === stepCount);
  const restarted = firstStepLikeness(before, await stepOnce(page, dir, 'restarted.safetensors'));
  console.log(`share of first-step-sized changes: continued ${continued.toFixed(3)}, restarted ${restarted.toFixed(3)}`);
  assert.ok(restarted > 0.5, `a fresh optimiser takes Adam's first step (${restarted})`);
  assert.ok(continued < 0.25, `the continued run keeps its moments (${continued})`);
  assert.deepEqual(page.errors, []);
});

test('a run kept while it trains continues with its optimiser state too', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-resume-'));
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=ring8&seed=4');
  await ready(page, 'cpu');
  await page.getByTestId('train-toggle').click();
  // The first save comes ten seconds into training; the page is reloaded without pausing.
  await waitFor('a save while training', async () => (await page.getByTestId('saved-run-note').count()) === 1, 60_000);
  assert.equal(await text(page, 'train-toggle'), 'Pause', 'still training when the run was kept');
  await page.reload();
  await ready(page, 'cpu');
  await waitFor('the offer to continue', async () => (await page.getByTestId('resume-run-button').count()) === 1);
  await page.getByTestId('resume-run-button').click();
  await waitFor('the kept run', async () => (await page.getByTestId('weights-notice').count()) === 1);
  assert.match(await text(page, 'weights-notice'), /^Loaded the kept run: .* goes on with its optimiser state/);
  const kept = await downloadWeights(page, dir, 'kept.safetensors');
  const continued = firstStepLikeness(kept, await stepOnce(page, dir, 'continued.safetensors'));
  console.log(`share of first-step-sized changes after a save while training: ${continued.toFixed(3)}`);
  assert.ok(continued < 0.25, `the continued run keeps its moments (${continued})`);
  assert.deepEqual(page.errors, []);
});

test('a kept run can be dropped, and stays dropped', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url, '?backend=cpu&dataset=moons');
  await ready(page, 'cpu');
  await page.getByTestId('train-toggle').click();
  await waitFor('some training', async () => Number(await text(page, 'step-count')) >= 20);
  await page.getByTestId('train-toggle').click();
  await waitFor('the run kept', async () => (await page.getByTestId('saved-run-note').count()) === 1);

  await page.reload();
  await waitFor('the offer to continue', async () => (await page.getByTestId('discard-run-button').count()) === 1);
  await page.getByTestId('discard-run-button').click();
  // The offer goes once the run is gone from storage; the reload comes straight after.
  await waitFor('the offer gone', async () => (await page.getByTestId('saved-run-offer').count()) === 0, 10_000);

  await page.reload();
  await ready(page, 'cpu');
  // The kept run is looked up while the page starts; give it time to (wrongly) appear.
  await new Promise((ok) => setTimeout(ok, 1500));
  assert.equal(await page.getByTestId('saved-run-offer').count(), 0);
  assert.deepEqual(page.errors, []);
});
