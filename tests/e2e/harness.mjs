// Shared set-up for the browser tests: a static server for the built page (dist/), Debian's
// headless Chromium with or without WebGPU, and small helpers to read the page's test ids.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const distDir = join(root, 'dist');
export const artifactsDir = join(root, 'artifacts');

/** Cargo's target directory (CARGO_TARGET_DIR moves it out of the checkout, as .ci/run does). */
export const targetDir = JSON.parse(
  execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: root, encoding: 'utf8' }),
).target_directory;

const types = {
  '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.png': 'image/png', '.json': 'application/json', '.csv': 'text/csv', '.gz': 'application/gzip',
};

/** Serves dist/ on a free loopback port. */
export async function startServer() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(distDir, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium; `webgpu` turns on WebGPU on SwiftShader (a software adapter). */
export async function launchBrowser({ webgpu = true } = {}) {
  const args = [
    '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
  ];
  if (webgpu) args.push('--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader');
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args });
}

/** Opens the page with the given query and records uncaught page errors. */
export async function openPage(browser, baseUrl, query = '') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  await page.goto(`${baseUrl}/${query}`);
  return page;
}

export const text = (page, id) => page.getByTestId(id).innerText();
export const number = async (page, id) => Number.parseFloat(await text(page, id));

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor(what, probe, timeoutMs = 60_000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await probe();
    if (last) return last;
    await new Promise((ok) => setTimeout(ok, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function screenshot(page, name) {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

/** The README's picture of the page (`artifacts/readme-page.png`, copied by hand to
 * `docs/images/page.png`): the viewport, scrolled so that `testId` is in view. */
export async function readmeScreenshot(page, testId) {
  await mkdir(artifactsDir, { recursive: true });
  await page.getByTestId(testId).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifactsDir, 'readme-page.png') });
}

/** Waits until the page reports `backend` in use and has drawn an untrained model. */
export async function ready(page, backend) {
  await waitFor(`backend ${backend}`, async () => (await text(page, 'backend-name')) === backend, 60_000);
  await waitFor('the first samples', async () => (await text(page, 'metric-modes')).includes('/'), 60_000);
}

/** Starts a server and a browser before a test file's tests and stops them after. */
export function useBrowser({ webgpu = true } = {}) {
  const ctx = {};
  before(async () => {
    ctx.server = await startServer();
    ctx.browser = await launchBrowser({ webgpu });
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  return ctx;
}

/** The pixels of a canvas: `{ width, height, data }` (RGBA). */
export async function canvasPixels(page, testId) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return { width: c.width, height: c.height, data: Array.from(data) };
  }, testId);
}

/** Decodes a PNG file in the page, as `{ width, height, data }` (RGBA). */
export async function pngPixels(page, bytes) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return { width: c.width, height: c.height, data: Array.from(ctx.getImageData(0, 0, c.width, c.height).data) };
  }, Buffer.from(bytes).toString('base64'));
}

/** Number of distinct grey levels in an image: a blank or flat canvas has one or two. */
export function greyLevels(pixels) {
  const seen = new Set();
  for (let i = 0; i < pixels.data.length; i += 4) seen.add(pixels.data[i]);
  return seen.size;
}

/** Largest per-channel difference between two same-sized images. */
export function maxPixelDifference(a, b) {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
  return worst;
}

/** Waits until the sample canvas shows an image grid (`columns` cells of 28 px per row). */
export async function gridShown(page, columns = 8) {
  const width = columns * 30 + 2;
  await waitFor(`a ${columns}-column sample grid`, async () => (await canvasPixels(page, 'sample-canvas')).width === width, 60_000);
}

/** Pixels that differ clearly from the canvas's top-left pixel (its background): a blank canvas has none. */
export function inkPixels(pixels) {
  const d = pixels.data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - d[0]) > 24 || Math.abs(d[i + 1] - d[1]) > 24 || Math.abs(d[i + 2] - d[2]) > 24) ink++;
  }
  return ink;
}

/** The tensors of a safetensors file (f32 only), by name. */
export async function readSafetensors(path) {
  const bytes = await readFile(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const data = bytes.subarray(8 + headerLength);
  const tensors = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    assert.equal(info.dtype, 'F32', `${name} is ${info.dtype}`);
    const [start, end] = info.data_offsets;
    tensors[name] = new Float32Array(data.buffer.slice(data.byteOffset + start, data.byteOffset + end));
  }
  return tensors;
}

/** Clicks Step `n` times, waiting each time for the step count to go up by one. */
export async function steps(page, n, timeoutMs = 60_000) {
  const start = Number(await text(page, 'step-count'));
  for (let i = 1; i <= n; i++) {
    await page.getByTestId('step-button').click();
    await waitFor(`step ${start + i}`, async () => Number(await text(page, 'step-count')) === start + i, timeoutMs);
  }
}

/** Downloads the page's weight file into `dir`, as `name` or the name the page suggests; returns its path. */
export async function saveWeights(page, dir, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-weights-button').click()]);
  const path = join(dir, name ?? download.suggestedFilename());
  await download.saveAs(path);
  return path;
}
