#!/usr/bin/env bash
# Checks the live API against its own OpenAPI contract with schemathesis:
# starts the built server on loopback over a throwaway demo data dir, sends
# generated requests (valid and invalid) as the demo agent, and fails on any
# 5xx or any response that breaks the schema.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${CARGO_TARGET_DIR:-target}/debug/docyard
data_dir=$(mktemp -d)
port=${DOCYARD_CONTRACT_PORT:-3918}
base_url="http://127.0.0.1:$port"
cleanup() {
  if [ -n "${server_pid:-}" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

"$bin" --data-dir "$data_dir" demo --documents 40 --public-url "$base_url" >/dev/null
agent_key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["agent"]["apiKey"])' \
  "$data_dir/demo.json")
# Generous limits: this run is about the contract, not about being throttled.
DOCYARD_LOG=warn "$bin" --data-dir "$data_dir" serve --listen "127.0.0.1:$port" \
  --public-url "$base_url" --rate-limit-per-second 100000 --rate-limit-burst 100000 \
  >"$data_dir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base_url/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

schemathesis run "$base_url/v1/openapi.json" \
  --header "Authorization: Bearer $agent_key" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --max-examples "${DOCYARD_CONTRACT_EXAMPLES:-150}" \
  --generation-deterministic \
  --no-color || { tail -n 40 "$data_dir/server.log"; exit 1; }
