#!/usr/bin/env bash
# Starts the built server on loopback over a throwaway demo data dir, runs
# the browser tests in end2end/ against it, and stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."
. dev/demo-server.sh

# localhost, not 127.0.0.1: WebAuthn refuses an IP address as relying party.
start_demo_server "${DOCYARD_E2E_PORT:-3917}" localhost
DOCYARD_BASE_URL=$base_url DOCYARD_DEMO_JSON="$data_dir/demo-output.json" node --test end2end/
