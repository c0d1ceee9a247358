#!/usr/bin/env bash
# Checks the live API against its own OpenAPI contract with schemathesis:
# starts the built server on loopback over a throwaway demo data dir, sends
# generated requests (valid and invalid) as the demo agent, and fails on any
# 5xx or any response that breaks the schema.
set -euo pipefail
cd "$(dirname "$0")/.."
. dev/demo-server.sh

# Generous limits: this run is about the contract, not about being throttled.
start_demo_server "${DOCYARD_CONTRACT_PORT:-3918}" 127.0.0.1 \
  --rate-limit-per-second 100000 --rate-limit-burst 100000
agent_key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["agent"]["apiKey"])' \
  "$data_dir/demo.json")

schemathesis run "$base_url/v1/openapi.json" \
  --header "Authorization: Bearer $agent_key" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --max-examples "${DOCYARD_CONTRACT_EXAMPLES:-150}" \
  --generation-deterministic \
  --no-color || { tail -n 40 "$data_dir/server.log"; exit 1; }
