// Page benchmark: training steps/s of the shared benchmark GANs in headless Chromium, on the CPU
// backend (Burn flex in wasm) and on WebGPU (SwiftShader here). Needs a built page (trunk build
// --release) and `npm ci` in tests/. Usage: node tests/bench-page.mjs [cpu] [webgpu]
import { startServer, launchBrowser, openPage, waitFor, ready } from './e2e/harness.mjs';

const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['cpu', 'webgpu'];
const server = await startServer();
const browser = await launchBrowser({ webgpu: true });
try {
  for (const backend of backends) {
    const page = await openPage(browser, server.url, `?backend=${backend}`);
    await ready(page, backend);
    await page.locator('details.bench summary, .bench summary').first().click();
    await page.getByTestId('bench-button').click();
    const result = await waitFor('the benchmark', async () => {
      const t = await page.getByTestId('bench-result').innerText();
      return /image: .*steps\/s|failed/.test(t) ? t : null;
    }, 600_000, 1000);
    console.log(`page, ${backend}:\n${result.replace(/^/gm, '  ')}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
