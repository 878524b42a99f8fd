#!/usr/bin/env bash
# Unbake benchmark for BENCHMARKS.md: Satchel against just reading the files,
# and side by side with the Python openbadges-bakery 2.0.0 (and the other
# peers) on the same 10,000 baked badges, using the shared peer harness.
#
#   bash bench/unbake.sh            # N=10000 (data generation ~7 min the first time)
#   SETS=1000 bash bench/unbake.sh  # quicker
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HARNESS=${HARNESS:-$ROOT/../shared/bench/peers}
export PEERS_HOME=${PEERS_HOME:-/tmp/satchel-peers}
SETS=${SETS:-10000}

cargo build --release --bin satchel
SATCHEL=$ROOT/target/release/satchel

# 1. Peers and Satchel on the same files, same /usr/bin/time, interleaved reps.
SETS="$SETS" ONLY='bakery|floor|openbadgeslib-extract|node-bakery' \
  EXTRA="satchel-unbake::all::$SATCHEL unbake --list {list} --stats" \
  bash "$HARNESS/run_all.sh"

# 2. In-process: unbake vs std::fs::read of the same files, warm cache.
for N in $SETS; do
  D=$PEERS_HOME/data/n$N
  cargo bench --bench unbake -- "$D/png-hosted" "$D/png-signed" "$D/svg-hosted" "$D/svg-signed"
done
