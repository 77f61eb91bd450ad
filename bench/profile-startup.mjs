// Where the main thread spends start-up: a Chrome CPU profile (through the DevTools protocol) of
// the flow `startup.mjs` times (open the page, wait for the backend, press "Load pre-trained",
// wait for the grid), summarised as the functions with the most time of their own, the most time
// including their callees, and a timeline of what ran in each slice of the run (by the outermost
// function of the page's own crates). Profile a build with function names (bench/named-build.sh),
// or wasm frames show as numbers.
//
//   GANPLAY_DIST=dist-named node bench/profile-startup.mjs [cpu|webgpu] [--top=30] [--slice=100]
import { writeFile } from 'node:fs/promises';
import { startServer, launchBrowser, waitFor } from './lib.mjs';

const args = process.argv.slice(2);
const backend = args.find((a) => !a.startsWith('--')) ?? 'cpu';
const option = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const top = option('top', 30);
const sliceMs = option('slice', 100);

const server = await startServer();
const browser = await launchBrowser();
let profile;
const marks = {};
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); // µs
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await page.goto(`${server.url}/?backend=${backend}&dataset=mnist&model=dcgan`);
  await waitFor('the backend', async () => (await page.getByTestId('backend-name').innerText()) === backend, 120_000, 10);
  marks['backend shown'] = Date.now() - t0;
  await page.getByTestId('load-pretrained-button').click();
  marks['clicked'] = Date.now() - t0;
  await waitFor('the grid', () => page.evaluate(() => document.querySelector('[data-testid="sample-canvas"]')?.width === 242), 300_000, 10);
  marks['grid drawn'] = Date.now() - t0;
  ({ profile } = await cdp.send('Profiler.stop'));
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
await writeFile('startup.cpuprofile', JSON.stringify(profile)); // opens in Chrome's DevTools

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const nameOf = (n) => n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'anonymous'})`;
const self = new Map();
const inclusive = new Map();
const slices = [];
let t = profile.startTime;
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // ms until the next sample
  t += profile.timeDeltas[i];
  const leaf = nameOf(nodes.get(id));
  self.set(leaf, (self.get(leaf) ?? 0) + dt);
  const stack = [];
  for (let at = id; at !== undefined; at = parent.get(at)) stack.push(nameOf(nodes.get(at)));
  for (const name of new Set(stack)) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
  if (leaf === '(idle)') return;
  // A slice names the outermost function of ours (ganplay_…) in each sample, else the leaf.
  const ours = stack.findLast((f) => f.startsWith('ganplay_'));
  const slice = Math.floor((t - profile.startTime) / 1000 / sliceMs);
  const key = ours?.replace(/::h[0-9a-f]{16}$/, '') ?? leaf;
  const counts = (slices[slice] ??= new Map());
  counts.set(key, (counts.get(key) ?? 0) + dt);
});
const table = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top)
  .map(([name, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${name.slice(0, 110)}`).join('\n');
console.log(`${backend}: ${Object.entries(marks).map(([k, v]) => `${k} ${v} ms`).join(', ')} (from goto)`);
console.log(`\nself time:\n${table(self)}`);
console.log(`\nincluding callees:\n${table(inclusive)}`);
console.log(`\nbusy time per ${sliceMs} ms slice of the profile (the two largest parts):`);
slices.forEach((slice, i) => {
  if (!slice) return;
  const busy = [...slice.values()].reduce((a, b) => a + b, 0);
  const main = [...slice].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([n, ms]) => `${ms.toFixed(0)} ${n.slice(0, 70)}`).join(' | ');
  console.log(`  ${String(i * sliceMs).padStart(5)} ms: ${busy.toFixed(0).padStart(3)} busy  ${main}`);
});
console.log('\nfull profile: startup.cpuprofile');
