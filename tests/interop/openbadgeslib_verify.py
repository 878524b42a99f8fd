#!/usr/bin/env python3
"""openbadgeslib (PyPI, 4.6.3) verifying one baked badge (PNG or SVG).

usage: openbadgeslib_verify.py [--key PUBLIC.pem] [--base URL=DIR ...] [--no-revocation]
                               [--status [--no-list-proof]] [--recipient EMAIL] FILE

  OB 2.0 signed (a JWS in the `openbadges` slot): OB2Verifier. With --key the JWS is
      checked against that trusted key; without, the key is resolved from
      `verification.creator`. The issuer's RevocationList is checked unless --no-revocation.
  OB 3.0 (the `openbadgecredential` slot): a VC-JWT or a Data Integrity credential.
      With --key against that key; without, the issuer DID is resolved (did:key
      offline, did:web through --base). --status also checks `credentialStatus`; the
      list's own proof is checked only for a VC-JWT list, so a JSON list with a Data
      Integrity proof needs --no-list-proof (its bits are read, its proof is not checked).

Documents are read from the --base folders (a URL under URL is the file at the same
relative path under DIR; a did:web becomes its https URL first) or fetched from
http://127.0.0.1; any other URL is refused. Prints one JSON line:
  {"ok", "verdict": "valid"|"invalid", "errors", "ob_version", "trusted", "tool"}.
"""
import contextlib
import os
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _peer  # noqa: E402

ap = _peer.ArgumentParser()
ap.add_argument("--key", help="a trusted public key (PEM)")
ap.add_argument("--base", action="append", metavar="URL=DIR")
ap.add_argument("--no-revocation", action="store_true")
ap.add_argument("--status", action="store_true", help="OB 3.0: check credentialStatus")
ap.add_argument("--no-list-proof", action="store_true",
                help="OB 3.0: read the status list without checking its own proof "
                     "(openbadgeslib checks only VC-JWT lists; a Data Integrity list fails)")
ap.add_argument("--recipient")
ap.add_argument("file")
a = ap.parse_args()
bases = _peer.parse_bases(a.base)

try:
    with open(a.file, "rb") as f:
        data = f.read()
    key = None
    if a.key:
        with open(a.key, "rb") as f:
            key = f.read()
except OSError as e:
    _peer.fail("%s: %s" % (e.filename, e.strerror or e))

from importlib.metadata import version  # noqa: E402
from openbadgeslib import baking  # noqa: E402
from openbadgeslib.util import download_file  # noqa: E402

tool = "openbadgeslib " + version("openbadgeslib")


def download(url):
    body = _peer.from_bases(url, bases)
    if body is not None:
        return body
    if not _peer.is_loopback(url):
        _peer.REFUSED.append(url)
        raise ValueError("refused a request to %s (only 127.0.0.1 and --base folders are reachable)" % url)
    return download_file(url, allow_insecure=True, allow_private=True)


is_png = data[:8] == b"\x89PNG\r\n\x1a\n"
if is_png:
    ob3 = baking.extract_png(data, keyword=baking.ITXT_KEYWORD_OB3) is not None
else:
    ob3 = baking.extract_svg(data, element=baking.SVG_ELEMENT_OB3, text_fallback=True) is not None

errors = []
trusted = False
# openbadgeslib prints warnings (e.g. "does not use TLS") on stdout: keep our line alone there.
with contextlib.redirect_stdout(sys.stderr):
    if ob3:
        from openbadgeslib.verify import verify_badge
        try:
            r = verify_badge(data, "3", pubkey_pem=key, resolve_did=key is None,
                             expected_recipient=a.recipient, check_status=a.status,
                             verify_status_list=not a.no_list_proof, download=download)
            ok, trusted = r.valid, r.trusted
            if not ok:
                errors.append(r.reason)
        except Exception as e:  # noqa: BLE001
            ok = False
            errors.append("%s: %s" % (type(e).__name__, e))
    else:
        from openbadgeslib.ob2 import OB2Verifier
        try:
            token = (OB2Verifier.extract_token_from_png(data) if is_png
                     else OB2Verifier.extract_token_from_svg(data))
            verifier = OB2Verifier(pubkey_pem=key, download=download)
            verifier.verify(token, expected_recipient=a.recipient,
                            check_revocation=not a.no_revocation)
            ok, trusted = True, key is not None
        except Exception as e:  # noqa: BLE001
            ok = False
            errors.append("%s: %s" % (type(e).__name__, e))

_peer.emit(ok, "valid" if ok else "invalid", errors, ob_version="3" if ob3 else "2",
           trusted=trusted, tool=tool)
