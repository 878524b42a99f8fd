#!/usr/bin/env bash
# Bulk issuing benchmark for BENCHMARKS.md: `satchel award --csv` for an OB 3.0
# class (Data Integrity proof + VC-JWT, baked PNG, self-checked, written) and
# an OB 2.0 signed class (RS256 JWS, baked PNG), at 1,000 and 10,000 rows,
# and openbadgeslib 4.6.3 issuing the same 1,000 OB 3.0 credentials
# (bench/oblib_issue.py), interleaved in one run: wall time and peak RSS by
# /usr/bin/time, medians of REPS.
#
#   bash bench/issue.sh                  # REPS=3, SETS="1000 10000"
#   REPS=1 SETS=1000 bash bench/issue.sh  # quicker
#
# openbadgeslib's Data Integrity signing needs PyLD 3 (the peer harness's
# venv holds PyLD 0.7.1 for the 1EdTech validator), so it runs from
# $PEERS_HOME/venv-oblib, made from tests/interop/requirements-venv-oblib.lock
# (openbadgeslib 4.6.3, as in the harness) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PEERS_HOME=${PEERS_HOME:-/tmp/satchel-peers}
REPS=${REPS:-3}
SETS=${SETS:-"1000 10000"}
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3

cargo build --release --bin satchel
SATCHEL=$ROOT/target/release/satchel
OBLIB=$PEERS_HOME/venv-oblib/bin/python
if ! "$OBLIB" -c "import openbadgeslib, pyld" 2>/dev/null; then
  mkdir -p "$PEERS_HOME"
  rm -rf "$PEERS_HOME/venv-oblib"
  "$PY" -m venv "$PEERS_HOME/venv-oblib"
  "$PEERS_HOME/venv-oblib/bin/pip" install -q --no-deps -r tests/interop/requirements-venv-oblib.lock
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RESULTS=$WORK/results.tsv

# A 256×256 class image and the CSV files (standard library only).
"$PY" - "$WORK" $SETS <<'EOF'
import struct, sys, zlib
work, sets = sys.argv[1], [int(n) for n in sys.argv[2:]]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = b"".join(b"\0" + bytes((x ^ y) & 0xff for x in range(256) for _ in (0, 1, 2)) for y in range(256))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
open(f"{work}/class.png", "wb").write(png)
for n in sets:
    with open(f"{work}/rows-{n}.csv", "w") as f:
        f.write("email,name,evidence url\n")
        for i in range(n):
            f.write(f"learner{i}@example.org,Learner {i},https://club.example/logs/{i}\n")
EOF

# One timed run: NAME N COMMAND... (the command's output goes to a file).
timed() {
  local name=$1 n=$2; shift 2
  sync
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/$name-$n.out" 2>"$WORK/$name-$n.err" || {
    echo "$name at $n rows failed:" >&2; tail -5 "$WORK/$name-$n.err" >&2; exit 1; }
  read -r wall rss <"$WORK/time"
  printf '%s\t%s\t%s\t%s\n' "$name" "$n" "$wall" "$rss" >>"$RESULTS"
  printf '  %-22s %6s rows  %7.2f s  %7.1f MiB\n' "$name" "$n" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

# A fresh data folder with an issuer and one class of FORMAT; prints its data dir.
setup() {
  local dir=$WORK/data-$1-$RANDOM
  shift
  "$SATCHEL" --data-dir "$dir" issuer create --name "Harbour Coding Club" --url https://club.example/ \
    --email badges@club.example --base-url https://club.example/badges/ >/dev/null
  "$SATCHEL" --data-dir "$dir" badgeclass create --issuer 1 --name "Harbour Navigator" \
    --description "Plotted a course across the harbour." --image "$WORK/class.png" \
    --criteria "Plot a course. Sail it." --format "$@" --valid-for 2y >/dev/null
  echo "$dir"
}

echo "== machine: $(nproc) cores; load before: $(uptime)"
for rep in $(seq 1 "$REPS"); do
  echo "== rep $rep"
  for n in $SETS; do
    d=$(setup ob3 ob3 --vc-jwt)
    timed satchel-ob3-di+jwt "$n" "$SATCHEL" --data-dir "$d" award --class 1 --csv "$WORK/rows-$n.csv" --out "$d/out" --json
    [ "$(grep -c '"awarded"' "$WORK/satchel-ob3-di+jwt-$n.out")" = "$n" ] || { echo "not every row was awarded" >&2; exit 1; }
    rm -rf "$d"
    d=$(setup ob2 ob2-signed)
    timed satchel-ob2-signed "$n" "$SATCHEL" --data-dir "$d" award --class 1 --csv "$WORK/rows-$n.csv" --out "$d/out" --json
    [ "$(grep -c '"awarded"' "$WORK/satchel-ob2-signed-$n.out")" = "$n" ] || { echo "not every row was awarded" >&2; exit 1; }
    rm -rf "$d"
  done
  rm -rf "$WORK/oblib-out"
  timed openbadgeslib-ob3 1000 "$OBLIB" bench/oblib_issue.py --csv "$WORK/rows-1000.csv" \
    --image "$WORK/class.png" --out "$WORK/oblib-out"
  echo "    openbadgeslib in-loop: $(tail -1 "$WORK/openbadgeslib-ob3-1000.out")"
done
echo "== load after: $(uptime)"

echo "== medians of $REPS (wall s, peak RSS MiB)"
"$PY" - "$RESULTS" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, n, wall, rss = line.split("\t")
    runs.setdefault((name, int(n)), []).append((float(wall), int(rss) / 1024))
med = {k: (statistics.median(w for w, _ in v), statistics.median(r for _, r in v),
           min(w for w, _ in v), max(w for w, _ in v)) for k, v in runs.items()}
for (name, n), (wall, rss, lo, hi) in sorted(med.items()):
    print(f"{name:22} {n:6} rows  {wall:7.2f} s ({lo:.2f}-{hi:.2f})  {wall / n * 1000:6.2f} ms/badge  {rss:7.1f} MiB")
peer = med.get(("openbadgeslib-ob3", 1000))
ours = med.get(("satchel-ob3-di+jwt", 1000))
if peer and ours:
    print(f"openbadgeslib / Satchel, OB 3.0 at 1000 rows: {peer[0] / ours[0]:.1f}x")
EOF
