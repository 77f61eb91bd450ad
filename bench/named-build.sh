#!/usr/bin/env bash
# A copy of the built page (dist/) whose wasm keeps its function names, for CPU profiles
# (bench/profile-startup.mjs): wasm-bindgen run again on the release build's wasm with
# --keep-debug and without wasm-opt, under the names index.html already loads. The subresource
# integrity attributes go, since the files change. Serve it with GANPLAY_DIST=dist-named.
#
#   trunk build --release && bash bench/named-build.sh   # → dist-named/
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm-release/ganplay-web.wasm"
[ -f "$target" ] || { echo "no $target: run trunk build --release first" >&2; exit 1; }
glue=$(basename "$(ls dist/ganplay-web-*.js | head -1)" .js)
rm -rf dist-named
cp -r dist dist-named
wasm-bindgen --keep-debug --target web --no-typescript --out-dir dist-named --out-name "$glue" "$target"
sed -i -E 's/ integrity="[^"]*"//g' dist-named/index.html
echo "dist-named/: $(du -h "dist-named/${glue}_bg.wasm" | cut -f1) wasm with names" >&2
