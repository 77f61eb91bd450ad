#!/usr/bin/env bash
# The whole test suite: formatting and lints, native unit and integration tests (the page's state
# rules included), the Python weight loader against the CLI, the wasm build of the page, and the
# end-to-end tests that drive that page in headless Chromium on both backends.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/node_modules/.bin:$PATH" # wasm-opt for Trunk
bash scripts/setup.sh --test

echo "== format and lints" >&2
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p ganplay-web --target wasm32-unknown-unknown -- -D warnings

echo "== native tests" >&2
cargo test

echo "== the Python reference loader against the CLI" >&2
bash scripts/test-python.sh

echo "== wasm build of the page" >&2
trunk build --release

echo "== browser tests" >&2
(cd tests && node --test --test-concurrency=1 e2e/)
