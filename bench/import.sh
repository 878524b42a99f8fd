#!/usr/bin/env bash
# Backpack benchmarks for BENCHMARKS.md:
#   1. importing 10,000 RS256-signed baked PNG badges (~38 KB each) of the
#      peer harness's data set, with the issuer documents pinned in the cache
#      (`--offline`: no network), into a fresh data dir: wall time and peak RSS;
#   2. listing and searching a backpack of 100,000 badges (`cargo bench --bench store`).
#
#   bash bench/import.sh            # needs the peer data set (bash bench/unbake.sh makes it)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PEERS_HOME=${PEERS_HOME:-/tmp/satchel-peers}
SETS=${SETS:-10000}
DATA=$PEERS_HOME/data/n$SETS
if [ ! -d "$DATA/png-signed" ] || [ ! -d "$PEERS_HOME/site" ]; then
  echo "no peer data set in $PEERS_HOME; run: bash bench/unbake.sh" >&2
  exit 1
fi

cargo build --release --bin satchel
SATCHEL=$ROOT/target/release/satchel
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for rep in 1 2 3; do
  D=$WORK/rep$rep
  mkdir -p "$D"
  "$SATCHEL" --data-dir "$D" cache import-dir "$PEERS_HOME/site" --base http://127.0.0.1:8765/ >/dev/null
  sync
  /usr/bin/time -f "import rep $rep: %e s wall, %M KB peak RSS" \
    "$SATCHEL" --data-dir "$D" import "$DATA/png-signed" --offline --no-progress >"$D/report.txt"
  tail -1 "$D/report.txt"
  rm -rf "$D"
done

cargo bench --bench store
