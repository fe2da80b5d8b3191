"""`booking-station pki`: the certificate authority of a backend and its stations (booking_station.pki)."""

from __future__ import annotations

import argparse
from pathlib import Path

from booking_station.runtime import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pki",
        help="certificates for mutual TLS: a CA, the backend's, stations' and administrators'",
        description="The certificate authority behind mutual TLS between stations and the backend. "
        "The embedded backend makes its own; these commands are for a backend run on its own.",
    )
    verbs = p.add_subparsers(dest="pki_command", metavar="ACTION", required=True)

    init = verbs.add_parser("init", help="make a CA, the backend's certificate and an empty revocation list")
    init.add_argument("--dir", type=Path, required=True, help="the CA folder (new)")
    init.add_argument(
        "--host",
        action="append",
        metavar="NAME",
        help="a host name or IP address the backend is reached at (repeat; default localhost and loopback)",
    )
    init.set_defaults(func=_init)

    issue = verbs.add_parser("issue", help="a station's certificate (--ori) or an administrator's (--admin)")
    who = issue.add_mutually_exclusive_group(required=True)
    who.add_argument("--ori", help="the agency's ORI: the station reads and answers for this agency only")
    who.add_argument("--admin", metavar="NAME", help="an administrator's name: opens /admin, no mailbox")
    issue.add_argument("--agency", default="", help="the agency's name, for the record (stations)")
    issue.add_argument("--out", type=Path, required=True, help="folder for the certificate, key and CA")
    issue.add_argument("--ca-dir", type=Path, required=True, help="the CA folder made by `pki init`")
    issue.set_defaults(func=_issue)

    revoke = verbs.add_parser("revoke", help="revoke a certificate; the backend refuses it from then on")
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("--serial", help="the certificate's serial number (hex, as `pki list` shows)")
    which.add_argument("--cert", type=Path, metavar="PEM", help="the certificate file")
    revoke.add_argument("--reason", default="", help="why, for the record")
    revoke.add_argument("--ca-dir", type=Path, required=True, help="the CA folder")
    revoke.set_defaults(func=_revoke)

    listing = verbs.add_parser("list", help="every certificate the CA issued")
    listing.add_argument("--ca-dir", type=Path, required=True, help="the CA folder")
    listing.set_defaults(func=_list)


def _init(args: argparse.Namespace) -> int:
    from booking_station.pki import DEFAULT_HOSTS, CertificateAuthority

    ca = CertificateAuthority.init(args.dir, tuple(args.host or DEFAULT_HOSTS))
    files = ca.backend_files
    print(f"CA made in {ca.folder}")
    print(f"  CA certificate (give it to every station): {ca.ca_certificate}")
    print(f"  backend certificate: {files.certificate} (hosts: {', '.join(args.host or DEFAULT_HOSTS)})")
    print(f"  keys (0600): {files.key.parent}")
    print(f"Run the backend with: booking-station backend --pki {ca.folder}")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from booking_station.pki import CertificateAuthority

    ca = CertificateAuthority.open(args.ca_dir)
    if args.ori:
        files = ca.issue_station(args.ori, args.out, agency=args.agency)
        print(f"Station certificate for ORI {args.ori.strip().upper()} written to {args.out}")
        print("Copy that folder to the station and add to its config.toml:")
        print('  backend_url = "https://BACKEND-HOST:PORT"')
        print(f'  backend_ca = "{files.ca}"')
        print(f'  backend_certificate = "{files.certificate}"')
        print(f'  backend_key = "{files.key}"')
        return 0
    files, p12, passphrase = ca.issue_admin(args.admin, args.out)
    print(f"Administrator certificate for {args.admin!r} written to {args.out}")
    print(f"  for curl: --cacert {files.ca} --cert {files.certificate} --key {files.key}")
    print(f"  for a browser: import {p12} with the passphrase {passphrase}")
    print("  (the passphrase is shown once; keep it with the file's owner)")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from booking_station.pki import CertificateAuthority, load_certificate

    ca = CertificateAuthority.open(args.ca_dir)
    if args.cert:
        serial = load_certificate(args.cert).serial_number
    else:
        try:
            serial = int(args.serial.strip().lower().removeprefix("0x").replace(":", ""), 16)
        except ValueError:
            raise UserError(f"--serial {args.serial!r} is not a hexadecimal serial number") from None
    record = ca.revoke(serial, args.reason)
    who = f"ORI {record['ori']}" if record.get("ori") else f"{record['role']} {record['name']!r}"
    print(f"revoked {record['serial']} ({who}) at {record['revoked_at']}; the backend refuses it from now on")
    return 0


def _list(args: argparse.Namespace) -> int:
    from booking_station.pki import CertificateAuthority

    records = CertificateAuthority.open(args.ca_dir).issued()
    print(f"{'serial':<42} {'role':<22} {'name':<24} {'expires':<21} revoked")
    for r in records:
        print(
            f"{r['serial']:<42} {r['role']:<22} {r['name']:<24} {r['not_after']:<21} "
            f"{r['revoked_at'] or ''} {r['reason']}".rstrip()
        )
    return 0
