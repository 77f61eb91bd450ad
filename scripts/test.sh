#!/usr/bin/env bash
# The whole test suite: formatting and lints, native unit and integration tests (the page's state
# rules included), the Python weight loader against the CLI, the documentation's links, the wasm build of the page, and the
# end-to-end tests that drive that page in headless Chromium on both backends.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/node_modules/.bin:$PATH" # wasm-opt for Trunk
# Each stage says when it starts, so a slow run shows where its time went.
stage() { echo "== $* ($((SECONDS / 60)) min $((SECONDS % 60)) s in)" >&2; }

stage "set-up"
bash scripts/setup.sh --test

stage "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p ganplay-web --target wasm32-unknown-unknown -- -D warnings

stage "native tests"
cargo test

stage "the Python reference loader against the CLI"
bash scripts/test-python.sh

stage "links of the README and docs"
node --test tests/docs/

stage "wasm build of the page"
trunk build --release

stage "browser tests"
(cd tests && node --test --test-concurrency=1 e2e/)
stage "done"
