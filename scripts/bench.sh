#!/usr/bin/env bash
# The side-by-side benchmark (not part of the test run): builds our release dist/ and the
# Angular reference app (bench/angular-reference, both variants), serves all three with the same
# static server against the same local provider, and drives them in headless Chromium.
#   ./scripts/bench.sh            # BENCH_RUNS=20 by default: the machine is noisy
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

log "trunk build --release"
trunk build --release 2>&1 | grep -E 'ERROR|error|success' || true

log "Angular reference (npm ci + ng build, zone.js and signals variants)"
ng_dir="$ROOT/bench/angular-reference"
stamp="$ng_dir/node_modules/.installed-lock"
if ! cmp -s "$ng_dir/package-lock.json" "$stamp" 2>/dev/null; then
  (cd "$ng_dir" && NG_CLI_ANALYTICS=false npm ci --no-audit --no-fund --loglevel=error)
  cp "$ng_dir/package-lock.json" "$stamp"
fi
(cd "$ng_dir" && NG_CLI_ANALYTICS=false npx ng build zone >/dev/null && NG_CLI_ANALYTICS=false npx ng build signals >/dev/null)

source "$ROOT/scripts/services.sh"
start_provider
start_static
for pair in "zone:3100" "signals:3101"; do
  node "$ROOT/e2e/static-server.mjs" "$ng_dir/dist/${pair%%:*}/browser" "${pair##*:}" >/dev/null 2>&1 &
  SERVICE_PIDS+=($!)
  wait_for "http://127.0.0.1:${pair##*:}/" 30
done

log "benchmark (${BENCH_RUNS:-20} runs per app)"
node "$ROOT/bench/run.mjs"
