#!/usr/bin/env bash
# Installs what the demo and the tests need, each only when missing or at the wrong version,
# so a second run takes seconds. Everything comes from crates.io, npm, Debian or rustup.
#   - rustup target wasm32-unknown-unknown
#   - Debian: chromium, chromium-driver (headless browser tests)
#   - cargo: trunk 0.21.14 (~7 min cold), wasm-bindgen-cli = Cargo.lock's wasm-bindgen (~3 min cold)
#   - npm (e2e/): oidc-provider (local provider), playwright-core, binaryen (wasm-opt 132)
set -euo pipefail
source "$(dirname "$0")/env.sh"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  log "cargo install trunk $TRUNK_VERSION (several minutes, once)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Without --locked: its lockfile pins a crate version the registry here does not serve.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm: reinstall only when package-lock.json changed since the last install.
stamp="$ROOT/e2e/node_modules/.installed-lock"
if ! cmp -s "$ROOT/e2e/package-lock.json" "$stamp" 2>/dev/null; then
  log "npm ci (e2e/: oidc-provider, playwright-core, binaryen, terser)"
  (cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$ROOT/e2e/package-lock.json" "$stamp"
fi
