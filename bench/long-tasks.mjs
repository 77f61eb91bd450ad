// How much the page's main thread is blocked while a model trains live: long tasks (over 50 ms,
// the browser's Long Tasks API) in a window of training, the steps/s reached, and how long clicks
// made during training take to be handled and painted (Event Timing API). Each case runs twice in
// the same browser: training in the worker (the page's default) and on the page (`?worker=0`).
//
//   node bench/long-tasks.mjs [dcgan] [ring8] [--backend=cpu|webgpu] [--seconds=10]
import { startServer, launchBrowser, openPage, waitFor } from './lib.mjs';

const args = process.argv.slice(2);
const backend = args.find((a) => a.startsWith('--backend='))?.slice(10) ?? 'cpu';
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 10);
const CASES = {
  dcgan: 'dataset=mnist&model=dcgan',
  ring8: 'dataset=ring8',
};
const chosen = args.filter((a) => !a.startsWith('--'));

const server = await startServer();
const browser = await launchBrowser();
const text = (page, id) => page.getByTestId(id).innerText();
try {
  for (const [name, where] of (chosen.length ? chosen : Object.keys(CASES)).flatMap((n) => [[n, 'worker'], [n, 'page']])) {
    const query = `backend=${backend}&${CASES[name]}${where === 'page' ? '&worker=0' : ''}`;
    const page = await openPage(browser, `${server.url}/?${query}`, { gpuStats: false });
    await waitFor(backend, async () => (await text(page, 'backend-name')) === backend, 120_000);
    await waitFor('an untrained model drawn', async () => (await text(page, 'step-count')) === '0', 120_000);
    await page.getByTestId('train-toggle').click();
    await waitFor('first steps', async () => Number(await text(page, 'step-count')) > 0, 120_000);
    // Observe only the window, after the first steps (start-up work is not training).
    await page.evaluate(() => {
      window.__longTasks = [];
      window.__events = [];
      new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration)))
        .observe({ type: 'longtask' });
      new PerformanceObserver((list) => window.__events.push(...list.getEntries()
        .filter((e) => e.name === 'click').map((e) => e.duration)))
        .observe({ type: 'event', durationThreshold: 16 });
    });
    const s0 = Number(await text(page, 'step-count'));
    const t0 = Date.now();
    // Clicks that change nothing about training: open and close the benchmark panel.
    const clicks = 6;
    for (let i = 0; i < clicks; i++) {
      await new Promise((ok) => setTimeout(ok, (seconds * 1000) / (clicks + 1)));
      await page.locator('.bench summary').first().click({ noWaitAfter: true });
    }
    await new Promise((ok) => setTimeout(ok, (seconds * 1000) / (clicks + 1)));
    const s1 = Number(await text(page, 'step-count'));
    const window_s = (Date.now() - t0) / 1000;
    const { longTasks, events } = await page.evaluate(() => ({ longTasks: window.__longTasks, events: window.__events }));
    await page.getByTestId('train-toggle').click();
    const blocked = longTasks.reduce((a, b) => a + b, 0) / 1000;
    const slowest = Math.max(0, ...longTasks);
    // Event Timing reports only events over 16 ms; the others were handled within a frame.
    const clickWorst = Math.max(0, ...events);
    console.log(`${name} on ${backend}, training in the ${where}: ${((s1 - s0) / window_s).toFixed(1)} steps/s; ` +
      `${longTasks.length} long tasks covering ${blocked.toFixed(1)} s of ${window_s.toFixed(1)} s, the longest ${slowest.toFixed(0)} ms; ` +
      `${clicks} clicks while training: ${events.length} took over 16 ms, the slowest ${clickWorst.toFixed(0)} ms`);
    if (page.errors.length) console.log(`  page errors: ${page.errors.join('; ')}`);
    await page.closeAll();
  }
} finally {
  await browser.close();
  await server.close();
}
