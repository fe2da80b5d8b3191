from __future__ import annotations

from dataclasses import replace

from ebts import build_car, parse, validate, wsq
from ebts.car import format_height, format_name


def test_car_has_the_ebts_header_demographics_and_fourteen_images(submission) -> None:
    tx = parse(build_car(submission))
    h = tx.header
    assert (h.get(2), tx.tot, h.get(5), h.get(7), tx.ori, tx.tcn) == (
        "0500", "CAR", "20261120", "WVIAFISZ0", "NY0303000", submission.tcn,
    )  # fmt: skip
    assert (h.get(11), h.get(12), h.get(14)) == ("19.69", "19.69", "20261120101500Z")
    t2 = tx.first(2)
    assert t2.get(18) == "DOE,JOHN Q"
    assert (t2.get(22), t2.get(24), t2.get(25), t2.get(27), t2.get(29)) == (
        "19850412",
        "M",
        "W",
        "510",
        "180",
    )
    assert t2.subfields(47) == [["20261119", "BURGLARY 2ND DEGREE"], ["", "RESISTING ARREST"]]
    assert (t2.get(5), t2.get(73)) == ("Y", "NY0303000")
    t14 = tx.of_type(14)
    assert sorted(int(r.get(13)) for r in t14) == list(range(1, 15))
    assert {r.get(11) for r in t14} == {"WSQ20"}
    assert validate(tx) == []


def test_type14_carries_impression_segments_quality_and_a_decodable_image(submission) -> None:
    tx = parse(build_car(submission))
    by_fgp = {int(r.get(13)): r for r in tx.of_type(14)}
    assert by_fgp[3].get(3) == "1" and by_fgp[13].get(3) == "0"  # rolled / plain live-scan
    assert by_fgp[3].subfields(24) == [["3", "63", "FFFF", "1"]]
    assert by_fgp[13].subfields(21)[0] == ["2", "0", "64", "0", "64"]
    assert [s[1] for s in by_fgp[13].subfields(24)] == ["50", "51", "52", "53"]  # per-finger quality
    image, ppi = wsq.decode(by_fgp[13].binary(999))
    assert image.shape == (64, 256) and ppi == 500
    assert (by_fgp[13].get(6), by_fgp[13].get(7)) == ("256", "64")


def test_same_submission_gives_the_same_tcn_every_time(submission) -> None:
    assert parse(build_car(submission)).tcn == parse(build_car(submission)).tcn == submission.tcn


def test_non_ascii_names_and_charges_round_trip_in_a_car(submission) -> None:
    s = replace(
        submission,
        last_name="Đặng",
        first_name="Thị Hương",
        middle_name="",
        aliases=("Ivanova,Ольга", "王,芳"),
        charges=[replace(submission.charges[0], literal="Vol qualifié — article 311-4")],
    )
    tx = parse(build_car(s))
    t2 = tx.first(2)
    assert t2.get(18) == "Đặng,Thị Hương"
    assert [a[0] for a in t2.subfields(19)] == ["Ivanova,Ольга", "王,芳"]
    assert t2.subfields(47)[0][1] == "Vol qualifié — article 311-4"
    assert tx.header.subfields(15) == [["003", "UTF-8"]]
    assert validate(tx) == []


def test_amputated_finger_is_declared_instead_of_imaged(submission) -> None:
    s = replace(submission, images=[i for i in submission.images if i.fgp != 7], amputated={7: "XX"})
    tx = parse(build_car(s))
    assert tx.first(2).subfields(84) == [["07", "XX"]]
    assert validate(tx) == []


def test_formatting_helpers() -> None:
    assert format_height(70) == "510" and format_height(60) == "500"
    assert format_name(" Smith ", "Anna", "") == "Smith,Anna"
