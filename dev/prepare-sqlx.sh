#!/usr/bin/env bash
# Rebuilds .sqlx/ (the compile-time query data) from the migrations, without
# sqlx-cli: the sqlx macros write their data when SQLX_OFFLINE_DIR is set.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3 - "$scratch/schema.db" migrations/*.sql <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for path in sys.argv[2:]:
    db.executescript(open(path).read())
db.commit()
PY
rm -rf .sqlx && mkdir .sqlx
touch src/lib.rs
DATABASE_URL="sqlite://$scratch/schema.db" SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$PWD/.sqlx" \
  cargo check --lib --tests
echo "wrote $(ls .sqlx | wc -l) query files to .sqlx/"
