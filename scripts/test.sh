#!/usr/bin/env bash
# The whole test suite: native unit and integration tests, the wasm build of the page, and the
# end-to-end tests that drive that page in headless Chromium on both backends.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/node_modules/.bin:$PATH" # wasm-opt for Trunk
bash scripts/setup.sh --test

echo "== native tests" >&2
cargo test

echo "== wasm build of the page" >&2
trunk build --release

echo "== browser tests" >&2
(cd tests && node --test --test-concurrency=1 e2e/)
