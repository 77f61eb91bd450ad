// How fast the page's few-labels lesson learns: opens the lesson on one backend, presses Train,
// and reads the step and both test accuracies (the semi-supervised classifier and its
// labels-only twin, measured by the page every 50 steps) until the time is up. Prints the
// readings and when the semi-supervised classifier first reached each goal.
//
//   node bench/few-labels.mjs [cpu|webgpu] [--minutes=5] [--every=10] [--lesson=few-labels]
//
// Times are wall-clock seconds from pressing Train, on whatever else the machine is doing.
import { startServer, launchBrowser, openPage, waitFor } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const backend = args.find((a) => !a.startsWith('--')) ?? 'cpu';
const minutes = Number(option('minutes', 5));
const everySeconds = Number(option('every', 10));
const lesson = option('lesson', 'few-labels');
const goals = [90, 95, 98];

const server = await startServer();
const browser = await launchBrowser();
const readings = [];
try {
  const page = await openPage(browser, `${server.url}/?backend=${backend}`, { gpuStats: false });
  const read = async (id) => (await page.getByTestId(id).innerText()).trim();
  await waitFor('the backend', async () => (await read('backend-name')) === backend, 120_000);
  // As a user picks it: from the lesson list.
  await page.getByTestId('preset-select').selectOption(lesson);
  await waitFor('the step-0 accuracy', async () => Number.isFinite(Number.parseFloat(await read('metric-accuracy'))), 300_000);
  const model = await page.getByTestId('model-select').inputValue();
  const labels = await page.getByTestId('labels-per-class').inputValue();
  console.log(`${lesson} (${model}, ${labels} labels per class) on ${backend}, ${minutes} min from pressing Train`);
  await page.getByTestId('train-toggle').click();
  const start = Date.now();
  const end = start + minutes * 60_000;
  while (Date.now() < end) {
    await new Promise((ok) => setTimeout(ok, Math.min(everySeconds * 1000, end - Date.now())));
    // The page can be busy for a moment: a failed read is skipped, not fatal.
    try {
      readings.push({
        seconds: (Date.now() - start) / 1000,
        step: Number(await read('step-count')),
        semi: Number.parseFloat(await read('metric-accuracy')),
        twin: Number.parseFloat(await read('metric-accuracy-supervised')),
      });
    } catch (e) {
      console.log(`  (a reading failed: ${e.message.split('\n')[0]})`);
    }
  }
  if (page.errors?.length) console.log(`page errors: ${page.errors.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}

console.log('  seconds   step   semi-supervised %   labels only %');
for (const r of readings) {
  console.log(`  ${r.seconds.toFixed(0).padStart(7)} ${String(r.step).padStart(6)} ${r.semi.toFixed(2).padStart(19)} ${r.twin.toFixed(2).padStart(15)}`);
}
const last = readings.at(-1);
if (last) console.log(`steps per second: ${(last.step / last.seconds).toFixed(2)}`);
for (const goal of goals) {
  const first = readings.find((r) => r.semi >= goal);
  console.log(first
    ? `${goal} %: first read at ${first.seconds.toFixed(0)} s (step ${first.step})`
    : `${goal} %: not reached in ${minutes} min (best ${Math.max(...readings.map((r) => r.semi)).toFixed(2)} %)`);
}
