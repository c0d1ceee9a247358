#!/usr/bin/env bash
# Starts the built server on loopback over a throwaway demo data dir, runs
# the browser tests in end2end/ against it, and stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."
. dev/demo-server.sh

# localhost, not 127.0.0.1: WebAuthn refuses an IP address as relying party.
start_demo_server "${DOCYARD_E2E_PORT:-3917}" localhost
# The tests read texted codes from the server's development outbox, through
# the same binary and data dir.
DOCYARD_BASE_URL=$base_url DOCYARD_DEMO_JSON="$data_dir/demo-output.json" \
  DOCYARD_BIN="$bin" DOCYARD_DATA_DIR="$data_dir" node --test end2end/
