// The page's wasm as the linker wrote it (before wasm-bindgen and wasm-opt, which drop names):
// no export may be wrapped in a `*.command_export` shim. Those shims re-run every static
// constructor on each call from JavaScript, which once cost three quarters of the page's time
// (see `run_static_constructors` in crates/ganplay-web/src/main.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { targetDir } from './harness.mjs';

// The profile Trunk's release build uses (index.html: data-cargo-profile-release).
const linkedWasm = () => join(targetDir, 'wasm32-unknown-unknown', 'wasm-release', 'ganplay-web.wasm');

test('the linked page has no command_export shims', async () => {
  const wasm = (await readFile(linkedWasm())).toString('latin1');
  // The names must be there, or the absence of shims below would prove nothing.
  assert.ok(wasm.includes('__wasm_call_ctors'), 'the linked wasm has no function names to check');
  const shims = wasm.match(/[\w$.]+command_export/g) ?? [];
  assert.deepEqual(shims, [], `exports wrapped in constructor-running shims: ${shims.slice(0, 5).join(', ')}`);
});
