# Sourced by the other scripts: one place for paths and tool versions.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$ROOT/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
TRUNK_VERSION="0.21.14"
# wasm-bindgen-cli must be exactly the wasm-bindgen in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")"
export TRUNK_VERSION WASM_BINDGEN_VERSION
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
log() { printf '\n== %s\n' "$*"; }
