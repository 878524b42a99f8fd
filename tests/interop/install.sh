#!/usr/bin/env bash
# Installs the independent Open Badges implementations the interoperability
# tests run (tests/it/interop.rs) into target/interop/, pinned by the lock files
# beside this script; never system-wide, never into the source tree.
#
#   venv/           Python: 1EdTech validator core `openbadges` and
#                   the `openbadges-bakery` it pulls in (requirements-venv.lock)
#   venv-bakery2/   Python: the latest `openbadges-bakery` alone (requirements-venv-bakery2.lock)
#   venv-oblib/     Python: `openbadgeslib[ldp]` with the PyLD it needs for Data Integrity
#                   (requirements-venv-oblib.lock)
#   node/           npm: Digital Bazaar vc + cryptosuites, the npm bakery (node/package-lock.json)
#
# A stamp keyed on the lock files (and this script) makes a second run a no-op.
# Usage: tests/interop/install.sh [DEST]   (DEST defaults to target/interop)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DEST=${1:-${SATCHEL_INTEROP_DIR:-$ROOT/target/interop}}
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

KEY=$(cat "$HERE/install.sh" "$HERE/requirements-venv.lock" "$HERE/requirements-venv-bakery2.lock" \
  "$HERE/requirements-venv-oblib.lock" "$HERE/node/package.json" "$HERE/node/package-lock.json" | sha256sum | cut -c1-16)
STAMP="$DEST/installed-$KEY"
if [ -f "$STAMP" ]; then
  exit 0
fi
command -v node >/dev/null 2>&1 || { echo "interop: node (20 or later) is required" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "interop: npm is required" >&2; exit 1; }
echo "== installing the interoperability peers into $DEST"
mkdir -p "$DEST"
rm -f "$DEST"/installed-*

# 1. The validator core and openbadgeslib. --no-deps: the lock deliberately breaks
# two of `openbadges` 1.1.2's pins that do not work on Python 3.10+ (as the peer
# benchmark harness does): pycryptodome 3.6.6 installs Python-2 sources (the lock
# has 3.23.0; the validator only calls RSA.import_key), and python-jose 3.0.1
# imports `collections.Mapping`, aliased below at interpreter start.
rm -rf "$DEST/venv"
"$PY" -m venv "$DEST/venv"
"$DEST/venv/bin/pip" install -q --no-deps -r "$HERE/requirements-venv.lock"
SP=$("$DEST/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
cat > "$SP/_ob_py310_compat.py" <<'PYEOF'
# python-jose 3.0.1 (pinned by openbadges 1.1.2) does `from collections import
# Mapping`, which Python 3.10 removed: alias the collections.abc names.
import collections
import collections.abc
for _n in ('Mapping', 'MutableMapping', 'Iterable', 'Sequence', 'MutableSequence',
           'Callable', 'Set', 'MutableSet', 'Hashable'):
    if not hasattr(collections, _n):
        setattr(collections, _n, getattr(collections.abc, _n))
PYEOF
echo "import _ob_py310_compat" > "$SP/zz_py310_collections_compat.pth"
"$DEST/venv/bin/python" -c "import openbadges, openbadges_bakery"

# 2. openbadges 1.1.2 holds the bakery at 1.2.4, whose SVG reader returns bytes on
# Python 3; the current bakery gets a venv of its own.
rm -rf "$DEST/venv-bakery2"
"$PY" -m venv "$DEST/venv-bakery2"
"$DEST/venv-bakery2/bin/pip" install -q --no-deps -r "$HERE/requirements-venv-bakery2.lock"
"$DEST/venv-bakery2/bin/python" -c "import openbadges_bakery"

# 3. openbadgeslib's OB 3.0 Data Integrity check needs PyLD 3.x, while openbadges
# 1.1.2 holds PyLD at 0.7.1: openbadgeslib gets a venv of its own too.
rm -rf "$DEST/venv-oblib"
"$PY" -m venv "$DEST/venv-oblib"
"$DEST/venv-oblib/bin/pip" install -q --no-deps -r "$HERE/requirements-venv-oblib.lock"
"$DEST/venv-oblib/bin/python" -c "import openbadgeslib, pyld"

# 4. Node: exactly the lock file.
rm -rf "$DEST/node"
mkdir -p "$DEST/node"
cp "$HERE/node/package.json" "$HERE/node/package-lock.json" "$DEST/node/"
(cd "$DEST/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

touch "$STAMP"
echo "== interoperability peers installed ($DEST)"
