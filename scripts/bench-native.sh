#!/usr/bin/env bash
# Native CPU training speed against PyTorch (CPU) on the same benchmark cases: runs
# `ganplay bench --device cpu`, then bench/torch_bench.py (the same networks, batches, losses and
# Adam settings in PyTorch), one after the other, and prints steps/s of both and their ratio.
#
# Usage: scripts/bench-native.sh [--seconds S] [--threads N] [--page-sizes-only] [--ops]
#   --seconds S        time each case for S seconds (default 5), in both
#   --threads N        threads for both: torch.set_num_threads and ours' RAYON_NUM_THREADS
#                      (default: all cores)
#   --page-sizes-only  skip the full-size 64x64 DCGAN (under 1 step/s on 2 cores)
#   --ops              per operation instead: `ganplay bench --ops` (toy, mlp-gan, dcgan, vae),
#                      then the same operations in PyTorch, side by side with each one's share
# Environment:
#   GANPLAY=path       the ganplay binary to time (default: <target dir>/release/ganplay if built,
#                      else <target dir>/debug/ganplay; with neither, `cargo build --release -p ganplay-cli`
#                      first, ~10 min from scratch on 2 cores)
#   PYTHON=python3     the interpreter that creates the venv
# PyTorch lives in .venv-bench/, created from bench/requirements-torch.txt when missing: about
# 1.5 min and 4 GB here, since PyPI's Linux torch wheel needs the CUDA libraries even on a CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=5
threads=""
page_only=()
ops=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --page-sizes-only) page_only=(--page-sizes-only); shift ;;
    --ops) ops=1; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ -z "${GANPLAY:-}" ]]; then
  # Cargo's target directory, wherever CARGO_TARGET_DIR puts it.
  target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  if [[ -x $target/release/ganplay ]]; then
    GANPLAY=$target/release/ganplay
  elif [[ -x $target/debug/ganplay ]]; then
    GANPLAY=$target/debug/ganplay
  else
    echo "== no ganplay binary: cargo build --release -p ganplay-cli" >&2
    cargo build --release -p ganplay-cli
    GANPLAY=$target/release/ganplay
  fi
fi
[[ -x "$GANPLAY" ]] || { echo "GANPLAY=$GANPLAY is not an executable" >&2; exit 2; }

venv=.venv-bench
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  echo "== installing PyTorch into $venv (bench/requirements-torch.txt)" >&2
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --no-deps -r bench/requirements-torch.txt
fi

# Both sides use every core; anything else running skews them (PyTorch's OpenMP threads, which
# spin at barriers, slow down many times over when a core is taken).
load=$(cut -d' ' -f1 /proc/loadavg)
echo "== load average before: $load on $(nproc) cores" >&2
awk -v l="$load" 'BEGIN { exit !(l >= 0.5) }' &&
  echo "   warning: the machine is busy; the figures below are indicative only" >&2

if [[ -n "$threads" ]]; then
  export RAYON_NUM_THREADS=$threads
fi

if [[ -n "$ops" ]]; then
  listing=$(mktemp)
  trap 'rm -f "$listing"' EXIT
  echo "== $GANPLAY bench --device cpu --ops --seconds $seconds" >&2
  "$GANPLAY" bench --device cpu --ops --seconds "$seconds" --ops-json "$listing"
  echo "== bench/torch_bench.py --ops (the same operations) ${threads:+--threads $threads}" >&2
  "$venv/bin/python" bench/torch_bench.py --ops "$listing" --seconds "$seconds" ${threads:+--threads "$threads"}
  exit 0
fi

ours=$(mktemp)
theirs=$(mktemp)
trap 'rm -f "$ours" "$theirs"' EXIT

echo "== $GANPLAY bench --device cpu --seconds $seconds ${page_only[*]}" >&2
"$GANPLAY" bench --device cpu --seconds "$seconds" "${page_only[@]}" | tee "$ours"
echo "== bench/torch_bench.py --seconds $seconds ${threads:+--threads $threads} ${page_only[*]}" >&2
"$venv/bin/python" bench/torch_bench.py --seconds "$seconds" ${threads:+--threads "$threads"} "${page_only[@]}" \
  | tee "$theirs"

echo
# Join on the case name: lines are "<case> <rate> steps/s   (<description>)".
awk '
  FNR == 1 { file++ }
  /^device:/ { dev[file] = substr($0, 9); next }
  $3 == "steps/s" {
    if (file == 1) { order[++n] = $1; ours[$1] = $2 } else { theirs[$1] = $2; if (!($1 in ours)) order[++n] = $1 }
  }
  END {
    printf "ours: %s\nPyTorch: %s\n\n", dev[1], dev[2]
    printf "%-10s %14s %17s %14s\n", "case", "ours steps/s", "PyTorch steps/s", "ours/PyTorch"
    slower = 0
    for (i = 1; i <= n; i++) {
      c = order[i]
      o = (c in ours) ? ours[c] : "-"
      t = (c in theirs) ? theirs[c] : "-"
      if ((c in ours) && (c in theirs) && theirs[c] > 0) {
        r = ours[c] / theirs[c]; ratio = sprintf("%.2fx", r); if (r < 1) slower++
      } else { ratio = "-"; missing++ }
      printf "%-10s %14s %17s %14s\n", c, o, t, ratio
    }
    if (slower || missing) printf "\n%d case(s) slower than PyTorch, %d not timed by both\n", slower, missing
    else printf "\nevery case at least as fast as PyTorch\n"
  }
' "$ours" "$theirs"
