// A browser without WebGPU gets the CPU backend, a visible note, and a clear message if the user
// asks for WebGPU anyway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, launchBrowser, openPage, text, number, waitFor, ready } from './harness.mjs';

const ctx = useBrowser({ webgpu: false });

test('without WebGPU the page trains on the CPU and says why', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx.browser, ctx.server.url);
  await ready(page, 'cpu');
  assert.match(await text(page, 'backend-note'), /WebGPU is not available/);
  await page.getByTestId('backend-select').selectOption('webgpu');
  await waitFor('the banner', async () => (await page.getByTestId('error-banner').count()) === 1);
  assert.match(await text(page, 'error-banner'), /WebGPU is not available/);
  assert.equal(await text(page, 'backend-name'), 'cpu');
  await page.getByTestId('train-toggle').click();
  await waitFor('training', async () => (await number(page, 'step-count')) >= 20, 60_000);
});

test('on a software WebGPU adapter the CPU backend is chosen automatically', { timeout: 120_000 }, async () => {
  const gpuBrowser = await launchBrowser({ webgpu: true });
  try {
    const page = await openPage(gpuBrowser, ctx.server.url);
    await ready(page, 'cpu');
    assert.match(await text(page, 'backend-note'), /software renderer/);
    await page.getByTestId('backend-select').selectOption('webgpu');
    await ready(page, 'webgpu');
    assert.equal(await page.getByTestId('error-banner').count(), 0);
  } finally {
    await gpuBrowser.close();
  }
});
