// Page benchmark, in Debian's headless Chromium: training steps/s of ganplay's benchmark cases
// (toy GAN, MLP GANs, DCGAN, VAE at the page's sizes) next to TensorFlow.js 4.22 training the
// same networks in the same browser, and a per-step count of the WebGPU work both make.
//
//   node bench/bench-page.mjs [cpu] [webgpu] [diag] [--seconds=5] [--cases=toy,vae]
//                             [--steps=10] [--live=10] [--no-ours] [--no-tfjs]
//
// cpu:    ours on Burn's flex backend (wasm) vs TF.js wasm (SIMD + threads), TF.js webgl for reference
// webgpu: ours on Burn's WebGPU backend vs TF.js webgpu
// diag:   WebGPU calls per training step, ours (Step button, live training) and TF.js (toy GAN)
// Default: all three. Ours needs the built page in dist/ (trunk build --release); without it only
// TF.js runs. Needs `npm ci` in bench/. See bench/README.md.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, waitFor, distDir, offsiteRequests, TOY_QUERY } from './lib.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
};
const flag = (name) => args.includes(`--${name}`);
const modes = args.filter((a) => !a.startsWith('--'));
const run = modes.length ? new Set(modes) : new Set(['cpu', 'webgpu', 'diag']);
const seconds = Number(option('seconds', 5));
const onlyCases = option('cases', null)?.split(',');
const fixedSteps = Number(option('steps', 10));
const liveSeconds = Number(option('live', 10));
const withOurs = !flag('no-ours') && existsSync(join(distDir, 'index.html'));
const withTfjs = !flag('no-tfjs');
if (!flag('no-ours') && !withOurs) console.log(`(no built page in ${distDir}: TensorFlow.js only)\n`);


const rates = {}; // rates[`ours ${backend}`|`tfjs ${backend}`] = Map(case → steps/s, or an error text)
const gpuRows = []; // per-step WebGPU rows of the diagnostic (toy GAN, both sides)
const caseGpuRows = []; // { name, row }: per-step WebGPU rows of every case of the webgpu run, both sides
let plain; // our page, served as the browser tests serve it
let isolated; // TF.js (its wasm threads need cross-origin isolation) and the diagnostic
let browser;

async function main() {
  plain = await startServer();
  isolated = await startServer({ isolated: true });
  browser = await launchBrowser();
  try {
    for (const pairing of ['cpu', 'webgpu'].filter((p) => run.has(p))) {
      console.log(`== ${pairing === 'cpu' ? 'CPU' : 'WebGPU'} ==`);
      if (withOurs) {
        await openToGrid(pairing);
        rates[`ours ${pairing}`] = await oursPanel(pairing);
      }
      if (withTfjs) {
        for (const backend of pairing === 'cpu' ? ['wasm', 'webgl'] : ['webgpu']) {
          rates[`tfjs ${backend}`] = await tfjsRun(backend);
        }
      }
      printRates(pairing);
    }
    if (run.has('diag')) await diagnostic();
    else if (caseGpuRows.length) printGpuRows();
  } finally {
    await browser.close();
    await plain.close();
    await isolated.close();
  }
  if (offsiteRequests.length) {
    console.log(`\nWARNING: pages asked for ${offsiteRequests.length} off-machine URLs (refused): ${[...new Set(offsiteRequests)].join(', ')}`);
    process.exitCode = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Our page.

/** Opening the page → first grid from the bundled DCGAN weights (fetch, parse, build, sample, draw). */
async function openToGrid(backend) {
  const started = Date.now();
  const page = await openPage(browser, `${plain.url}/?backend=${backend}&dataset=mnist&model=dcgan`, { gpuStats: false });
  try {
    await waitFor('the backend', async () => (await page.getByTestId('backend-name').innerText()) === backend, 120_000);
    await page.getByTestId('load-pretrained-button').click();
    await waitFor('bundled samples', async () => (await page.getByTestId('weights-notice').count()) === 1, 300_000);
    // The grid is 8 cells of 28 px plus 1 px borders: 242 px wide.
    await waitFor('the grid', () => page.evaluate(() => document.querySelector('[data-testid="sample-canvas"]')?.width === 242), 300_000);
    console.log(`ours, ${backend}: open → first grid from bundled DCGAN weights: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.log(`ours, ${backend}: open → first grid failed: ${e.message}`);
  } finally {
    await page.closeAll();
  }
}

/** Waits until the page reports `backend` in use and has drawn an untrained model. */
async function ready(page, backend) {
  await waitFor(`backend ${backend}`, async () => (await page.getByTestId('backend-name').innerText()) === backend, 120_000);
  await waitFor('the first samples', async () => (await page.getByTestId('metric-modes').innerText()).includes('/'), 300_000);
}

/**
 * The page's own benchmark panel; returns case → steps/s for whichever cases it printed. On WebGPU
 * it also keeps each case's WebGPU work per step (the panel marks its cases on the performance
 * timeline), served cross-origin isolated for a finer performance.now().
 */
async function oursPanel(backend) {
  const gpu = backend === 'webgpu';
  const page = await openPage(browser, `${(gpu ? isolated : plain).url}/?backend=${backend}`, { gpuStats: gpu });
  try {
    await ready(page, backend);
    await page.locator('.bench summary').first().click();
    await page.getByTestId('bench-button').click();
    const text = await waitFor('the benchmark panel', async () => {
      const t = await page.getByTestId('bench-result').innerText();
      return /vae: .*steps\/s|failed/.test(t) ? t : null;
    }, 1_800_000, 1000);
    console.log(`ours, ${backend}, benchmark panel:\n${text.replace(/^/gm, '  ')}`);
    if (gpu) {
      const cases = await page.evaluate(() => window.__gpuStats?.cases ?? {});
      for (const [name, c] of Object.entries(cases)) {
        caseGpuRows.push({ name, row: gpuRow(`ours ${name}, benchmark panel`, c.steps, c.ms, c.gpu) });
      }
    }
    return parseRates(text);
  } catch (e) {
    console.log(`ours, ${backend}: benchmark panel failed: ${e.message}`);
    return new Map();
  } finally {
    await page.closeAll();
  }
}

function parseRates(text) {
  const out = new Map();
  for (const m of text.matchAll(/^([\w-]+): ([\d.]+) steps\/s/gm)) out.set(m[1], Number(m[2]));
  return out;
}

// ---------------------------------------------------------------------------------------------
// TensorFlow.js.

async function tfjsPage(backend) {
  const page = await openPage(browser, `${isolated.url}/tfjs/?backend=${backend}`);
  await waitFor('the TF.js page', () => page.evaluate(() => window.benchLoaded === true), 60_000);
  const info = await page.evaluate((b) => window.benchInit(b), backend);
  return { page, info };
}

function describe(info) {
  const parts = [`TF.js ${info.version} ${info.backend}`, `cross-origin isolated: ${info.crossOriginIsolated}`];
  if (info.backend === 'wasm') parts.push(`WASM_HAS_SIMD_SUPPORT: ${info.simd}`, `WASM_HAS_MULTITHREAD_SUPPORT: ${info.threads}`, `threads: ${info.threadCount}`);
  if (info.adapter) parts.push(`adapter: ${info.adapter.vendor || '?'} / ${info.adapter.architecture || '?'}`);
  if (info.renderer) parts.push(`WebGL ${info.webglVersion}: ${info.renderer}`);
  return parts.join(', ');
}

/** Every case on one TF.js backend, ~`seconds` each; returns case → steps/s. */
async function tfjsRun(backend) {
  const out = new Map();
  let page;
  try {
    const opened = await tfjsPage(backend);
    page = opened.page;
    console.log(describe(opened.info));
    const names = (await page.evaluate(() => window.benchCases())).filter((n) => !onlyCases || onlyCases.includes(n));
    for (const name of names) {
      let r;
      try {
        r = await page.evaluate(([n, s]) => window.benchCase(n, { seconds: s }), [name, seconds]);
      } catch (e) {
        // E.g. the wasm backend has no gradient kernels for convolutions (Conv2DBackpropFilter).
        const why = e.message.split('\n')[0].replace(/^page\.evaluate: (Error: )?/, '');
        console.log(`  ${name}: cannot train: ${why}`);
        out.set(name, why);
        continue;
      }
      out.set(name, r.stepsPerSec);
      const leak = r.leakedTensors ? `, ${r.leakedTensors} tensors leaked` : '';
      const losses = r.losses.map((l) => l.toFixed(3)).join(' / ');
      console.log(`  ${name}: ${r.stepsPerSec.toFixed(1)} steps/s (${r.description}; ${r.steps} steps, warm-up ${(r.warmUpMs / 1000).toFixed(1)} s, losses ${losses}${leak})`);
      if (backend === 'webgpu' && r.gpu) caseGpuRows.push({ name, row: gpuRow(`TF.js ${name}, steps/s run`, r.steps, r.ms, r.gpu) });
    }
    if (page.errors.length) console.log(`  page errors: ${page.errors.slice(0, 5).join(' | ')}`);
  } catch (e) {
    console.log(`TF.js ${backend} failed: ${e.message.split('\n')[0]}`);
  } finally {
    await page?.closeAll();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tables.

// A rate is a number, undefined (not run) or an error text (could not run: "n/a"). Our panel prints
// one decimal, so its 0.0 means below 0.05 steps/s.
const fmt = (v) => (typeof v === 'string' ? 'n/a' : v === undefined ? '–' : v === 0 ? '<0.05'
  : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (a, b) => (typeof a !== 'number' || typeof b !== 'number' || b === 0 ? '–'
  : a === 0 ? `<${(0.05 / b).toFixed(2)}x` : `${(a / b).toFixed(2)}x`);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function printRates(pairing) {
  const ours = rates[`ours ${pairing}`];
  const peers = pairing === 'cpu' ? ['wasm', 'webgl'] : ['webgpu'];
  const names = [...new Set([...(ours?.keys() ?? []), ...peers.flatMap((p) => [...(rates[`tfjs ${p}`]?.keys() ?? [])])])];
  const header = ['case', `ours ${pairing}`];
  for (const p of peers) header.push(`TF.js ${p}`, `ours/${p}`);
  const rows = names.map((n) => {
    const o = ours?.get(n);
    const row = [n, fmt(o)];
    for (const p of peers) {
      const t = rates[`tfjs ${p}`]?.get(n);
      row.push(fmt(t), ratio(o, t));
    }
    return row;
  });
  console.log(`\ntraining steps/s, ${pairing === 'cpu'
    ? 'ours on Burn flex (wasm) vs TensorFlow.js wasm; webgl for reference'
    : 'ours on Burn WebGPU vs TensorFlow.js webgpu'} (ours/TF.js > 1: ours is faster)`);
  console.log(table(header, rows));
  for (const p of peers) {
    for (const [n, v] of rates[`tfjs ${p}`] ?? []) if (typeof v === 'string') console.log(`n/a: TF.js ${p} cannot train ${n}: ${v}`);
  }
  console.log();
}

// ---------------------------------------------------------------------------------------------
// WebGPU diagnostic.

/** One row of the per-step table from a gpu-stats.js counter difference over `steps` steps. */
function gpuRow(what, steps, ms, g) {
  const per = (v) => v / steps;
  const uploads = g.writeBuffers + g.writeTextures + g.mappedAtCreation;
  const uploadBytes = g.writeBufferBytes + g.writeTextureBytes + g.mappedAtCreationBytes;
  const msPerStep = per(ms);
  const inside = per(g.insideMs);
  const waiting = per(g.mapWaitMs);
  return [
    what, steps, fmt(msPerStep),
    fmt(per(g.dispatches)), fmt(per(g.submits)),
    `${fmt(per(uploads))} / ${fmt(per(uploadBytes) / 1024)}`,
    `${fmt(per(g.readMaps))} / ${fmt(per(g.readMapBytes) / 1024)}`,
    fmt(per(g.copies)),
    fmt(per(g.buffers)), fmt(per(g.bindGroups)),
    `${g.pipelines + g.asyncPipelines} / ${g.shaderModules}`,
    fmt(inside), fmt(waiting), fmt(msPerStep - inside - waiting),
  ];
}

/** Rows of the same case together (ours first: it runs first), cases in the order first seen. */
function byCase(rows) {
  const order = [...new Set(rows.map((r) => r.name))];
  return order.flatMap((name) => rows.filter((r) => r.name === name).map((r) => r.row));
}

function printGpuRows() {
  console.log('\nWebGPU work per training step (one step = one D update + one G update; one update for the VAE)');
  console.log(table([
    'run', 'steps', 'ms/step', 'dispatches', 'submits', 'uploads / KB', 'read-backs / KB', 'copies',
    'new buffers', 'bind groups', 'pipelines / shaders (total)', 'ms in WebGPU calls', 'ms awaiting mapAsync', 'ms rest',
  ], [...gpuRows, ...byCase(caseGpuRows)]));
  console.log(`uploads: writeBuffer + writeTexture + buffers mapped at creation; read-backs: mapAsync(READ);
ms rest: wall time minus time inside WebGPU calls and time awaiting read-backs (JS, wasm, the browser).
SwiftShader runs the GPU work on the CPU: "awaiting" is that work here, not a real GPU's.`);
}

async function diagnostic() {
  console.log('== WebGPU diagnostic (toy GAN: G 2-16-16-2, D 2-16-16-1, batch 256, non-saturating, Adam) ==');
  if (withOurs) {
    try {
      await oursDiagnostic();
    } catch (e) {
      console.log(`ours: diagnostic failed: ${e.message.split('\n')[0]}`);
    }
  }
  if (withTfjs) {
    let page;
    try {
      const opened = await tfjsPage('webgpu');
      page = opened.page;
      const one = await page.evaluate((n) => window.benchCase('toy', { fixedSteps: n }), fixedSteps);
      gpuRows.push(gpuRow('TF.js toy, one step + read-back each', one.steps, one.ms, one.gpu));
      const paced = await page.evaluate((s) => window.benchCase('toy', { seconds: s }), liveSeconds);
      gpuRows.push(gpuRow('TF.js toy, paced loop', paced.steps, paced.ms, paced.gpu));
    } catch (e) {
      console.log(`TF.js: diagnostic failed: ${e.message.split('\n')[0]}`);
    } finally {
      await page?.closeAll();
    }
  }
  printGpuRows();
}

/**
 * Ours on the toy GAN: `fixedSteps` presses of the Step button (one full step, then the losses and
 * the view, read back and drawn), then `liveSeconds` of live training (steps paced as in the page,
 * the view every 200 ms). Served cross-origin isolated for a finer performance.now().
 */
async function oursDiagnostic() {
  const page = await openPage(browser, `${isolated.url}/?backend=webgpu&${TOY_QUERY}`);
  try {
    await ready(page, 'webgpu');
    const knobs = await page.evaluate(() => ['g-neurons', 'd-neurons', 'batch-size', 'loss-select', 'g-lr']
      .map((id) => `${id}=${document.querySelector(`[data-testid="${id}"]`)?.value}`).join(' '));
    console.log(`ours: page knobs ${knobs}`);
    const press = await page.evaluate(async (n) => {
      const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
      // Resolves when the step counter shows something else than `before` (the step's results are in).
      const counterChange = (before) => new Promise((resolve, reject) => {
        const timer = setTimeout(() => { o.disconnect(); reject(new Error('no step within 300 s')); }, 300_000);
        const o = new MutationObserver(() => {
          if ($('step-count').textContent !== before) { clearTimeout(timer); o.disconnect(); resolve(); }
        });
        o.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const pressOnce = async () => {
        const before = $('step-count').textContent;
        const done = counterChange(before);
        $('step-button').click();
        await done;
        await new Promise((r) => setTimeout(r, 0)); // let the page draw before the next press
      };
      for (let i = 0; i < 2; i++) await pressOnce(); // warm-up: pipelines compile here
      window.__gpuStats.reset();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await pressOnce();
      return { ms: performance.now() - t0, gpu: window.__gpuStats.snapshot() };
    }, fixedSteps);
    gpuRows.push(gpuRow('ours toy, Step button', fixedSteps, press.ms, press.gpu));

    const live = await page.evaluate(async (liveMs) => {
      const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
      const counterChange = () => new Promise((resolve, reject) => {
        const before = $('step-count').textContent;
        const timer = setTimeout(() => { o.disconnect(); reject(new Error('no progress within 300 s')); }, 300_000);
        const o = new MutationObserver(() => {
          // Read the counters at once: the counter changes when a chunk's results are in.
          if ($('step-count').textContent !== before) {
            clearTimeout(timer);
            o.disconnect();
            resolve({ steps: Number($('step-count').textContent), at: performance.now(), gpu: window.__gpuStats.snapshot() });
          }
        });
        o.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      $('train-toggle').click();
      await counterChange();
      const start = await counterChange(); // the pacer's first chunks are behind us
      window.__gpuStats.reset();
      await new Promise((r) => setTimeout(r, liveMs));
      const end = await counterChange();
      $('train-toggle').click();
      return { steps: end.steps - start.steps, ms: end.at - start.at, gpu: end.gpu, rate: $('steps-per-sec').textContent };
    }, liveSeconds * 1000);
    gpuRows.push(gpuRow(`ours toy, live training (page says ${live.rate} steps/s)`, live.steps, live.ms, live.gpu));
    if (page.errors.length) console.log(`ours: page errors: ${page.errors.slice(0, 5).join(' | ')}`);
  } finally {
    await page.closeAll();
  }
}

await main();
