#!/usr/bin/env bash
# Sets up what is missing and runs every check CI runs: formatting, lints,
# the Rust tests (unit and integration), the API contract tests and the
# browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

dev/setup.sh --test
# Queries are checked at compile time against the committed .sqlx data.
export SQLX_OFFLINE=true

echo "==> cargo fmt --check"
cargo fmt --all --check
echo "==> building the site and server"
cargo leptos build
echo "==> cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

echo "==> Rust tests"
cargo test --workspace

echo "==> contract tests (schemathesis against /v1/openapi.json)"
dev/contract.sh

echo "==> browser tests"
dev/e2e.sh
