#!/usr/bin/env bash
# Checks scripts/slurm-augment.sh on a one-node Slurm cluster made here from Debian's packages
# (slurm-wlm, munge; needs root): a two-shard `ganplay augment` grid (--quick unless other
# arguments are given after `--`) runs as a job array, the merge waits for it, and the merged
# report must hold every shard's rows. Not part of scripts/test.sh: the --quick grid takes several
# minutes on two cores.
#
#   bash scripts/test-slurm.sh [-- AUGMENT ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ "${1:-}" == "--" ]] && shift
augment_args=("$@")
[[ ${#augment_args[@]} -gt 0 ]] || augment_args=(--quick)

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null
fi

work=$(mktemp -d /tmp/ganplay-slurm.XXXXXX)
host=$(hostname -s)
cpus=$(nproc)
memory_mb=$(awk '/MemTotal/ { print int($2 / 1024) - 512 }' /proc/meminfo)
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=ganplay-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
# No cgroups in a container: track processes by parent id, bind nothing, account nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

daemons=()
stop_daemons() {
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_daemons EXIT
if ! pgrep -x munged >/dev/null; then
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- munged
fi
slurmctld -D -i >"$work/slurmctld.out" 2>&1 &
daemons+=($!)
slurmd -D >"$work/slurmd.out" 2>&1 &
daemons+=($!)
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -qx idle && break
  sleep 1
done
sinfo -h -o %T | grep -qx idle || { echo "the test cluster did not come up:" >&2; tail "$work"/*.log >&2; exit 1; }
echo "one-node Slurm up ($host, $cpus CPUs); work folder $work"

out="$work/grid"
submitted=$(bash scripts/slurm-augment.sh --shards 2 --cpus-per-task 1 --out "$out" -- "${augment_args[@]}")
echo "$submitted"
read -r array_job merge_job < <(sed -E 's/array job ([0-9]+).*merge job ([0-9]+).*/\1 \2/' <<<"$submitted")

job_state() { scontrol show job "$1" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | cut -d= -f2 | paste -sd,; }
started=$SECONDS
while squeue -h -j "$array_job,$merge_job" 2>/dev/null | grep -q .; do
  sleep 10
  echo "$((SECONDS - started)) s: shards $(job_state "$array_job"), merge $(job_state "$merge_job")"
done

fail() { echo "FAIL: $*" >&2; tail -n 20 "$out"/logs/*.log >&2; exit 1; }
[[ "$(job_state "$array_job")" == COMPLETED ]] || fail "shards ended $(job_state "$array_job")"
[[ "$(job_state "$merge_job")" == COMPLETED ]] || fail "merge ended $(job_state "$merge_job")"
for k in 1 2; do
  rows=$(($(wc -l <"$out/shard-$k/results.csv") - 1))
  [[ $rows -gt 0 ]] || fail "shard $k wrote no rows"
  echo "shard $k: $rows rows"
done
merged=$(($(wc -l <"$out/results.csv") - 1))
expected=$(($(wc -l <"$out/shard-1/results.csv") + $(wc -l <"$out/shard-2/results.csv") - 2))
[[ $merged -eq $expected ]] || fail "merged results.csv has $merged rows, the shards $expected"
for file in report.md summary.json accuracy.png; do
  [[ -s "$out/$file" ]] || fail "the merge wrote no $file"
done
echo "PASS: two shards and their merge ran under Slurm in $((SECONDS - started)) s; report in $out/report.md"
