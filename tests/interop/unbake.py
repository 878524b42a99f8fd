#!/usr/bin/env python3
"""A Python bakery unbaking one PNG or SVG badge.

usage: unbake.py [--impl bakery|openbadgeslib] FILE

  bakery         Concentric Sky's `openbadges-bakery` (`openbadges_bakery.unbake`);
                 run it with target/interop/venv-bakery2 (2.0.0) or venv (1.2.4)
  openbadgeslib  `openbadgeslib.baking` (extract_png / extract_svg); run it with
                 target/interop/venv. Unlike the bakery it also reads the OB 3.0 slots.

Prints one JSON line: {"ok", "verdict": "found"|"none", "payload": TEXT|null, "errors", "tool"}.
Reads the file only; no network.
"""
import os
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _peer  # noqa: E402
from importlib.metadata import version  # noqa: E402

ap = _peer.ArgumentParser()
ap.add_argument("--impl", choices=["bakery", "openbadgeslib"], default="bakery")
ap.add_argument("file")
a = ap.parse_args()

try:
    with open(a.file, "rb") as f:
        data = f.read()
except OSError as e:
    _peer.fail("%s: %s" % (a.file, e.strerror or e))

payload = None
errors = []
if a.impl == "bakery":
    import io
    import openbadges_bakery
    tool = "openbadges-bakery " + version("openbadges-bakery")
    try:
        payload = openbadges_bakery.unbake(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001
        errors.append("%s: %s" % (type(e).__name__, e))
else:
    from openbadgeslib import baking
    tool = "openbadgeslib " + version("openbadgeslib")
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            payload = baking.extract_png(data, keyword=baking.ITXT_KEYWORD_OB3) or baking.extract_png(data)
        else:
            payload = (baking.extract_svg(data, element=baking.SVG_ELEMENT_OB3, text_fallback=True)
                       or baking.extract_svg(data))
    except Exception as e:  # noqa: BLE001
        errors.append("%s: %s" % (type(e).__name__, e))
if isinstance(payload, bytes):
    payload = payload.decode("utf-8")
if payload is None and not errors:
    errors.append("%s: no badge found" % a.file)
_peer.emit(payload is not None, "found" if payload is not None else "none", errors, payload=payload, tool=tool)
