#!/usr/bin/env bash
# Trains the 2D GANs the page bundles (web/weights/toy-<dataset>.safetensors) and prints each
# command with its wall time: ring8 and grid25 with their "settings that work" lessons, the other
# shapes with the page's default knobs.
# Usage: scripts/pretrain-2d.sh [--device cpu|cuda|vulkan]
set -euo pipefail
cd "$(dirname "$0")/.."
device=cpu
[[ "${1:-}" == "--device" ]] && device="$2"
source scripts/ganplay-bin.sh
build_ganplay "$device"
mkdir -p web/weights
source scripts/timed.sh
train() { # dataset, then the flags that pick its settings
  local dataset="$1" out="runs/pretrain-2d/$1"
  shift
  # --force: a new pretraining replaces the last one's run folder.
  run "$ganplay" train "$@" --force --log-every 1000 --device "$device" --out "$out"
  cp "$out/weights.safetensors" "web/weights/toy-$dataset.safetensors"
}
train ring8 --preset ring8-pacgan --steps 30000   # the lesson at its step budget
train grid25 --preset grid25-pacgan --steps 50000
for dataset in spiral moons line; do
  train "$dataset" --dataset "$dataset" --steps 6000
done
