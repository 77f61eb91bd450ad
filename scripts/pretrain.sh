#!/usr/bin/env bash
# Trains the page-size image models the page bundles (web/weights/<model>.safetensors, f16) and
# prints each command with its wall time. Usage: scripts/pretrain.sh [--device cpu|cuda|vulkan]
set -euo pipefail
cd "$(dirname "$0")/.."
device="${2:-cpu}"
[[ "${1:-}" == "--device" ]] || device=cpu
# The dev profile builds dependencies (all the numeric code) at opt-level 3.
cargo build -p ganplay-cli
mkdir -p web/weights
declare -A steps=([gan-mlp]=3000 [dcgan]=3000 [cgan]=3000 [wgan]=1200 [vae]=6000 [cvae]=6000)
for model in gan-mlp dcgan cgan wgan vae cvae; do
  out="runs/pretrain/$model"
  cmd=(target/debug/ganplay train --model "$model" --scale page --steps "${steps[$model]}"
       --log-every 100 --sample-every 1000 --checkpoint-every 0 --f16 --device "$device" --out "$out")
  echo "+ ${cmd[*]}"
  start=$(date +%s)
  "${cmd[@]}"
  echo "$model: $(( $(date +%s) - start )) s"
  cp "$out/weights.safetensors" "web/weights/$model.safetensors"
done
