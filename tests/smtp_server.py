"""An SMTP server on 127.0.0.1 for the badge-email tests (aiosmtpd).

usage: smtp_server.py PORT FOLDER USER PASSWORD [plain | starttls CERT KEY | tls CERT KEY]
       smtp_server.py parse FILE.eml

Serving, it accepts AUTH PLAIN/LOGIN for USER/PASSWORD and refuses any
other login; writes each message it receives to FOLDER/N.eml, the
recipients to FOLDER/N.rcpt and what Python's own email parser reads in it
to FOLDER/N.json (headers, bodies, attachments in base64, and the
connection's TLS version, or null); prints "ready" once it listens and runs
until stdin closes. Parsing, it prints that JSON for one .eml file.

plain (the default) takes logins without TLS (127.0.0.1 only). starttls
serves the certificate chain CERT with its key KEY after STARTTLS and
refuses every command but EHLO, NOOP, QUIT and STARTTLS before it (and
logins without TLS); tls speaks TLS from the first byte and refuses logins
on any connection that is not encrypted.
"""

import base64
import email
import email.policy
import json
import os
import sys


def parse(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = {
        "subject": msg["subject"],
        "from": msg["from"],
        "to": msg["to"],
        "content_type": msg.get_content_type(),
        "defects": [str(d) for d in msg.defects],
        "text": msg.get_body(("plain",)).get_content(),
        "html": msg.get_body(("html",)).get_content(),
        "attachments": [],
    }
    for part in msg.iter_attachments():
        out["attachments"].append(
            {
                "filename": part.get_filename(),
                "content_type": part.get_content_type(),
                "base64": base64.b64encode(part.get_payload(decode=True)).decode(),
            }
        )
    return out

import logging
import ssl
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def tls_version(server):
    """The TLS version of the server's connection, or None."""
    tls = server.transport.get_extra_info("ssl_object") if server.transport else None
    return tls.version() if tls else None


class Folder:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, str(self.count))
        with open(base + ".eml.part", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.part", base + ".eml")
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        parsed = parse(envelope.original_content)
        parsed["tls"] = tls_version(server)
        # Written last, whole: the test waits for it.
        with open(base + ".json.part", "w") as f:
            json.dump(parsed, f)
        os.rename(base + ".json.part", base + ".json")
        return "250 OK"


def main():
    if sys.argv[1] == "parse":
        with open(sys.argv[2], "rb") as f:
            print(json.dumps(parse(f.read())))
        return
    port, folder, user, password = sys.argv[1:5]
    # Logins without TLS are meant (plain mode, and implicit TLS, which
    # aiosmtpd's own rule does not count); say nothing about them.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    mode = sys.argv[5] if len(sys.argv) > 5 else "plain"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            auth_data.login == user.encode()
            and auth_data.password == password.encode()
            and (mode == "plain" or tls_version(server) is not None)
        )
        return AuthResult(success=ok, handled=False)

    options = {}
    if mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[6], sys.argv[7])
        if mode == "starttls":
            options = {
                "tls_context": context,
                "require_starttls": True,
                "auth_require_tls": True,
            }
        elif mode == "tls":
            # aiosmtpd counts only STARTTLS as TLS for its own login rule;
            # the authenticator above refuses unencrypted logins instead.
            options = {"ssl_context": context, "auth_require_tls": False}
        else:
            sys.exit(f"unknown mode {mode!r}")
    else:
        options = {"auth_require_tls": False}
    controller = Controller(
        Folder(folder),
        hostname="127.0.0.1",
        port=int(port),
        authenticator=authenticator,
        auth_required=True,
        ready_timeout=10,
        **options,
    )
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
