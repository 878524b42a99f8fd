#!/usr/bin/env bash
# Peak memory of importing a zip archive of large images, for BENCHMARKS.md:
# 200 distinct baked PNGs of ~3 MB each (random pixels, so they do not
# compress; each with its own OB 2.0 assertion baked in), in one zip archive,
# imported offline into a fresh data dir under `/usr/bin/time -v`.
#
#   bash bench/import-large.sh                  # builds and measures target/release/satchel
#   SATCHEL=target/debug/satchel bash bench/import-large.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}
if [ -z "${SATCHEL:-}" ]; then
  cargo build --release --bin satchel
  SATCHEL=target/release/satchel
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK/large.zip" "$N" <<'PY'
import random, struct, sys, zipfile, zlib

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

def png(n, rng):
    w, h = 1024, 1000
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    rows = b"".join(b"\0" + rng.randbytes(w * 3) for _ in range(h))
    assertion = (
        '{"@context":"https://w3id.org/openbadges/v2","type":"Assertion",'
        f'"id":"http://127.0.0.1:9/a/{n}.json",'
        '"recipient":{"type":"email","hashed":false,"identity":"ada@example.org"},'
        '"badge":"http://127.0.0.1:9/class.json","issuedOn":"2024-03-01T12:00:00Z",'
        '"verification":{"type":"hosted"}}'
    )
    itxt = b"openbadges\0\0\0\0\0" + assertion.encode()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"iTXt", itxt)
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))

rng = random.Random(7)
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    for n in range(int(sys.argv[2])):
        z.writestr(f"badges/{n:04}.png", png(n, rng))
PY
ls -l "$WORK/large.zip"
for rep in 1 2 3; do
  D=$WORK/data$rep
  /usr/bin/time -v "$SATCHEL" --data-dir "$D" import "$WORK/large.zip" --offline --no-progress \
    >"$WORK/report.txt" 2>"$WORK/time.txt" || true
  tail -1 "$WORK/report.txt"
  grep -E "Maximum resident|Elapsed" "$WORK/time.txt"
  rm -rf "$D"
done
