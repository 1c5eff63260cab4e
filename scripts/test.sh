#!/usr/bin/env bash
# Every test, in order: format, lints (host + wasm32), host tests, browser tests in headless
# Chromium, the release build, its size budget, and end-to-end tests against the release build
# and the local provider. Sets up whatever is missing first.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (host)"
cargo clippy --all-targets -q -- -D warnings
log "cargo clippy (wasm32)"
cargo clippy --all-targets --target wasm32-unknown-unknown -q -- -D warnings

log "cargo test (host: protocol core)"
cargo test -q

log "wasm-bindgen-test (headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test browser

log "trunk build --release"
trunk build --release 2>&1 | grep -E 'ERROR|error|success' || true
test -f "$ROOT/dist/index.html"

log "size budget"
node "$ROOT/e2e/size-budget.mjs" "$ROOT/dist" "$ROOT/size-budget.json"

log "end-to-end (Playwright + Chromium, release build, local provider)"
source "$ROOT/scripts/services.sh"
start_provider
start_hostile_provider
start_static
(cd "$ROOT/e2e" && node --test --test-concurrency=1 tests/)
