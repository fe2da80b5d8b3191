"""Writes the regression corpus of malformed transactions (tests/ebts/malformed/, issue 16).

Each file is a small CAR this script makes and then breaks in one way; `cases.json` says what the
parser or the validator must report for it. Run it again only to add cases:

    .venv/bin/python tests/ebts/make_malformed.py
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from ebts_samples import ORI, ridges  # noqa: E402

from ebts import Charge, FingerImage, Submission, build_car, parse, write  # noqa: E402

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"


def _seed() -> bytes:
    """Type-1, Type-2 and one rolled finger (32x32 WSQ): every structure, a few kilobytes."""
    return build_car(
        Submission(
            tcn=f"{ORI}-20261120101500-MALFORMED0", ori=ORI, last_name="DOE", first_name="JOHN",
            date_of_birth=date(1985, 4, 12), sex="M", race="W", place_of_birth="NY", height_inches=70,
            weight_pounds=180, eye_color="BRO", hair_color="BLK", arrest_date=date(2026, 11, 20),
            charges=[Charge("BURGLARY", date(2026, 11, 19))],
            images=[FingerImage(3, ridges(32, 32, 3), 500, True, quality=60)],
            amputated={1: "XX"},
            created=datetime(2026, 11, 20, 10, 15, tzinfo=UTC),
        )
    )  # fmt: skip


def _edit_bytes(data: bytes, record_tag: bytes, *pairs: tuple[bytes, bytes]) -> bytes:
    """Replace values inside one tagged record and give it the right LEN again."""
    start = data.index(record_tag)
    tag_end = start + len(record_tag)
    len_end = data.index(GS, tag_end)
    old_length = int(data[tag_end:len_end])
    record = data[len_end : start + old_length]
    for old, new in pairs:
        assert old in record, old
        record = record.replace(old, new, 1)
    digits = 1
    while len(str(len(record_tag) + digits + len(record))) != digits:
        digits += 1
    new_len = str(len(record_tag) + digits + len(record)).encode()
    return data[:start] + record_tag + new_len + record + data[start + old_length :]


def _edit_model(seed: bytes, record_type: int, tag: int, value: str | bytes) -> bytes:
    """A well-formed file whose one field holds a bad value (the codec writes it, declaring UTF-8
    for non-ASCII text as it must)."""
    tx = parse(seed)
    tx.first(record_type).set(tag, value)
    return write(tx)


def cases(seed: bytes) -> dict[str, tuple[bytes, str, str]]:
    """name -> (bytes, "parse" | "validate", what the message or problem must contain)."""
    t14 = seed.index(b"14.001:")
    header_end = seed.index(FS) + 1
    return {
        "empty": (b"", "parse", "empty input"),
        "not-ansi-nist": (b"%PDF-1.7\n", "parse", "1.001"),
        "len-of-5000-digits": (
            b"1.001:" + b"9" * 5000 + GS + b"1.002:0500" + FS,
            "parse",
            "LEN is not a number",
        ),
        "len-zero": (b"1.001:0" + GS + b"1.002:0500" + FS, "parse", "does not fit"),
        "truncated-half": (seed[: len(seed) // 2], "parse", "does not fit"),
        "truncated-in-type1": (seed[:40], "parse", "does not fit"),
        "truncated-after-type1": (seed[:header_end], "parse", "file ends"),
        "type1-without-fs": (seed[: header_end - 1] + GS + seed[header_end:], "parse", "file separator"),
        "rs-instead-of-gs": (_edit_bytes(seed, b"1.001:", (GS + b"1.004:", RS + b"1.004:")), "parse", "CNT"),
        "cnt-lists-a-missing-record": (
            _edit_bytes(
                seed,
                b"1.001:",
                (b"1\x1f2\x1e", b"1\x1f3\x1e"),
                (b"\x1e14\x1f01", b"\x1e14\x1f01\x1e14\x1f02"),
            ),
            "parse",
            "file ends",
        ),
        "trailing-bytes": (seed + b"GARBAGE", "parse", "bytes after the last record"),
        "cnt-type-arabic-digit": (
            _edit_bytes(seed, b"1.001:", (b"\x1e2\x1f00", "\x1e\u0662\x1f00".encode())),
            "parse",
            "not a number",
        ),
        "cnt-type-100": (
            _edit_bytes(seed, b"1.001:", (b"\x1e14\x1f01", b"\x1e100\x1f01")),
            "parse",
            "not 2..99",
        ),
        "duplicate-field": (_edit_bytes(seed, b"2.001:", (b"2.022:", b"2.018:")), "parse", "appears twice"),
        "field-of-another-record": (
            _edit_bytes(seed, b"2.001:", (b"2.022:", b"3.022:")),
            "parse",
            "found inside",
        ),
        "malformed-tag": (
            _edit_bytes(seed, b"2.001:", (b"2.022:", b"2.0x2:")),
            "parse",
            "malformed field tag",
        ),
        "dcs-unknown-charset": (
            _edit_bytes(seed, b"1.001:", (b"1.004:", b"1.015:009" + GS + b"1.004:")),
            "parse",
            "unknown character set",
        ),
        "dcs-utf8-invalid-bytes": (
            _edit_bytes(
                _edit_bytes(seed, b"1.001:", (b"1.004:", b"1.015:003\x1fUTF-8" + GS + b"1.004:")),
                b"2.001:",
                (b"DOE,JOHN", b"D\xffE,JOHN"),
            ),
            "parse",
            "not valid utf-8",
        ),
        "type14-len-past-end": (
            seed[:t14] + b"14.001:999999" + seed[seed.index(GS, t14) :],
            "parse",
            "does not fit",
        ),
        "fgp-superscript-two": (_edit_model(seed, 14, 13, "\u00b2"), "validate", "L0002 14.013 FGP"),
        "amp-superscript-two": (_edit_model(seed, 2, 84, ["\u00b2", "XX"]), "validate", "L0002 2.084 AMP"),
        "dob-arabic-digits": (
            _edit_model(seed, 2, 22, "\u0661\u0669\u0668\u0665\u0660\u0664\u0661\u0662"),
            "validate",
            "L0004 2.022 DOB",
        ),
        "hgt-fullwidth-digits": (
            _edit_model(seed, 2, 27, "\uff15\uff11\uff10"),
            "validate",
            "L0011 2.027 HGT",
        ),
        "hll-of-5000-digits": (_edit_model(seed, 14, 6, "9" * 5000), "validate", "L0006 14.006 HLL"),
        "wsq-garbage": (
            _edit_model(seed, 14, 999, b"\xff\xa0" + b"\x00" * 40),
            "validate",
            "L0006 14.999 DATA",
        ),
        # Found by atheris: a CNT count that is no number and a Type-2 without its IDC parse, and
        # must come back byte for byte (the CNT is kept as it was).
        "cnt-count-not-a-number-type2-without-idc": (
            _edit_bytes(
                _edit_bytes(seed, b"1.001:", (b"1\x1f2\x1e", b"1\x1fH\x1e")),
                b"2.001:",
                (GS + b"2.002:00", b""),
            ),
            "validate",
            "L0001 2.002 IDC",
        ),
        "cnt-type-9-in-a-car": (
            _edit_bytes(seed, b"1.001:", (b"\x1e14\x1f01", b"\x1e9\x1f01")).replace(b"14.", b"9.."),
            "parse",
            "expected",
        ),
    }


def main() -> None:
    seed = _seed()
    out = HERE / "malformed"
    out.mkdir(exist_ok=True)
    manifest = {}
    for name, (data, stage, expect) in sorted(cases(seed).items()):
        (out / f"{name}.an2").write_bytes(data)
        manifest[name] = {"stage": stage, "expect": expect}
    (out / "cases.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(manifest)} cases in {out}")


if __name__ == "__main__":
    main()
