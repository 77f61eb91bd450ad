#!/usr/bin/env bash
# A/B of a training technique on one image model: trains it with and without the technique's
# flags for each seed (same steps, same everything else), scores every run with `ganplay eval`
# (1,000 samples against the bundled reference classifier) and prints Fréchet distance and
# recall as mean ± sd over the seeds, and each seed's pair.
# Usage: scripts/ab-technique.sh MODEL STEPS 'FLAGS OF B' [SEEDS] [EXTRA FLAGS FOR BOTH]
#   e.g. scripts/ab-technique.sh dcgan 3000 '--ema 0.999' '1 2 3'
# Runs go to runs/ab/<model>-<steps>-<seed>-{a,b}; the two arms of a seed run side by side with
# one thread each.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1 steps=$2 flags_b=$3 seeds=${4:-1 2 3} extra=${5:-}
source scripts/ganplay-bin.sh
build_ganplay cpu
out=runs/ab
mkdir -p "$out"
start=$(date +%s)
for seed in $seeds; do
  for arm in a b; do
    flags=""
    [[ $arm == b ]] && flags=$flags_b
    dir="$out/$model-$steps-$seed-$arm"
    # shellcheck disable=SC2086
    (RAYON_NUM_THREADS=1 "$ganplay" train --model "$model" --scale page --steps "$steps" --seed "$seed" \
       --device cpu --sample-every 0 --checkpoint-every 0 --force --out "$dir" $extra $flags >"$dir.log" 2>&1 &&
     RAYON_NUM_THREADS=1 "$ganplay" eval --weights "$dir/weights.safetensors" --device cpu \
       --json "$dir.json" >>"$dir.log" 2>&1) &
  done
  wait
done
echo "wall time: $(( $(date +%s) - start )) s"
python3 - "$out" "$model" "$steps" "$flags_b" $seeds <<'PY'
import json, statistics, sys, pathlib
out, model, steps, flags_b, *seeds = sys.argv[1:]
rows = {arm: [json.loads((pathlib.Path(out) / f"{model}-{steps}-{s}-{arm}.json").read_text())
              for s in seeds] for arm in "ab"}
def stat(arm, key):
    values = [r["model_metrics"][key] for r in rows[arm]]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.2f} ± {sd:.2f}" if key == "frechet" else f"{statistics.mean(values):.3f} ± {sd:.3f}"
print(f"{model}, {steps} steps, seeds {' '.join(seeds)}")
print("| arm | Fréchet distance ↓ | recall ↑ | per seed FD |")
print("| --- | --- | --- | --- |")
for arm, name in (("a", "without"), ("b", f"with {flags_b}")):
    per_seed = " / ".join(f"{r['model_metrics']['frechet']:.2f}" for r in rows[arm])
    print(f"| {name} | {stat(arm, 'frechet')} | {stat(arm, 'recall')} | {per_seed} |")
PY
