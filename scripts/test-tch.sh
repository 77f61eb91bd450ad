#!/usr/bin/env bash
# LibTorch's kernels behind the same model code: builds `ganplay` with `--features torch`
# (Burn's `tch` backend, `--device torch`) against a pip-installed PyTorch 2.9, then
#   1. trains the page VAE and the page DCGAN a few hundred steps on LibTorch,
#   2. samples each weight file on LibTorch and on Burn's own CPU backend (flex) from the same
#      noise, and requires the same values (to 1e-4),
#   3. and, with --bench, times every benchmark case on LibTorch next to PyTorch itself.
#
# Usage: scripts/test-tch.sh [--bench] [--seconds S]
# PyTorch 2.9 goes into .venv-tch/ from scripts/requirements-tch.txt when missing (about 3 GB
# from PyPI). The build goes into <target dir>/tch: Burn built with LibTorch is a second build of
# Burn (about 10 minutes here), kept apart from the default one.
set -euo pipefail
cd "$(dirname "$0")/.."

bench=""
seconds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bench) bench=1; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

venv=.venv-tch
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  echo "== installing PyTorch 2.9 into $venv (scripts/requirements-tch.txt)" >&2
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --no-deps -r scripts/requirements-tch.txt
fi

base=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
# torch-sys's build script asks the environment's `python` for LibTorch's headers and libraries.
export VIRTUAL_ENV=$PWD/$venv PATH=$PWD/$venv/bin:$PATH LIBTORCH_USE_PYTORCH=1
export CARGO_TARGET_DIR=$base/tch
echo "== cargo build -p ganplay-cli --features torch (into $CARGO_TARGET_DIR)" >&2
cargo build -p ganplay-cli --features torch
bin=$CARGO_TARGET_DIR/debug/ganplay
torch_lib=$(python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
export LD_LIBRARY_PATH=$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for model in vae dcgan; do
  echo "== $model: 300 steps on LibTorch, then its samples on LibTorch and on flex" >&2
  "$bin" train --model "$model" --scale page --steps 300 --device torch --out "$work/$model" >"$work/$model.log"
  tail -n 2 "$work/$model.log"
  for device in torch cpu; do
    "$bin" sample --weights "$work/$model/weights.safetensors" --device "$device" --count 16 \
      --out "$work/$model-$device.png" --values "$work/$model-$device.json" >/dev/null
  done
  python3 - "$work/$model-torch.json" "$work/$model-cpu.json" "$model" <<'EOF'
import json, sys
flatten = lambda v: [x for item in v for x in flatten(item)] if isinstance(v, list) else [v]
torch_values, flex_values = (flatten(json.load(open(p))) for p in sys.argv[1:3])
assert len(torch_values) == len(flex_values) > 0, (len(torch_values), len(flex_values))
worst = max(abs(a - b) for a, b in zip(torch_values, flex_values))
print(f"{sys.argv[3]}: {len(torch_values)} sample values, largest difference LibTorch against flex {worst:.2e}")
sys.exit(0 if worst < 1e-4 else 1)
EOF
done

if [[ -n "$bench" ]]; then
  echo "== $bin bench --device torch --seconds $seconds --page-sizes-only" >&2
  "$bin" bench --device torch --seconds "$seconds" --page-sizes-only
  echo "== PyTorch 2.9 itself (bench/torch_bench.py)" >&2
  python bench/torch_bench.py --seconds "$seconds" --page-sizes-only
fi
echo "== LibTorch build, training and weight round trip: ok" >&2
