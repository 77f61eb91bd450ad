// How long the lessons that reach PacGAN's quality take in the page: the live loop's steps/s
// on each backend with the lesson's settings, and the minutes its step budget needs at that rate.
//
//   node bench/lessons.mjs [cpu] [webgpu] [--seconds=20]
import { startServer, launchBrowser, openPage, waitFor } from './lib.mjs';

const LESSONS = [['ring8-pacgan', 30_000], ['grid25-pacgan', 50_000]];

const args = process.argv.slice(2);
const backends = args.filter((a) => !a.startsWith('--'));
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 20);

const server = await startServer();
const browser = await launchBrowser();
const text = (page, id) => page.getByTestId(id).innerText();
const steps = async (page) => Number(await text(page, 'step-count'));
try {
  for (const backend of backends.length ? backends : ['cpu', 'webgpu']) {
    for (const [lesson, budget] of LESSONS) {
      const page = await openPage(browser, `${server.url}/?backend=${backend}`, { gpuStats: false });
      await waitFor(backend, async () => (await text(page, 'backend-name')) === backend && (await text(page, 'metric-modes')).includes('/'), 120_000);
      await page.getByTestId('preset-select').selectOption(lesson);
      const modes = lesson.startsWith('grid25') ? '/25' : '/8';
      await waitFor(lesson, async () => (await page.getByTestId('g-neurons').inputValue()) === '128' && (await text(page, 'metric-modes')).endsWith(modes), 120_000);
      await page.getByTestId('train-toggle').click();
      await waitFor('first steps', async () => (await steps(page)) > 0, 120_000);
      await new Promise((ok) => setTimeout(ok, 2000)); // warm-up
      const [s0, t0] = [await steps(page), Date.now()];
      await new Promise((ok) => setTimeout(ok, seconds * 1000));
      const [s1, t1] = [await steps(page), Date.now()];
      await page.getByTestId('train-toggle').click();
      const rate = (s1 - s0) / ((t1 - t0) / 1000);
      console.log(`${backend} ${lesson}: ${rate.toFixed(1)} steps/s live, ${budget} steps in ${(budget / rate / 60).toFixed(1)} min`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
