#!/usr/bin/env bash
# Builds the playground (release wasm) and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/node_modules/.bin:$PATH" # wasm-opt for Trunk
bash scripts/setup.sh
exec trunk serve --release "$@"
