# Sourced by the scripts that run the CLI (pretraining, evaluation): `build_ganplay DEVICE` builds it and sets $ganplay to
# the binary. On the CPU that is the dev profile, the build the tests already made, whose
# dependencies are built as in release (see Cargo.toml); on a GPU the release
# profile, since the dev profile leaves the GPU path's crates unoptimised for faster test builds.
build_ganplay() {
  local profile=dev folder=debug
  if [[ "$1" != cpu ]]; then profile=release folder=release; fi
  cargo build -p ganplay-cli --profile "$profile"
  local target
  target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  ganplay="$target/$folder/ganplay"
}
