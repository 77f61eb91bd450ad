// Page benchmark, in headless Chromium: training steps/s of the shared benchmark cases (toy GAN,
// MLP GAN, DCGAN, VAE at the page's sizes) on the CPU backend (Burn flex in wasm) and on WebGPU
// (SwiftShader here), and the time from opening the page to the first sample grid drawn from
// bundled weights. Needs a built page (trunk build --release) and `npm ci` in tests/.
// Usage: node tests/bench-page.mjs [cpu] [webgpu]
import { startServer, launchBrowser, openPage, waitFor, ready, canvasPixels } from './e2e/harness.mjs';

const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['cpu', 'webgpu'];
const server = await startServer();
const browser = await launchBrowser({ webgpu: true });
try {
  for (const backend of backends) {
    // Opening the page → first grid from the bundled DCGAN weights (fetch, parse, build, sample, draw).
    const started = Date.now();
    const page = await openPage(browser, server.url, `?backend=${backend}&dataset=mnist&model=dcgan`);
    await waitFor('the backend', async () => (await page.getByTestId('backend-name').innerText()) === backend, 120_000);
    await page.getByTestId('load-pretrained-button').click();
    await waitFor('bundled samples', async () => (await page.getByTestId('weights-notice').count()) === 1, 300_000);
    await waitFor('the grid', async () => (await canvasPixels(page, 'sample-canvas')).width === 242, 300_000);
    console.log(`page, ${backend}: open → first grid from bundled DCGAN weights: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await page.close();

    const bench = await openPage(browser, server.url, `?backend=${backend}`);
    await ready(bench, backend);
    await bench.locator('details.bench summary, .bench summary').first().click();
    await bench.getByTestId('bench-button').click();
    const result = await waitFor('the benchmark', async () => {
      const t = await bench.getByTestId('bench-result').innerText();
      return /vae: .*steps\/s|failed/.test(t) ? t : null;
    }, 900_000, 1000);
    console.log(`page, ${backend}:\n${result.replace(/^/gm, '  ')}`);
    await bench.close();
  }
} finally {
  await browser.close();
  await server.close();
}
