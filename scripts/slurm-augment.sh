#!/usr/bin/env bash
# The augmentation grid as a Slurm job array: array task K runs shard K/N of `ganplay augment`
# into OUT/shard-K, and a job that starts once every task succeeded merges the shards' results
# into OUT (report.md, summary.json, accuracy.png, results.csv).
#
#   bash scripts/slurm-augment.sh --shards 8 --out results/augment-grid [-- AUGMENT ARGS...]
#
# Everything after `--` goes to each shard's `ganplay augment` (e.g. --quick, --arms ssgan,classic,
# --device cuda). Options for sbatch itself (partition, account, time limit) come from the usual
# SBATCH_* environment variables, e.g. SBATCH_PARTITION=gpu SBATCH_TIMELIMIT=12:00:00.
# GANPLAY_BIN names a binary to use (a CUDA build, say); otherwise the CPU build of the CLI is made
# here (the cluster's nodes must see this checkout and its target folder). Prints the two job ids.
set -euo pipefail
cd "$(dirname "$0")/.."

shards=4 out="" cpus=2
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --cpus-per-task) cpus="$2"; shift 2 ;; # per shard
    --) shift; break ;;
    *) usage ;;
  esac
done
[[ -n "$out" ]] || usage
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "--shards must be a positive whole number" >&2; exit 2; }
augment_args=("$@")

if [[ -z "${GANPLAY_BIN:-}" ]]; then
  source scripts/ganplay-bin.sh
  build_ganplay cpu >&2
  GANPLAY_BIN="$ganplay"
fi
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)

# printf %q keeps the pass-through arguments intact inside the generated batch scripts.
quoted_args=$(printf ' %q' "${augment_args[@]+"${augment_args[@]}"}")
array_job=$(sbatch --parsable --job-name=ganplay-augment --array="1-$shards" \
  --cpus-per-task="$cpus" --output="$out/logs/shard-%a.log" <<EOF
#!/usr/bin/env bash
set -euo pipefail
shard=\$SLURM_ARRAY_TASK_ID
$(printf %q "$GANPLAY_BIN") augment$quoted_args --shard "\$shard/$shards" --out $(printf %q "$out")/shard-\$shard
EOF
)
array_job=${array_job%%;*} # "id;cluster" on federated clusters

merge_job=$(sbatch --parsable --job-name=ganplay-augment-merge --dependency="afterok:$array_job" \
  --cpus-per-task=1 --output="$out/logs/merge.log" <<EOF
#!/usr/bin/env bash
set -euo pipefail
shards=()
for k in \$(seq 1 $shards); do shards+=($(printf %q "$out")/shard-\$k/results.csv); done
$(printf %q "$GANPLAY_BIN") augment --merge "\${shards[@]}" --out $(printf %q "$out")
EOF
)
merge_job=${merge_job%%;*}
echo "array job $array_job ($shards shards), merge job $merge_job; logs in $out/logs"
