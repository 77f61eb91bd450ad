// A user trains ring8 in the page on each backend: the count rises, losses stay finite, the
// metrics improve, and pausing stops the count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, launchBrowser, openPage, text, number, waitFor, screenshot, ready } from './harness.mjs';

const ctx = useBrowser({ webgpu: true });

// Software WebGPU (SwiftShader) runs Burn's GAN step at about 0.4 steps/s, the CPU backend at
// hundreds: WebGPU gets a few dozen steps at a higher learning rate, which is enough to move the
// samples towards the ring (the run is seeded, so it follows the CPU's trajectory).
const setups = {
  cpu: { query: '', steps: 300, timeoutMs: 90_000 },
  webgpu: { query: '&g-lr=0.003&d-lr=0.003', steps: 20, timeoutMs: 200_000 },
};

for (const backend of ['cpu', 'webgpu']) {
  test(`ring8 trains live on ${backend}`, { timeout: 420_000 }, async () => {
    const { query, steps, timeoutMs } = setups[backend];
    const page = await openPage(ctx.browser, ctx.server.url, `?backend=${backend}&dataset=ring8${query}`);
    await ready(page, backend);
    const hqBefore = await number(page, 'metric-hq');

    await page.getByTestId('train-toggle').click();
    await waitFor(`${steps} steps`, async () => (await number(page, 'step-count')) >= steps, timeoutMs);

    for (const id of ['loss-d', 'loss-g']) {
      assert.ok(Number.isFinite(await number(page, id)), `${id} is ${await text(page, id)}`);
    }
    assert.ok((await number(page, 'steps-per-sec')) > 0);
    // The generator moves samples onto the ring: quality rises above the untrained network's.
    const hqAfter = await waitFor('better samples', async () => {
      const hq = await number(page, 'metric-hq');
      return hq > hqBefore + 5 ? hq : null;
    }, timeoutMs);
    if (backend === 'cpu') {
      await waitFor('all 8 modes', async () => (await text(page, 'metric-modes')) === '8/8', 60_000);
    }

    await page.getByTestId('train-toggle').click();
    await waitFor('the pause', async () => (await text(page, 'train-toggle')) === 'Train', 10_000);
    // A frame in flight when Pause was pressed still lands (and is shown): on SwiftShader one
    // frame takes over a second, so wait until the count holds still for 1.5 s.
    await waitFor('the last frame', async () => {
      const before = await number(page, 'step-count');
      await new Promise((ok) => setTimeout(ok, 1500));
      return (await number(page, 'step-count')) === before;
    }, 30_000);
    const paused = await number(page, 'step-count');
    await new Promise((ok) => setTimeout(ok, 2000));
    assert.equal(await number(page, 'step-count'), paused, 'steps continue after pause');

    await screenshot(page, `training-${backend}`);
    console.log(`${backend}: ${paused} steps, HQ ${hqBefore}% -> ${hqAfter}%, modes ${await text(page, 'metric-modes')}, ${await text(page, 'steps-per-sec')} steps/s`);
    assert.equal(await page.getByTestId('error-banner').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}
