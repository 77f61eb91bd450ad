#!/usr/bin/env bash
# Installs what building (and, with --test, testing) ganplay needs, skipping what is there.
# Downloads only from crates.io, Debian and npm: Trunk is told never to fetch tools itself.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

say() { echo "setup: $*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

trunk_version=0.21.14 # 0.22 needs a newer rustc than this machine has
if ! trunk --version 2>/dev/null | grep -q " $trunk_version"; then
  say "installing trunk $trunk_version (a few minutes)"
  # Trunk only drives the build, so its own speed does not matter, its build time does. Its
  # release profile asks for fat LTO in one codegen unit (12 min on two cores); without them and
  # at opt-level 1, and without its default features (TLS, for serving HTTPS and downloading
  # tools, which this project never does, and the update check) it builds in 7.3 min.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install trunk --version "$trunk_version" --locked --no-default-features
fi

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
  say "installing wasm-bindgen-cli $bindgen_version"
  # Not --locked: one of its locked dependencies is missing from the registry mirror. Built as
  # lean as Trunk (see above): without its default feature (TLS, used only by its test runner to
  # download web drivers) and without LTO, at opt-level 1; Trunk runs it for seconds per build.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install wasm-bindgen-cli --version "$bindgen_version" --no-default-features
fi
if ! grep -q "wasm_bindgen = \"$bindgen_version\"" Trunk.toml; then
  echo "setup: Trunk.toml's [tools] wasm_bindgen must be $bindgen_version (the lock file's)" >&2
  exit 1
fi

# wasm-opt for the page's release build, from npm (Trunk runs it from PATH, see Trunk.toml).
if [ ! -x scripts/node_modules/.bin/wasm-opt ]; then
  say "installing binaryen's wasm-opt from npm"
  (cd scripts && npm ci --no-audit --no-fund)
fi

if $want_test; then
  if ! command -v chromium >/dev/null; then
    say "installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d tests/node_modules/playwright-core ]; then
    say "installing the browser-test packages"
    (cd tests && npm ci --no-audit --no-fund)
  fi
fi
