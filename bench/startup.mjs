// Where opening the page to the first sample grid from the bundled DCGAN weights spends its time,
// on one backend: the same steps as `bench-page.mjs`'s start-up figure (open, wait for the backend,
// press "Load pre-trained", wait for the grid), repeated, with medians per phase and the network
// timeline of the last run (times from navigation start).
//
//   node bench/startup.mjs [cpu|webgpu] [--runs=5] [--worker=0]
//
// `--worker=0` opens the page without its training worker, for an A/B of what starting the worker
// costs.
import { startServer, launchBrowser, openPage, waitFor } from './lib.mjs';

const args = process.argv.slice(2);
const backend = args.find((a) => !a.startsWith('--')) ?? 'cpu';
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const noWorker = args.includes('--worker=0');

const server = await startServer();
const browser = await launchBrowser();
const phases = { 'backend shown': [], 'weights notice': [], 'grid drawn': [] };
let timeline = [];
try {
  for (let run = 0; run < runs; run++) {
    const t0 = Date.now();
    const page = await openPage(browser, `${server.url}/?backend=${backend}&dataset=mnist&model=dcgan${noWorker ? '&worker=0' : ''}`, { gpuStats: false });
    await waitFor('the backend', async () => (await page.getByTestId('backend-name').innerText()) === backend, 120_000, 10);
    phases['backend shown'].push(Date.now() - t0);
    await page.getByTestId('load-pretrained-button').click();
    await waitFor('the notice', async () => (await page.getByTestId('weights-notice').count()) === 1, 300_000, 10);
    phases['weights notice'].push(Date.now() - t0);
    // The grid is 8 cells of 28 px plus 1 px borders: 242 px wide.
    await waitFor('the grid', () => page.evaluate(() => document.querySelector('[data-testid="sample-canvas"]')?.width === 242), 300_000, 10);
    phases['grid drawn'].push(Date.now() - t0);
    timeline = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((r) => `  ${r.name.split('/').pop().padEnd(40)} ${r.startTime.toFixed(0).padStart(5)} → ${r.responseEnd.toFixed(0).padStart(5)} ms`));
    await page.closeAll();
  }
} finally {
  await browser.close();
  await server.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${backend}${noWorker ? ', no worker' : ''}, ${runs} runs, ms from opening the page (median, min–max):`);
for (const [what, xs] of Object.entries(phases)) {
  console.log(`  ${what.padEnd(16)} ${String(median(xs)).padStart(5)}  (${Math.min(...xs)}–${Math.max(...xs)})`);
}
console.log('network, last run (from navigation start):');
console.log(timeline.join('\n'));
