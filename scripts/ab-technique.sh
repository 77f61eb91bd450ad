#!/usr/bin/env bash
# A/B of a training technique on one image model: trains it with and without the technique's
# flags for each seed (same steps, same everything else), scores every run with `ganplay eval`
# (1,000 samples against the bundled reference classifier) and prints Fréchet distance and
# recall as mean ± sd over the seeds, and each seed's pair.
# Usage: scripts/ab-technique.sh MODEL STEPS 'FLAGS OF B' [SEEDS] [EXTRA FLAGS FOR BOTH]
#   e.g. scripts/ab-technique.sh dcgan 3000 '--ema 0.999' '1 2 3'
# Runs go to runs/ab/<model>-<steps>-<seed>-a (without) and -b-<flags> (with). A run whose
# score is already there is not run again, so arm A is trained once for every technique tried
# on the same model and steps (delete the folder after changing the model's code). Runs go
# AB_PROCESSES at a time (default 2), one thread each. Conditional models are also scored by
# their classification accuracy score (CAS: a classifier trained on their samples, tested on
# real digits).
set -euo pipefail
cd "$(dirname "$0")/.."
model=$1 steps=$2 flags_b=$3 seeds=${4:-1 2 3} extra=${5:-}
source scripts/ganplay-bin.sh
# GANPLAY_BIN: a binary built beforehand, so edits made while the runs go on do not reach them.
if [[ -n ${GANPLAY_BIN:-} ]]; then ganplay=$GANPLAY_BIN; else build_ganplay cpu; fi
out=runs/ab
mkdir -p "$out"
slug=$(printf '%s' "$flags_b" | tr -cs 'a-zA-Z0-9.' '-' | sed 's/^-*//; s/-*$//')
arm_dir() { if [[ $2 == a ]]; then echo "$out/$model-$steps-$1-a"; else echo "$out/$model-$steps-$1-b-$slug"; fi; }

run_one() {
  local seed=$1 arm=$2 dir flags=""
  dir=$(arm_dir "$seed" "$arm")
  [[ $arm == b ]] && flags=$flags_b
  # shellcheck disable=SC2086
  RAYON_NUM_THREADS=1 "$ganplay" train --model "$model" --scale page --steps "$steps" --seed "$seed" \
    --device cpu --sample-every 0 --checkpoint-every 0 --force --out "$dir" $extra $flags >"$dir.log" 2>&1 &&
  local eval_flags=""
  [[ $model == cgan || $model == cvae ]] && eval_flags=--cas
  # shellcheck disable=SC2086
  RAYON_NUM_THREADS=1 "$ganplay" eval --weights "$dir/weights.safetensors" --device cpu \
    --json "$dir.json" $eval_flags >>"$dir.log" 2>&1
}
export -f run_one arm_dir
export ganplay out model steps flags_b extra slug

start=$(date +%s)
jobs=()
for seed in $seeds; do
  for arm in a b; do
    if [[ -f "$(arm_dir "$seed" "$arm").json" ]]; then
      echo "reusing $(arm_dir "$seed" "$arm").json"
    else
      jobs+=("$seed $arm")
    fi
  done
done
if ((${#jobs[@]})); then
  printf '%s\n' "${jobs[@]}" | xargs -P "${AB_PROCESSES:-2}" -L 1 bash -c 'run_one "$0" "$1"'
fi
echo "wall time: $(( $(date +%s) - start )) s"
python3 - "$out" "$model" "$steps" "$flags_b" "$slug" $seeds <<'PY'
import json, statistics, sys, pathlib
out, model, steps, flags_b, slug, *seeds = sys.argv[1:]
suffix = {"a": "a", "b": f"b-{slug}"}
rows = {arm: [json.loads((pathlib.Path(out) / f"{model}-{steps}-{s}-{suffix[arm]}.json").read_text())
              for s in seeds] for arm in "ab"}
def stat(arm, key):
    values = [r["model_metrics"][key] for r in rows[arm]]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.2f} ± {sd:.2f}" if key == "frechet" else f"{statistics.mean(values):.3f} ± {sd:.3f}"
def cas(arm):
    values = [100 * r["classification_accuracy_score"]["model"] for r in rows[arm]
              if r.get("classification_accuracy_score")]
    if len(values) != len(rows[arm]):
        return None
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.1f} ± {sd:.1f} ({' / '.join(f'{v:.1f}' for v in values)})"
with_cas = all(cas(arm) for arm in "ab")
print(f"{model}, {steps} steps, seeds {' '.join(seeds)}")
print("| arm | Fréchet distance ↓ | recall ↑ | per seed FD |" + (" CAS % ↑ (per seed) |" if with_cas else ""))
print("| --- | --- | --- | --- |" + (" --- |" if with_cas else ""))
for arm, name in (("a", "without"), ("b", f"with {flags_b}")):
    per_seed = " / ".join(f"{r['model_metrics']['frechet']:.2f}" for r in rows[arm])
    extra = f" {cas(arm)} |" if with_cas else ""
    print(f"| {name} | {stat(arm, 'frechet')} | {stat(arm, 'recall')} | {per_seed} |{extra}")
PY
