// The synthetic-data tools in the page: image metrics of the model in training (finite, next to
// their floor, better for trained weights than for an untrained model), the labelled-data zip
// (the promised files, readable by the CLI), and the reduced augmentation benchmark (runs to its
// table, and can be cancelled).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, targetDir, openPage, text, waitFor, screenshot, gridShown, canvasPixels, inkPixels } from './harness.mjs';

const ctx = useBrowser({ webgpu: false });
const ganplay = process.env.GANPLAY_BIN ?? join(targetDir, 'debug', 'ganplay');

async function openModel(model) {
  const page = await openPage(ctx.browser, ctx.server.url, `?backend=cpu&dataset=mnist&model=${model}`);
  await waitFor('the cpu backend', async () => (await text(page, 'backend-name')) === 'cpu');
  await gridShown(page);
  return page;
}

async function metrics(page) {
  const before = await page.getByTestId('metric-fd').innerText();
  await page.getByTestId('metrics-button').click();
  await waitFor('new metrics', async () => {
    const now = await page.getByTestId('metric-fd').innerText();
    return now !== before && now !== '–' && !(await page.getByTestId('metrics-button').isDisabled());
  }, 120_000);
  const read = async (id) => Number.parseFloat(await page.getByTestId(id).innerText());
  return {
    fd: await read('metric-fd'),
    kid: await read('metric-kid'),
    precision: await read('metric-precision'),
    recall: await read('metric-recall'),
    is: await read('metric-is'),
    floorTitle: await page.getByTestId('metric-fd').getAttribute('title'),
  };
}

/** Entries of a zip whose files are stored uncompressed: name → bytes. */
function unzipStored(buffer) {
  const files = new Map();
  let at = 0;
  while (buffer.readUInt32LE(at) === 0x04034b50) {
    const method = buffer.readUInt16LE(at + 8);
    const size = buffer.readUInt32LE(at + 18);
    const nameLength = buffer.readUInt16LE(at + 26);
    const extraLength = buffer.readUInt16LE(at + 28);
    const name = buffer.toString('utf8', at + 30, at + 30 + nameLength);
    assert.equal(method, 0, `${name} is stored`);
    const start = at + 30 + nameLength + extraLength;
    files.set(name, buffer.subarray(start, start + size));
    at = start + size;
  }
  return files;
}

test('image metrics: finite, with their floor, and better for trained weights than untrained', { timeout: 300_000 }, async () => {
  const page = await openModel('cgan');
  const untrained = await metrics(page);
  for (const [k, v] of Object.entries(untrained)) if (k !== 'floorTitle') assert.ok(Number.isFinite(v), `${k} ${v}`);
  assert.match(untrained.floorTitle, /^floor \(real training digits\): \d+\.\d+$/);
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  const trained = await metrics(page);
  const floor = Number.parseFloat(trained.floorTitle.split(': ')[1]);
  assert.ok(trained.fd < untrained.fd / 2, `Fréchet distance ${trained.fd} vs untrained ${untrained.fd}`);
  assert.ok(trained.fd >= floor, `no model beats the real-data floor (${trained.fd} vs ${floor})`);
  assert.ok(trained.recall > untrained.recall, `recall ${trained.recall} vs ${untrained.recall}`);
  assert.ok(trained.is > untrained.is, `inception-style score ${trained.is} vs ${untrained.is}`);
  assert.ok(trained.is <= 10);
  assert.ok(inkPixels(await canvasPixels(page, 'class-histogram')) > 100, 'the class histogram is drawn');
  assert.ok(inkPixels(await canvasPixels(page, 'metric-history')) > 20, 'the metric history is drawn');
  await screenshot(page, 'quality-metrics-cgan');
  assert.deepEqual(page.errors, []);
});

test('the labelled export downloads a zip of class folders that the CLI trains on', { timeout: 300_000 }, async () => {
  const page = await openModel('cgan');
  await page.getByTestId('load-pretrained-button').click();
  await waitFor('the bundled weights', async () => (await page.getByTestId('weights-notice').count()) === 1, 60_000);
  await page.getByTestId('export-filter').check();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByTestId('export-button').click(),
  ]);
  assert.match(download.suggestedFilename(), /^ganplay-cgan-step\d+-synthetic\.zip$/);
  const dir = await mkdtemp(join(tmpdir(), 'ganplay-export-'));
  const zipPath = join(dir, download.suggestedFilename());
  await download.saveAs(zipPath);
  const files = unzipStored(await readFile(zipPath));
  const manifest = JSON.parse(files.get('manifest.json').toString('utf8'));
  assert.equal(manifest.count, 1000);
  assert.equal(manifest.model, 'cgan');
  assert.equal(manifest.labels_from, 'asked class');
  assert.deepEqual(manifest.counts_per_class, Array(10).fill(100));
  assert.equal(manifest.filter.min_confidence, 0.9);
  assert.ok(manifest.generated >= 1000);
  assert.match(manifest.weights_sha256, /^[0-9a-f]{64}$/);
  const pngs = [...files.keys()].filter((n) => /^\d\/\d{5}\.png$/.test(n));
  assert.equal(pngs.length, 1000);
  for (let c = 0; c < 10; c++) assert.equal(pngs.filter((n) => n.startsWith(`${c}/`)).length, 100);
  // The folder layout is what `ganplay train --data` reads.
  const data = join(dir, 'data');
  for (const [name, bytes] of files) {
    execFileSync('mkdir', ['-p', join(data, name, '..')]);
    await writeFile(join(data, name), bytes);
  }
  const out = execFileSync(ganplay, ['train', '--model', 'cvae', '--scale', 'page', '--data', data,
    '--steps', '2', '--sample-every', '0', '--device', 'cpu', '--out', join(dir, 'run')], { encoding: 'utf8' });
  assert.match(out, /trained cvae to step 2/);
  assert.deepEqual(page.errors, []);
});

test('the reduced augmentation benchmark can be cancelled, and runs to its table', { timeout: 600_000 }, async () => {
  const page = await openModel('dcgan');
  // The benchmark's panel starts folded, as a user finds it.
  await page.locator('details.augment > summary').click();
  await page.getByTestId('augment-size').selectOption('1');
  await page.getByTestId('augment-button').click();
  await waitFor('progress', async () => Number(await page.getByTestId('augment-progress').getAttribute('value')) > 0, 60_000);
  assert.ok(await page.getByTestId('augment-button').isDisabled(), 'one run at a time');
  await page.getByTestId('augment-cancel').click();
  await waitFor('the run to stop', async () => !(await page.getByTestId('augment-button').isDisabled()));
  assert.equal(await page.getByTestId('augment-result').count(), 0, 'a cancelled run shows no result');

  await page.getByTestId('augment-button').click();
  await waitFor('the result table', async () => (await page.getByTestId('augment-result').count()) === 1, 540_000, 1000);
  const table = await page.getByTestId('augment-result').innerText();
  for (const arm of ['real only', 'real + classic augmentation', 'real + cGAN samples', 'real + cVAE samples', 'cGAN samples only (CAS)']) {
    assert.ok(table.includes(arm), `${arm} in ${table}`);
  }
  const accuracies = [...table.matchAll(/(\d+\.\d) ± (\d+\.\d)/g)].map((m) => Number(m[1]));
  assert.ok(accuracies.length >= 8, table);
  assert.ok(accuracies.every((a) => a >= 0 && a <= 100), table);
  // Ten real digits per class already beat chance (10 %) by far.
  assert.ok(accuracies[0] > 30, `real only: ${accuracies[0]} %`);
  assert.ok(inkPixels(await canvasPixels(page, 'augment-chart')) > 100);
  await screenshot(page, 'quality-augment');
  assert.deepEqual(page.errors, []);
});
