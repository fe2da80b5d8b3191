"""`booking-station ebts import FILE`: an EBTS file from another system as a booking to review and
resubmit (see desktop.station.ebts_import). Registration is import-light."""

from __future__ import annotations

import argparse


def extend(actions: argparse._SubParsersAction) -> None:
    imp = actions.add_parser(
        "import",
        help="make a booking of an EBTS file another system sent, to review and resubmit",
        description="Reads the transaction (a CAR or any tenprint submission), makes a booking of its "
        "Type-2 demographics and charges and of its fingerprints (Type-4 or Type-14), and keeps the file "
        "with the booking. Every field and record the booking has no place for is listed. Open the "
        "booking in the station to review it (EBTS carries no offense level) and submit it.",
    )
    imp.add_argument("file", help="an ANSI/NIST-ITL traditional-encoding file (.an2, .eft, .ebts)")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")
    imp.set_defaults(func=_import)


def _import(args: argparse.Namespace) -> int:
    import getpass
    import json

    from booking_station.runtime import UserError
    from desktop.station.core import Station
    from desktop.station.ebts_import import import_ebts

    try:
        with open(args.file, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror}") from None
    station = Station.open()
    try:
        result = import_ebts(station, data, actor=f"cli:{getpass.getuser()}")
    finally:
        station.close()
    booking = result.booking
    if args.json:
        doc = {
            "booking": booking.number,
            "booking_id": booking.id,
            "status": booking.status.value,
            "name": booking.name,
            "source_tcn": result.source_tcn,
            "prints": list(result.prints),
            "amputations": {str(k): v for k, v in result.amputations.items()},
            "review": result.review,
            "kept": [k.as_dict() for k in result.kept],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return 0
    print(f"booking {booking.number}: {booking.name} ({booking.status.value}), from TCN {result.source_tcn}")
    prints = ", ".join(map(str, result.prints)) or "none"
    amputated = ", ".join(f"{f} {c}" for f, c in sorted(result.amputations.items()))
    print(f"fingerprints imported: {prints}" + (f"; declared missing: {amputated}" if amputated else ""))
    if result.review:
        print("to complete before submitting:")
        for field, why in result.review.items():
            print(f"  {field}: {why}")
    if result.kept:
        print(f"kept with the booking, not part of it ({len(result.kept)}):")
        for kept in result.kept:
            print(f"  {kept.where:18} {kept.value[:90]}  ({kept.reason})")
    return 0
