#!/usr/bin/env bash
# Sets up what is missing, then runs the demo: the local provider on :3001 and `trunk serve`
# on http://127.0.0.1:3000. Sign in with any username and password (try "alice").
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
source "$ROOT/scripts/services.sh"
cd "$ROOT"
PROVIDER_LOG=/dev/stdout start_provider
echo "provider: http://127.0.0.1:3001/oidc  —  sign in with any username/password (try alice)"
echo "demo:     http://127.0.0.1:3000"
trunk serve
