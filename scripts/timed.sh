# Sourced by the pretraining scripts: `run CMD…` prints the command, runs it and its wall time.
run() {
  echo "+ $*"
  local start
  start=$(date +%s)
  "$@"
  echo "  took $(( $(date +%s) - start )) s"
}
