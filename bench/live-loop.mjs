// The page's live training loop against its own benchmark panel, per backend: how much of the
// benchmark's steps/s survives the views (plot redraws, read-backs of samples and the decision
// surface). The network is the benchmark's toy GAN (G 2-16-16-2, D 2-16-16-1, batch 256) on ring8.
//
//   node bench/live-loop.mjs [cpu] [webgpu] [--seconds=10]
import { startServer, launchBrowser, openPage, waitFor, TOY_QUERY } from './lib.mjs';

const args = process.argv.slice(2);
const backends = args.filter((a) => !a.startsWith('--'));
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 10);

const server = await startServer();
const browser = await launchBrowser();
const text = (page, id) => page.getByTestId(id).innerText();
try {
  for (const backend of backends.length ? backends : ['cpu', 'webgpu']) {
    const page = await openPage(browser, `${server.url}/?backend=${backend}&${TOY_QUERY}`, { gpuStats: false });
    await waitFor(backend, async () => (await text(page, 'backend-name')) === backend && (await text(page, 'metric-modes')).includes('/'), 120_000);
    // Warm up, then count steps over the window.
    await page.getByTestId('train-toggle').click();
    await waitFor('first steps', async () => Number(await text(page, 'step-count')) > 0, 120_000);
    await new Promise((ok) => setTimeout(ok, 2000));
    const [s0, t0] = [Number(await text(page, 'step-count')), Date.now()];
    await new Promise((ok) => setTimeout(ok, seconds * 1000));
    const [s1, t1] = [Number(await text(page, 'step-count')), Date.now()];
    await page.getByTestId('train-toggle').click();
    const live = (s1 - s0) / ((t1 - t0) / 1000);

    await page.locator('.bench summary').first().click();
    await page.getByTestId('bench-button').click();
    const result = await waitFor('the benchmark', async () => {
      const t = await text(page, 'bench-result');
      return /vae: .*steps\/s|failed/.test(t) ? t : null;
    }, 1_800_000, 1000);
    const bench = Number(/toy: ([\d.]+) steps\/s/.exec(result)?.[1]);
    console.log(`${backend}: live loop ${live.toFixed(2)} steps/s, benchmark panel ${bench.toFixed(2)} steps/s: live = ${(100 * live / bench).toFixed(0)}% of the benchmark`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
