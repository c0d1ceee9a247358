#!/usr/bin/env bash
# Installs what building DocYard needs, skipping whatever is already in place.
#
# Usage: dev/setup.sh          build tools: WASM target, cargo-leptos, wasm-bindgen-cli, npm deps
#        dev/setup.sh --test   the same, plus what the tests run: Debian's Chromium for the
#                              browser tests (end2end/), 7-Zip, unzip, schemathesis, and s3s-fs,
#                              an S3-compatible server
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10
SCHEMATHESIS_VERSION=4.32.5
S3S_FS_VERSION=0.14.1

for_tests=false
case "${1:-}" in
  "") ;;
  --test) for_tests=true ;;
  *)
    echo "usage: $0 [--test]" >&2
    exit 2
    ;;
esac

cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { echo "setup: $*"; }

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "wasm32-unknown-unknown target present"
else
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if cargo leptos --version 2>/dev/null | grep -qw "$CARGO_LEPTOS_VERSION"; then
  step "cargo-leptos $CARGO_LEPTOS_VERSION present"
else
  # Newer releases need a newer rustc than these machines have; the build takes ~20 minutes.
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

# cargo-leptos needs a wasm-bindgen-cli of exactly the wasm-bindgen version in Cargo.lock.
wasm_bindgen_version=$(awk '
  /^name = "wasm-bindgen"$/ { found = 1; next }
  found && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
if [[ -z "$wasm_bindgen_version" ]]; then
  echo "setup: no wasm-bindgen package in Cargo.lock" >&2
  exit 1
fi
installed_wasm_bindgen=$(wasm-bindgen --version 2>/dev/null || true)
if [[ "$installed_wasm_bindgen" == "wasm-bindgen $wasm_bindgen_version"* ]]; then
  step "wasm-bindgen-cli $wasm_bindgen_version present"
else
  # Not --locked: its lock file names a crate version the registry no longer serves.
  step "installing wasm-bindgen-cli $wasm_bindgen_version (about 5 minutes)"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

if [[ -d node_modules && ! package-lock.json -nt node_modules ]]; then
  step "node_modules up to date"
elif [[ -f package-lock.json ]]; then
  step "installing npm packages from package-lock.json"
  npm ci
  touch node_modules
else
  step "installing npm packages"
  npm install
  touch node_modules
fi

if [[ "$for_tests" == true ]]; then
  # Chromium for the browser tests; 7-Zip and unzip read the portal's zips.
  missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  command -v 7zz >/dev/null || missing+=(7zip)
  command -v unzip >/dev/null || missing+=(unzip)
  if [[ ${#missing[@]} -eq 0 ]]; then
    step "chromium, 7zip and unzip present"
  else
    step "installing ${missing[*]} from Debian"
    sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
      sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
fi

if [[ "$for_tests" == true ]]; then
  if schemathesis --version 2>/dev/null | grep -qw "$SCHEMATHESIS_VERSION"; then
    step "schemathesis $SCHEMATHESIS_VERSION present"
  else
    step "installing schemathesis $SCHEMATHESIS_VERSION from PyPI (contract tests)"
    python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
fi

if [[ "$for_tests" == true ]]; then
  # An S3-compatible server for the S3 backend's tests; it checks signatures.
  if cargo install --list | grep -qx "s3s-fs v$S3S_FS_VERSION:"; then
    step "s3s-fs $S3S_FS_VERSION present"
  else
    # Later releases need a newer rustc than these machines have.
    step "installing s3s-fs $S3S_FS_VERSION (about 3 minutes)"
    cargo install s3s-fs --locked --version "$S3S_FS_VERSION" --features binary
  fi
fi

step "done"
