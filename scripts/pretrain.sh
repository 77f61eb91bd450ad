#!/usr/bin/env bash
# Trains the page-size image models the page bundles (web/weights/<model>.safetensors, f16) and
# prints each command with its wall time. The GANs that need longer are resumed from their first
# run's weights (fresh Adam moments), exactly as the bundled files were made. `vae-16d` is the
# page-size VAE with a 16-D latent (sharper samples, no latent map).
# Usage: [MODELS='ssgan cgan'] scripts/pretrain.sh [--device cpu|cuda|vulkan]
set -euo pipefail
cd "$(dirname "$0")/.."
device=cpu
[[ "${1:-}" == "--device" ]] && device="$2"
source scripts/ganplay-bin.sh
build_ganplay "$device"
mkdir -p web/weights
declare -A steps=([gan-mlp]=3000 [dcgan]=3000 [cgan]=4000 [wgan]=1200 [vae]=6000 [vae-16d]=20000 [cvae]=6000 [ssgan]=6000 [m2]=6000)
# The semi-supervised models' learning rates fall over their second half, and the semi-supervised
# GAN's discriminator carries FixMatch's consistency loss (docs/semi-supervised.md); the
# conditional GAN's critic also names the class (AC-GAN), measured in docs/augmentation.md.
declare -A extra=([ssgan]="--lr-decay-start 3000 --lr-decay-steps 3000 --consistency-weight 1" [m2]="--lr-decay-start 3000 --lr-decay-steps 3000" [vae-16d]="--latent-dim 16" [cgan]="--auxiliary-classifier 1")
declare -A model_of=([vae-16d]=vae)
# Longer runs go on in stages, each resumed from the last one's weights and optimiser state.
declare -A resume_to=([gan-mlp]=12000 [wgan]=4000 [dcgan]="6000 10000 15000 20000" [cgan]="8000 12000 16000 20000")
# Written in f32 until the last stage, then converted to f16 (the others resume from f16 files,
# as their bundled files were made).
declare -A f32_stages=([dcgan]=1 [cgan]=1)
source scripts/timed.sh
for model in ${MODELS:-gan-mlp dcgan cgan wgan vae vae-16d cvae ssgan m2}; do
  out="runs/pretrain/$model"
  # shellcheck disable=SC2086 # the extra flags are words
  # --force: a new pretraining replaces the last one's run folder.
  precision=--f16
  [[ -n "${f32_stages[$model]:-}" ]] && precision=""
  # shellcheck disable=SC2086 # an empty precision is no flag
  run "$ganplay" train --model "${model_of[$model]:-$model}" --scale page --steps "${steps[$model]}" ${extra[$model]:-} \
    --force --log-every 100 --sample-every 1000 --checkpoint-every 0 $precision --device "$device" --out "$out"
  for total in ${resume_to[$model]:-}; do
    # shellcheck disable=SC2086
    run "$ganplay" train --resume "$out/weights.safetensors" --steps "$total" \
      --log-every 100 --sample-every 1000 --checkpoint-every 1000 $precision --device "$device" --out "$out"
  done
  if [[ -z "$precision" ]]; then
    last=$(echo "${resume_to[$model]:-${steps[$model]}}" | awk '{print $NF}')
    run "$ganplay" train --resume "$out/weights.safetensors" --steps "$last" --f16 --device "$device" --out "$out"
  fi
  cp "$out/weights.safetensors" "web/weights/$model.safetensors"
done
