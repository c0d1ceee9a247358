#!/usr/bin/env bash
# Sets up what is missing, builds, fills ./data with the demo (once), and
# serves the portal and API on http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."

dev/setup.sh
echo "==> building DocYard (first build takes a while)"
cargo leptos build

bin=${CARGO_TARGET_DIR:-target}/debug/docyard
data_dir=${DOCYARD_DATA_DIR:-./data}
echo "==> demo data in $data_dir"
DOCYARD_LOG=${DOCYARD_LOG:-warn} "$bin" --data-dir "$data_dir" demo
echo
echo "==> serving on http://localhost:3000 (Ctrl-C stops)"
echo "==> HTTPS with client certificates (mortgagees) on https://localhost:3443"
exec "$bin" --data-dir "$data_dir" serve --tls-listen 127.0.0.1:3443
