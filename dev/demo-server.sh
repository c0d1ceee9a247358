# Sourced by the test scripts: start_demo_server PORT [SERVE FLAGS...] fills a
# throwaway data dir with the demo, serves it on loopback in the background,
# waits until it is ready, and stops it and removes the data dir on exit.
# Sets bin, data_dir and base_url; the demo's printed manifest is in
# $data_dir/demo-output.json.

bin=${CARGO_TARGET_DIR:-target}/debug/docyard
data_dir=$(mktemp -d)

stop_demo_server() {
  if [ -n "${server_pid:-}" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap stop_demo_server EXIT

start_demo_server() {
  local port=$1 host=$2
  shift 2
  base_url="http://$host:$port"
  # The printed manifest carries a fresh one-time agent invite.
  DOCYARD_LOG=warn "$bin" --data-dir "$data_dir" demo --documents 60 --json \
    --public-url "$base_url" >"$data_dir/demo-output.json"
  DOCYARD_LOG=warn "$bin" --data-dir "$data_dir" serve --listen "127.0.0.1:$port" \
    --public-url "$base_url" "$@" >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "$base_url/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$data_dir/server.log"
  return 1
}
