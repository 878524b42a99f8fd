"""Shared by the Python peer scripts: the network sandbox and the one-line answer.

Every script prints exactly one JSON line on stdout, `{"ok", "verdict", "errors", ...}`,
and exits 0 when the peer accepted the input, 1 when it did not, 2 when it could not
run. The peers' own chatter goes to stderr.

Network: only `http://127.0.0.1` is reachable, plus the folders named with
`--base URL=DIR` (read from disk). Every other request is refused and listed in
`errors`, so a test never reaches the internet and says which URL it tried. Below
the peers' HTTP clients, importing this module also makes every socket refuse to
resolve or connect to anything but the loopback address, whatever library asks.
"""
import argparse
import json
import os
import socket
import sys
import urllib.parse

REFUSED = []
LOOPBACK = ("127.0.0.1", "::1")

_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _loopback_only(host):
    if host not in LOOPBACK:
        REFUSED.append(str(host))
        raise ConnectionRefusedError("refused a connection to %s (only 127.0.0.1 is reachable)" % host)


def _guarded_getaddrinfo(host, *a, **k):
    _loopback_only(host.decode() if isinstance(host, bytes) else host)
    return _getaddrinfo(host, *a, **k)


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _loopback_only(address[0])
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _loopback_only(address[0])
    return _connect_ex(self, address)


socket.getaddrinfo = _guarded_getaddrinfo
socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex


def emit(ok, verdict, errors, **extra):
    line = {"ok": bool(ok), "verdict": verdict, "errors": [str(e) for e in errors]}
    for url in REFUSED:
        line["errors"].append("refused a request to %s (only 127.0.0.1 and --base folders are reachable)" % url)
    line.update(extra)
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()
    sys.exit(0 if ok else 1)


def fail(message):
    """The peer could not be run at all (usage, unreadable file, import error)."""
    line = {"ok": False, "verdict": "error", "errors": [str(message)]}
    sys.stdout.write(json.dumps(line) + "\n")
    sys.exit(2)


class ArgumentParser(argparse.ArgumentParser):
    """argparse whose usage errors are a JSON line too."""

    def error(self, message):
        fail("%s: %s" % (self.prog, message))


def parse_bases(pairs):
    """`URL=DIR` pairs → [(url prefix, absolute dir)], longest prefix first."""
    bases = []
    for pair in pairs or []:
        url, sep, folder = pair.partition("=")
        if not sep or not url or not folder:
            fail("--base takes URL=DIR, not %r" % pair)
        if not url.endswith("/"):
            url += "/"
        bases.append((url, os.path.realpath(folder)))
    bases.sort(key=lambda b: -len(b[0]))
    return bases


def from_bases(url, bases):
    """The bytes of the file `url` names under a --base folder, or None if no base covers it."""
    url = url.split("#", 1)[0]
    for prefix, folder in bases:
        if url.startswith(prefix):
            rel = urllib.parse.unquote(url[len(prefix):].split("?", 1)[0])
            path = os.path.realpath(os.path.join(folder, rel))
            if path != folder and not path.startswith(folder + os.sep):
                raise ValueError("%s leaves the folder %s" % (url, folder))
            if not os.path.isfile(path):
                raise OSError("%s: no file %s under %s" % (url, rel, folder))
            with open(path, "rb") as f:
                return f.read()
    return None


def is_loopback(url):
    parts = urllib.parse.urlsplit(url)
    return parts.scheme == "http" and parts.hostname == "127.0.0.1"


def refuse(url):
    REFUSED.append(url)
    raise ConnectionError("refused a request to %s (only 127.0.0.1 is reachable)" % url)
