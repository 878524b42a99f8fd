#!/usr/bin/env bash
# Launch time of the desktop app's RELEASE build, for BENCHMARKS.md: from the
# process start to an interactive window (first-run screen or grid rendered),
# without WebDriver. The app measures it itself when SATCHEL_LAUNCH_TIMING=1
# (from the first line of `main` to the window's "ready" signal, sent after
# the first frame with content has painted) and prints
# `launch_to_interactive_ms=N interactive_unix_ms=M`; with
# SATCHEL_LAUNCH_TIMING_EXIT=1 it then quits. This script also times from
# just before it starts the process (M minus its own clock), which adds
# process creation and loading the shared libraries.
#
# All runs share one Xvfb (xvfb-run -a), started before the first run; every
# run gets a fresh copy of its data folder. Scenarios: an empty data folder
# (the first-run screen) and a backpack seeded with 10,000 badges.
#
#   bash bench/launch.sh            # N=5 runs per scenario
#   N=10 BADGES=1000 bash bench/launch.sh
#   APP=/tmp/root/usr/bin/satchel-desktop bash bench/launch.sh   # another binary
#                                   # (the one unpacked from the .deb), not built here
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-5}
BADGES=${BADGES:-10000}

if [ -z "${APP:-}" ]; then
  cargo build --release -p satchel-desktop
  APP=$PWD/target/release/satchel-desktop
fi
# The seeder only fills the data folder (not timed); the debug build shares
# the E2E tests' dependencies, a release one would rebuild the core.
cargo build -p satchel-desktop --example seed_backpack
SEED=$PWD/target/debug/examples/seed_backpack

WORK=$(mktemp -d "${TMPDIR:-/tmp}/satchel-launch.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/empty" "$WORK/seeded"
t0=$(date +%s%3N)
"$SEED" "$WORK/seeded" "$BADGES"
echo "seeded $BADGES badges in $(( $(date +%s%3N) - t0 )) ms"

# One Xvfb for all runs; the measured loop runs inside it.
export APP WORK N
xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  set -euo pipefail
  stats() { # label, then numbers: min / median / max
    local label=$1; shift
    printf "%s\n" "$@" | sort -n | awk -v l="$label" "{a[NR]=\$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf \"%-44s min %5d  median %5d  max %5d  (ms, n=%d)\n\", l, a[1], m, a[NR], NR}"
  }
  for scenario in empty seeded; do
    inside=() outside=() pages=() loads=()
    for i in $(seq 1 "$N"); do
      run=$WORK/run-$scenario-$i
      cp -r "$WORK/$scenario" "$run"
      start=$(date +%s%3N)
      line=$(SATCHEL_LAUNCH_TIMING=1 SATCHEL_LAUNCH_TIMING_EXIT=1 timeout 60 \
        "$APP" --data-dir "$run" 2>&1 >/dev/null | grep "^launch_to_interactive_ms=" || true)
      if [ -z "$line" ]; then echo "run $i ($scenario): no timing line" >&2; exit 1; fi
      ms=${line#launch_to_interactive_ms=}; ms=${ms%% *}
      at=${line##*interactive_unix_ms=}; at=${at%% *}
      to_page=${line##*main_to_page_ms=}; to_page=${to_page%% *}
      in_page=${line##*page_to_interactive_ms=}; in_page=${in_page%% *}
      inside+=("$ms"); outside+=("$(( at - start ))"); pages+=("$to_page"); loads+=("$in_page")
      echo "$scenario run $i: exec→interactive $(( at - start )) ms; ${line}"
      rm -rf "$run"
    done
    stats "$scenario: main() → interactive" "${inside[@]}"
    stats "$scenario: exec → interactive" "${outside[@]}"
    stats "$scenario:   main() → page navigation starts" "${pages[@]}"
    stats "$scenario:   page navigation → interactive" "${loads[@]}"
  done
'
