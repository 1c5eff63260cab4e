# Sourced: start the local provider and a static server, wait until they answer, and stop
# them by PID on exit (also on failure).
# shellcheck shell=bash
SERVICE_PIDS=()
stop_services() {
  for pid in "${SERVICE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVICE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVICE_PIDS=()
}
trap stop_services EXIT INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # url, seconds
  local url="$1" deadline=$((SECONDS + $2))
  until curl -fs -o /dev/null "$url"; do
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for $url" >&2; return 1; fi
    sleep 0.2
  done
}

start_provider() { # extra env may be set by the caller
  port_free 3001 || { echo "port 3001 is busy: stop the other provider (demo?) first" >&2; return 1; }
  node "$ROOT/e2e/provider/server.mjs" >"${PROVIDER_LOG:-/dev/null}" 2>&1 &
  SERVICE_PIDS+=($!)
  wait_for http://127.0.0.1:3001/oidc/.well-known/openid-configuration 30
}

start_hostile_provider() { # the misbehaving provider for the conformance cases, on :3002
  port_free 3002 || { echo "port 3002 is busy" >&2; return 1; }
  node "$ROOT/e2e/hostile-provider/server.mjs" >/dev/null 2>&1 &
  SERVICE_PIDS+=($!)
  wait_for http://127.0.0.1:3002/oidc/.well-known/openid-configuration 30
}

start_static() { # serve dist/ with SPA fallback on :3000
  port_free 3000 || { echo "port 3000 is busy: stop the other server (demo?) first" >&2; return 1; }
  node "$ROOT/e2e/static-server.mjs" "$ROOT/dist" 3000 >/dev/null 2>&1 &
  SERVICE_PIDS+=($!)
  wait_for http://127.0.0.1:3000/ 30
}
