#!/usr/bin/env python3
"""The 1EdTech Open Badges validator core (`openbadges` on PyPI) on one badge.

usage: ob2_validate.py [--base URL=DIR ...] URL_OR_FILE

URL_OR_FILE is a hosted assertion URL (served on http://127.0.0.1 or under a --base),
a baked PNG or SVG, or a JSON/JWS file. A URL under a --base URL is answered with the
file at the same relative path under DIR (404 when there is none), so a publish
folder for `https://club.example/badges/` validates without a server. Prints one JSON line:
  {"ok": true|false, "verdict": "valid"|"invalid", "errors": [...], "warnings": [...]}

Offline except 127.0.0.1 and the --base folders: every request goes through `requests`, whose sessions get
transport adapters here before the validator is imported; the OB 2.0 JSON-LD context
(https://w3id.org/openbadges/v2, fetched on every run) is answered from the copy the
validator ships (`openbadges_context.OPENBADGES_CONTEXT_V2_DICT`), 127.0.0.1 passes
through, and anything else is refused and listed in `errors`.

Compatibility: openbadges 1.1.2 holds openbadges-bakery at 1.2.4, whose SVG reader
returns the `verify` attribute as bytes on Python 3, which the validator rejects
("only URL, JSON, or JWS input implemented so far"); it is decoded to text here, as
bakery 2.0.0 does. Nothing else of the validator is changed.
"""
import io
import json
import logging
import os
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _peer  # noqa: E402

import requests  # noqa: E402
import requests.adapters  # noqa: E402


class _Refuse(requests.adapters.BaseAdapter):
    def send(self, request, **kw):
        _peer.refuse(request.url)

    def close(self):
        pass


class _Context(requests.adapters.BaseAdapter):
    """Answers the OB 2.0 context URL with the validator's own copy."""

    def send(self, request, **kw):
        from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT
        body = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode("utf-8")
        return _answer(request, 200, "application/ld+json", body)

    def close(self):
        pass


def _answer(request, status, content_type, body):
    r = requests.Response()
    r.status_code = status
    r.headers["Content-Type"] = content_type
    r._content = body
    r.encoding = "utf-8"
    r.url = request.url
    r.request = request
    r.raw = io.BytesIO(body)
    return r


class _Folder(requests.adapters.BaseAdapter):
    """Answers URLs under the --base URLs from their folders."""

    TYPES = {".json": "application/ld+json", ".png": "image/png", ".svg": "image/svg+xml"}

    def send(self, request, **kw):
        try:
            body = _peer.from_bases(request.url, BASES)
        except (OSError, ValueError) as e:
            return _answer(request, 404, "text/plain", str(e).encode("utf-8"))
        ext = os.path.splitext(request.url.split("#")[0].split("?")[0])[1]
        return _answer(request, 200, self.TYPES.get(ext, "application/octet-stream"), body)

    def close(self):
        pass


BASES = []
_orig_init = requests.Session.__init__


def _init(self, *a, **k):
    _orig_init(self, *a, **k)
    self.trust_env = False  # no proxy from the environment, even for 127.0.0.1
    self.mount("http://", _Refuse())
    self.mount("https://", _Refuse())
    for scheme in ("http", "https"):
        self.mount("%s://w3id.org/openbadges/v2" % scheme, _Context())
    self.mount("http://127.0.0.1:", requests.adapters.HTTPAdapter())
    self.mount("http://127.0.0.1/", requests.adapters.HTTPAdapter())
    for prefix, _ in BASES:
        self.mount(prefix, _Folder())


requests.Session.__init__ = _init


def main():
    ap = _peer.ArgumentParser()
    ap.add_argument("--base", action="append", metavar="URL=DIR")
    ap.add_argument("input", metavar="URL_OR_FILE")
    a = ap.parse_args()
    BASES.extend(_peer.parse_bases(a.base))
    arg = a.input
    logging.disable(logging.ERROR)  # the validator logs a traceback per failed task
    try:
        import openbadges
        import openbadges.verifier.verifier as v
        from importlib.metadata import version
    except Exception as e:  # noqa: BLE001
        _peer.fail("the validator core does not import: %s" % e)

    orig_unbake = v.unbake

    def unbake_text(f):
        r = orig_unbake(f)
        return r.decode("utf-8") if isinstance(r, bytes) else r
    v.unbake = unbake_text

    tool = "openbadges (1EdTech validator core) " + version("openbadges")
    if arg.startswith(("http://", "https://")):
        badge_input = arg
    else:
        try:
            with open(arg, "rb") as f:
                data = f.read()
        except OSError as e:
            _peer.fail("%s: %s" % (arg, e.strerror or e))
        if data.lstrip()[:1] in (b"{", b"e"):
            badge_input = data.decode("utf-8").strip()  # JSON or a compact JWS
        else:
            badge_input = io.BytesIO(data)
            badge_input.name = arg
    try:
        result = openbadges.verify(badge_input)
    except Exception as e:  # noqa: BLE001
        _peer.emit(False, "invalid", ["the validator raised %s: %s" % (type(e).__name__, e)], tool=tool)
    report = result["report"]
    messages = report.get("messages", [])

    def worded(level):
        return ["%s: %s" % (m.get("name"), m.get("result")) for m in messages if m.get("messageLevel") == level]
    ok = bool(report.get("valid"))
    _peer.emit(ok, "valid" if ok else "invalid", worded("ERROR"), warnings=worded("WARNING"), tool=tool)


main()
