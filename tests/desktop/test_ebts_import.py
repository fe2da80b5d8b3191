"""`booking-station ebts import FILE`: an EBTS file from another system becomes a booking to review
and resubmit; whatever the booking has no place for is kept with it and shown (issue 25)."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest
from sample_records import as_type4, face_photo
from sqlalchemy import select

import ebts
from booking_station import cli
from booking_station.runtime import UserError
from desktop.station.ebts_import import import_ebts, kept_of
from desktop.station.imported import ImportedTransaction
from desktop.station.models import Booking, BookingStatus, Capture

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ebts"))
from ebts_samples import ORI, tenprint_images  # noqa: E402


def _other_vendors_car(**type2: str | None) -> bytes:
    """A CAR as another station sends it: rolled prints as Type-4, slaps as Type-14, a mugshot,
    an FBI number and an alias the booking has no field for, a finger declared amputated."""
    import datetime as dt

    images = [i for i in tenprint_images(64) if i.fgp != 4]
    tx = ebts.car_transaction(
        ebts.Submission(
            tcn=f"{ORI}-20261120101500-VENDOR0001", ori=ORI, last_name="MÜLLER", first_name="JÜRGEN",
            date_of_birth=dt.date(1985, 4, 12), sex="M", race="W", place_of_birth="NY", height_inches=70,
            weight_pounds=180, eye_color="BRO", hair_color="BLK", arrest_date=dt.date(2026, 11, 20),
            charges=[ebts.Charge("BURGLARY 2ND DEGREE", dt.date(2026, 11, 19)), ebts.Charge("RESISTING ARREST")],
            images=images, amputated={4: "XX"}, aliases=["MILLER,JOHN"],
            created=dt.datetime(2026, 11, 20, 10, 15, tzinfo=dt.UTC),
        )
    )  # fmt: skip
    tx.records = [
        as_type4(r) if r.type == 14 and r.get(13) in {str(f) for f in range(1, 11)} else r for r in tx.records
    ]
    tx.records.append(face_photo(ORI))
    t2 = tx.first(2)
    t2.set(14, "123456AB7")
    for tag, value in type2.items():
        t2.set(int(tag.removeprefix("t")), value)
    return ebts.write(tx)


def test_a_car_from_another_station_becomes_a_booking_with_its_prints(station) -> None:
    data = _other_vendors_car()
    result = import_ebts(station, data, actor="clerk1")
    booking = result.booking
    assert (booking.data.surname, booking.data.given_names) == ("MÜLLER", "JÜRGEN")
    assert booking.status is BookingStatus.CAPTURED
    assert [c.text for c in booking.data.charges] == ["BURGLARY 2ND DEGREE", "RESISTING ARREST"]
    assert booking.data.charges[1].offense_date is None and booking.data.charges[0].level == ""
    assert set(result.review) == {"charges.0.level", "charges.1.level", "charges.1.offense_date"}
    assert result.prints == (1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14)
    assert result.amputations == {4: "XX"}
    with station.store.session() as s:
        captures = s.scalars(select(Capture).where(Capture.booking_id == booking.id)).all()
        stored = s.scalars(select(ImportedTransaction)).one()
        assert stored.ebts == data and stored.source_tcn.endswith("VENDOR0001")
    by_position = {c.position: c for c in captures}
    assert by_position[2].impression == "rolled" and by_position[13].impression == "plain"
    assert by_position[4].annotation == "XX" and by_position[4].image_png is None
    assert json.loads(by_position[13].segmentation_json)["expected"] == [2, 3, 4, 5]
    assert all(c.accepted for c in captures)
    kept = {k.where: k for k in result.kept}
    assert kept["2.014 FBI"].value == "123456AB7" and kept["2.019 AKA"].value == "MILLER,JOHN"
    assert "photo FACE" in kept["Type-10 IDC 30"].value
    assert kept_of(station, booking.id) == list(result.kept)
    assert station.audit.events(limit=1)[0].action == "booking.import"
    form = booking.data.to_form()  # what the booking form shows the clerk for review
    assert form.charges[1] == {"offense_date": "", "text": "RESISTING ARREST", "level": ""}


def test_the_imported_booking_is_resubmitted_once_the_clerk_has_reviewed_it(station) -> None:
    from desktop.station.models import Transaction

    booking = import_ebts(station, _other_vendors_car(), actor="clerk1").booking
    reviewed = dataclasses.replace(
        booking.data,
        charges=tuple(
            dataclasses.replace(c, level="felony", offense_date=c.offense_date or booking.data.arrested_on)
            for c in booking.data.charges
        ),
    )
    station.bookings.update(booking.id, reviewed, actor="clerk1")
    tcn = station.outbox.enqueue(booking.id, actor="clerk1")
    with station.store.session() as s:
        assert s.get(Booking, booking.id).status == BookingStatus.QUEUED.value
        sent = ebts.parse(s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one().ebts)
    assert ebts.validate(sent) == []
    assert sorted(f.fgp for f in ebts.finger_records(sent)) == [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert sent.first(2).subfields(84) == [["04", "XX"]]
    assert sent.first(2).get(18) == "MÜLLER,JÜRGEN"
    # What the booking has no place for travels with the resubmission: the FBI number, the photo.
    assert sent.first(2).get(14) == "123456AB7" and [r.get(3) for r in sent.of_type(10)] == ["FACE"]


def test_demographics_the_station_cannot_book_stop_the_import_and_write_nothing(station) -> None:
    with pytest.raises(UserError, match=r"2\.022 DOB"):
        import_ebts(station, _other_vendors_car(t22="19851399"), actor="clerk1")
    with pytest.raises(UserError, match="not a readable EBTS transaction"):
        import_ebts(station, b"1.001:0\x1d", actor="clerk1")
    with station.store.session() as s:
        assert s.scalars(select(Booking)).all() == []
        assert s.scalars(select(ImportedTransaction)).all() == []


def test_the_command_imports_and_lists_what_was_kept(tmp_path, capsys) -> None:
    path = tmp_path / "vendor.ebts"
    path.write_bytes(_other_vendors_car())
    assert cli.main(["ebts", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "MÜLLER, JÜRGEN (captured)" in out
    assert "fingerprints imported: 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14; declared missing: 4 XX" in out
    assert "2.014 FBI" in out and "Type-10 IDC 30" in out and "charges.0.level" in out
    assert cli.main(["ebts", "import", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["prints"][0] == 1 and any(k["where"] == "2.019 AKA" for k in doc["kept"])
    assert cli.main(["ebts", "import", str(tmp_path / "missing.ebts")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_ebts_command_line_knows_import_only_through_the_station() -> None:
    assert cli.command_module(["ebts", "import", "x"]) == "ebts.cli"
    args = cli.build_parser(["ebts", "import", "x.ebts"]).parse_args(["ebts", "import", "x.ebts"])
    assert args.file == "x.ebts" and args.func.__module__ == "desktop.ebts_import_cli"


def test_a_resubmission_can_carry_what_the_booking_has_no_place_for(station) -> None:
    import datetime as dt

    from desktop.station.ebts_import import with_kept
    from desktop.station.outbox_submission import submission_for

    booking = import_ebts(station, _other_vendors_car(), actor="clerk1").booking
    with station.store.session() as s:
        row = s.get(Booking, booking.id)
        now = dt.datetime.now(dt.UTC)
        car = ebts.build_car(submission_for(s, row, ori=ORI, tcn=ebts.new_tcn(ORI, now), created=now))
        merged = ebts.parse(with_kept(s, booking.id, car))
        assert with_kept(s, booking.id + 1, car) == car  # not an imported booking: unchanged
    t2 = merged.first(2)
    assert t2.get(14) == "123456AB7" and t2.get(19) == "MILLER,JOHN"
    (photo,) = merged.of_type(10)
    assert photo.get(3) == "FACE" and photo.idc == "14"  # after the CAR's 13 fingerprint records
    assert ebts.validate(merged) == []
