#!/usr/bin/env bash
# Importing badges whose issuer cannot be reached, for BENCHMARKS.md.
#
# Makes N baked PNG badges (OB 2.0 hosted assertions, one URL each) whose
# issuer is on 127.0.0.1 (nothing leaves the machine), then imports them into
# fresh data dirs three ways and prints the wall time of each:
#   1. --offline (no network at all): the yardstick;
#   2. online, the issuer's port closed (every connection refused);
#   3. online, the issuer's port held by a listener that accepts connections
#      and never answers (the first attempt waits out the 30 s timeout); the
#      listener reports how many connections it saw.
#
#   bash bench/dead-host.sh            # N=3000
#   N=200 bash bench/dead-host.sh
#   SATCHEL=path/to/satchel bash bench/dead-host.sh   # that binary, no build
#   SILENT_RUN=0 bash bench/dead-host.sh               # skip case 3
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-3000}

if [ -z "${SATCHEL:-}" ]; then
  cargo build --release --bin satchel
  SATCHEL=$PWD/target/release/satchel
fi
WORK=$(mktemp -d)
LISTENER=
cleanup() {
  [ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Two free ports of 127.0.0.1: one stays closed, one gets the silent listener.
read -r CLOSED SILENT < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')

# N baked PNGs per port.
python3 - "$WORK" "$N" "$CLOSED" "$SILENT" <<'EOF'
import json, os, struct, sys, zlib
work, n, ports = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
idat = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
for port in ports:
    base = f"http://127.0.0.1:{port}"
    out = os.path.join(work, port)
    os.makedirs(out)
    for i in range(n):
        assertion = {
            "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
            "id": f"{base}/a/{i}.json", "badge": f"{base}/class.json",
            "recipient": {"type": "email", "hashed": False, "identity": f"user{i}@example.org"},
            "issuedOn": "2024-03-01T12:00:00Z", "verification": {"type": "hosted"},
        }
        itxt = chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + json.dumps(assertion).encode())
        with open(os.path.join(out, f"{i}.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + ihdr + itxt + idat + chunk(b"IEND", b""))
EOF

# The silent listener: accepts, holds every connection open, never answers.
python3 - "$SILENT" "$WORK/connections" <<'EOF' &
import socket, sys
port, count_file = int(sys.argv[1]), sys.argv[2]
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(4096)
held = []
while True:
    conn, _ = server.accept()
    held.append(conn)
    with open(count_file, "w") as f:
        f.write(str(len(held)))
EOF
LISTENER=$!
sleep 1

run() { # label, data dir, args...
  local label=$1 dir=$2
  shift 2
  /usr/bin/time -f "$label: %e s wall, %M KB peak RSS" \
    "$SATCHEL" --data-dir "$dir" import "$@" --no-progress >"$dir.txt" || true
  tail -1 "$dir.txt"
}
for rep in 1 2 3; do
  run "offline, $N badges (rep $rep)" "$WORK/offline$rep" "$WORK/$CLOSED" --offline
  run "closed port, $N badges (rep $rep)" "$WORK/closed$rep" "$WORK/$CLOSED" --allow-private-network
done
if [ "${SILENT_RUN:-1}" = 1 ]; then
  run "silent listener, $N badges" "$WORK/silent" "$WORK/$SILENT" --allow-private-network
  echo "the silent listener saw $(cat "$WORK/connections" 2>/dev/null || echo 0) connection(s)"
fi
