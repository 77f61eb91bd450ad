// A run survives a reload: the page keeps it in the browser while it trains and when it pauses,
// and offers to continue it (or drop it) when it opens again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, openPage, ready, text, waitFor, canvasPixels, inkPixels, readSafetensors, screenshot } from './harness.mjs';

const ctx = useBrowser({ webgpu: false });

async function downloadWeights(page, path) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-weights-button').click()]);
  await download.saveAs(path);
  return readSafetensors(path);
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
  const steps = await text(page, 'step-count');
  const before = await downloadWeights(page, join(dir, 'before.safetensors'));

  await page.reload();
  await ready(page, 'cpu');
  await waitFor('the offer to continue', async () => (await page.getByTestId('resume-run-button').count()) === 1);
  assert.match(await text(page, 'saved-run-offer'), new RegExp(`toy-gan at step ${steps} `));
  assert.equal(await text(page, 'step-count'), '0', 'a fresh model until the user answers');
  assert.equal(inkPixels(await canvasPixels(page, 'loss-chart')), 0, 'a fresh model has no loss curve');

  await screenshot(page, 'kept-run-offer');
  await page.getByTestId('resume-run-button').click();
  await waitFor('the kept step', async () => (await text(page, 'step-count')) === steps);
  assert.match(await text(page, 'weights-notice'), /^Loaded the kept run: toy-gan at step \d+, trained on ring8/);
  assert.equal(await page.getByTestId('saved-run-offer').count(), 0);
  await waitFor('the loss curve back', async () => inkPixels(await canvasPixels(page, 'loss-chart')) > 50);
  const after = await downloadWeights(page, join(dir, 'after.safetensors'));
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
  for (const [name, values] of Object.entries(before)) {
    assert.deepEqual(after[name], values, `${name} is kept exactly`);
  }
  // And it trains on from there.
  await page.getByTestId('step-button').click();
  await waitFor('one step more', async () => Number(await text(page, 'step-count')) === Number(steps) + 1);
  await screenshot(page, 'resumed-run');
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
  assert.equal(await page.getByTestId('saved-run-offer').count(), 0);

  await page.reload();
  await ready(page, 'cpu');
  // The kept run is looked up while the page starts; give it time to (wrongly) appear.
  await new Promise((ok) => setTimeout(ok, 1500));
  assert.equal(await page.getByTestId('saved-run-offer').count(), 0);
  assert.deepEqual(page.errors, []);
});
