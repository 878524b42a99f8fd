"""Issues one OB 3.0 credential per CSV row with openbadgeslib 4.6.3, doing the
work `satchel award --csv` does for an OB 3.0 class with --vc-jwt:

  - a did:web issuer and an Ed25519 key (made once, before the clock starts);
  - one status list index per credential, allocated at random in the library's
    status registry in one transaction (load, allocate all, save), as its own
    batch path (`issue._allocate_status_batch`) does;
  - per row: the credential (hashed email identity with a fresh salt, evidence
    URL when given), an `eddsa-rdfc-2022` Data Integrity proof baked into the
    class PNG (`OB3LdpSigner.sign_into_png`), the same credential as an EdDSA
    VC-JWT (`OB3Signer.sign`), and the baked PNG, the signed JSON and the JWT
    written to the output folder.

It does not verify what it issued (Satchel self-checks every badge).

    python oblib_issue.py --csv rows.csv --image class.png --out DIR

Prints one JSON line: n, ok, loop_s (the loop over the rows, no interpreter
start or imports), per_badge_us_mean.
"""
import argparse
import csv
import json
import os
import sys
import time

T_START = time.perf_counter()

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402
from openbadgeslib import baking  # noqa: E402
from openbadgeslib.ob3 import Achievement, Issuer, OB3LdpSigner, OB3Signer, OpenBadgeCredential  # noqa: E402
from openbadgeslib.ob3.credential import IdentityObject  # noqa: E402
from openbadgeslib.ob3.status_list import status_entry  # noqa: E402
from openbadgeslib.ob3.status_registry import StatusRegistry  # noqa: E402

BASE = "https://club.example/badges/"
DID = "did:web:club.example:badges"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    key = ed25519.Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    image = open(args.image, "rb").read()
    issuer = Issuer(id=DID, name="Harbour Coding Club", url="https://club.example/",
                    email="badges@club.example")
    achievement = Achievement(id=BASE + "classes/1.json", name="Harbour Navigator",
                              description="Plotted a course across the harbour.",
                              criteria_narrative="Plot a course. Sail it.",
                              image_url=BASE + "images/class-1.png")
    ldp = OB3LdpSigner(pem, verification_method=DID + "#key-1")
    jwt_signer = OB3Signer(pem, algorithm="EdDSA")
    t0 = time.perf_counter()
    with open(args.csv, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    credentials = []
    for row in rows:
        email = row["email"].strip().lower()
        c = OpenBadgeCredential(issuer=issuer, recipient_id=None, achievement=achievement,
                                evidence_url=row.get("evidence url") or None)
        c.identifiers = [IdentityObject.create(email, salt=os.urandom(16).hex())]
        credentials.append((row, email, c))
    with StatusRegistry.locked(os.path.join(args.out, "status-registry.json")) as reg:
        for _, email, c in credentials:
            index = reg.allocate(c.id, email, c.issuance_date)
            c.credential_status = [status_entry(BASE + "status/revocation.json", "revocation", index)]
        reg.save()
    ok = 0
    for n, (row, email, c) in enumerate(credentials):
        stem = os.path.join(args.out, "harbour-navigator-%d" % n)
        signed = ldp.sign(c)
        text = json.dumps(signed, sort_keys=True, ensure_ascii=True)
        png = baking.bake_png(image, text, keyword=baking.ITXT_KEYWORD_OB3)
        token = jwt_signer.sign(c)
        with open(stem + ".png", "wb") as out:
            out.write(png)
        with open(stem + ".json", "w") as out:
            json.dump(signed, out, indent=2)
        with open(stem + ".jwt", "w") as out:
            out.write(token)
        ok += 1
    loop_s = time.perf_counter() - t0
    n = len(rows)
    print(json.dumps({
        "tool": "openbadgeslib-issue-ob3", "n": n, "ok": ok,
        "startup_s": round(t0 - T_START, 4), "loop_s": round(loop_s, 4),
        "per_badge_us_mean": round(loop_s / n * 1e6, 2) if n else None,
    }))
    return 0 if ok == n else 1


if __name__ == "__main__":
    sys.exit(main())
