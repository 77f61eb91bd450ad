#!/usr/bin/env bash
# The Python reference loader's test: NumPy and safetensors from PyPI into .venv-test/ (once),
# then python/test_ganplay_weights.py against the debug `ganplay` that `cargo test` built.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-test
if ! "$venv/bin/python" -c 'import numpy, safetensors' 2>/dev/null; then
  echo "setup: installing numpy and safetensors into $venv" >&2
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --quiet -r python/requirements.txt
fi
target=$(cargo metadata --format-version 1 --no-deps | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
"$venv/bin/python" python/test_ganplay_weights.py "$target/debug/ganplay"
