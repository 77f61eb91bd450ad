#!/usr/bin/env bash
# Scores every bundled image model with `ganplay eval` (1,000 samples, seed 1, the bundled
# reference classifier) and prints the README's Markdown table, the real-data floor first.
# Usage: scripts/eval-bundled.sh [--cas]   (--cas adds the classification accuracy score, ~2 min
# per model on a 2-core CPU)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ganplay-bin.sh
build_ganplay cpu
out=runs/eval
mkdir -p "$out"
for model in gan-mlp dcgan cgan wgan vae vae-16d cvae; do
  "$ganplay" eval --weights "web/weights/$model.safetensors" --device cpu --json "$out/$model.json" "$@" >&2
done
python3 - "$out" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
rows = []
def line(name, m, cas):
    kid = m["kid"]; score = m["inception_score"]
    missing = [c for c, n in enumerate(m["class_histogram"]["counts"]) if n == 0]
    cas_text = f"{100 * cas:.1f}" if cas is not None else "–"
    return (f"| {name} | {m['frechet']:.2f} | {1000 * kid['mean']:.1f} ± {1000 * kid['sd']:.1f} | "
            f"{m['precision']:.3f} | {m['recall']:.3f} | {score['mean']:.2f} ± {score['sd']:.2f} | "
            f"{', '.join(map(str, missing)) or 'none'} | {cas_text} |")
print("| samples | Fréchet distance ↓ | KID ×1000 ↓ | precision ↑ | recall ↑ | inception-style score ↑ | classes missing | CAS % ↑ |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
floor_done = False
for model in ["gan-mlp", "dcgan", "cgan", "wgan", "vae", "vae-16d", "cvae"]:
    r = json.loads((out / f"{model}.json").read_text())
    cas = r.get("classification_accuracy_score")
    if not floor_done:
        print(line("real training digits (floor)", r["floor"], cas and cas["floor"]))
        floor_done = True
    print(line(f"`{model}` (step {r['steps']})", r["model_metrics"], cas and cas["model"]))
PY
