#!/usr/bin/env bash
# Starts the built server on loopback over a throwaway demo data dir, runs
# the browser tests in end2end/ against it, and stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${CARGO_TARGET_DIR:-target}/debug/docyard
data_dir=$(mktemp -d)
port=${DOCYARD_E2E_PORT:-3917}
base_url="http://localhost:$port"
log="$data_dir/server.log"
cleanup() {
  if [ -n "${server_pid:-}" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

"$bin" --data-dir "$data_dir" demo --documents 60 --public-url "$base_url" >/dev/null
DOCYARD_LOG=warn "$bin" --data-dir "$data_dir" serve \
  --listen "127.0.0.1:$port" --public-url "$base_url" >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base_url/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$base_url/readyz" >/dev/null || { cat "$log"; exit 1; }

DOCYARD_BASE_URL=$base_url DOCYARD_DEMO_JSON="$data_dir/demo.json" node --test end2end/
