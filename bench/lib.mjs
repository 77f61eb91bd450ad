// Shared set-up of the page benchmark: one static server for the built page (dist/), the
// TensorFlow.js page (bench/tfjs/) and TensorFlow.js's files from bench/node_modules, and Debian's
// headless Chromium launched like the browser tests launch it (tests/e2e/harness.mjs).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const benchDir = dirname(fileURLToPath(import.meta.url));
// GANPLAY_DIST serves another build of the page (an older one for an A/B, or a named one to profile).
export const distDir = process.env.GANPLAY_DIST ?? join(benchDir, '..', 'dist');
const tf = join(benchDir, 'node_modules', '@tensorflow');

// URL prefix → folder. Everything else is the built page.
const mounts = [
  ['/tfjs/', join(benchDir, 'tfjs')],
  ['/vendor/tfjs/', join(tf, 'tfjs', 'dist')],
  ['/vendor/tfjs-backend-wasm/', join(tf, 'tfjs-backend-wasm', 'dist')],
  ['/vendor/tfjs-backend-webgpu/', join(tf, 'tfjs-backend-webgpu', 'dist')],
  ['/', distDir],
];

const types = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.png': 'image/png', '.json': 'application/json', '.gz': 'application/gzip',
  '.map': 'application/json', '.safetensors': 'application/octet-stream',
};

/**
 * Serves the mounts on a free loopback port. With `isolated`, every response carries the
 * cross-origin isolation headers: TensorFlow.js's wasm backend needs SharedArrayBuffer for its
 * threads, and an isolated page also gets finer performance.now() (5 µs instead of 100 µs).
 */
export async function startServer({ isolated = false } = {}) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const [prefix, dir] = mounts.find(([p]) => path.startsWith(p));
    const rest = path.slice(prefix.length);
    const file = join(dir, rest === '' || rest.endsWith('/') ? rest + 'index.html' : rest);
    const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
      headers['cross-origin-resource-policy'] = 'same-origin';
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium with WebGPU on SwiftShader (a software adapter), as in the browser tests. */
export async function launchBrowser() {
  const args = [
    '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader',
  ];
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args });
}

/** Pages that are not on the loopback server (a CDN, say) are recorded here and refused. */
export const offsiteRequests = [];

/**
 * A fresh page (own context, so nothing is shared between runs) with the WebGPU counters of
 * gpu-stats.js installed before any page script, and a record of page errors.
 */
export async function openPage(browser, url, { gpuStats = true } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  if (gpuStats) await context.addInitScript({ path: join(benchDir, 'gpu-stats.js') });
  // Anything off the loopback server is refused and reported: the benchmark must not depend on a CDN.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => {
    offsiteRequests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.closeAll = () => context.close();
  await page.goto(url);
  return page;
}

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor(what, probe, timeoutMs = 60_000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  let failure = '';
  while (Date.now() < end) {
    // A page busy for longer than Playwright's own 30 s timeout fails the probe: try again.
    try {
      const last = await probe();
      if (last) return last;
    } catch (e) {
      failure = ` (last probe: ${e.message.split('\n')[0]})`;
    }
    await new Promise((ok) => setTimeout(ok, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${failure}`);
}

// The toy GAN of bench.rs (G 2-16-16-2, D 2-16-16-1, batch 256, non-saturating, Adam 2e-4) as the
// page's URL knobs (crates/ganplay-web/src/knobs.rs), on ring8.
export const TOY_QUERY = 'dataset=ring8&g-layers=2&d-layers=2&g-neurons=16&d-neurons=16&noise-dim=2&batch-size=256'
  + '&d-steps=1&g-lr=0.0002&d-lr=0.0002&loss-select=nonsaturating&noise-select=gaussian'
  + '&g-activation-select=relu&d-activation-select=relu&g-optimizer-select=adam&d-optimizer-select=adam';
