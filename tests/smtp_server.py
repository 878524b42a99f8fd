"""An SMTP server on 127.0.0.1 for the badge-email tests (aiosmtpd).

usage: smtp_server.py PORT FOLDER USER PASSWORD
       smtp_server.py parse FILE.eml

Serving, it accepts AUTH PLAIN/LOGIN without TLS (127.0.0.1 only) for
USER/PASSWORD and refuses any other login; writes each message it receives
to FOLDER/N.eml, the recipients to FOLDER/N.rcpt and what Python's own email
parser reads in it to FOLDER/N.json (headers, bodies, attachments in
base64); prints "ready" once it listens and runs until stdin closes.
Parsing, it prints that JSON for one .eml file.
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

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


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
        # Written last, whole: the test waits for it.
        with open(base + ".json.part", "w") as f:
            json.dump(parse(envelope.original_content), f)
        os.rename(base + ".json.part", base + ".json")
        return "250 OK"


def main():
    if sys.argv[1] == "parse":
        with open(sys.argv[2], "rb") as f:
            print(json.dumps(parse(f.read())))
        return
    port, folder, user, password = sys.argv[1:5]

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        Folder(folder),
        hostname="127.0.0.1",
        port=int(port),
        authenticator=authenticator,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
