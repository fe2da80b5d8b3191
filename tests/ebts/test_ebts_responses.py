from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ebts import ErrorItem, build_errt, build_sre, parse, read_response, validate

REQUEST_TCN = "NY0303000-20261120101500-ABCDEF0123"
WHEN = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def test_identification_sre_carries_fbi_number_rap_sheet_and_links_to_the_request() -> None:
    data = build_sre(
        recipient_ori="NY0303000",
        request_tcn=REQUEST_TCN,
        identified=True,
        fbi_number="123456AB7",
        name="GARCÍA LÓPEZ,JOSÉ",
        rap_sheet=["2019-03-02 NY0303000 ARREST: ROBBERY 1ST (FELONY)", "2019-06-10 CONVICTED"],
        tcn="WVIAFISZ0-0000000001",
        when=WHEN,
    )
    tx = parse(data)
    assert (tx.tot, tx.tcr, tx.header.get(7), tx.ori) == ("SRE", REQUEST_TCN, "NY0303000", "WVIAFISZ0")
    assert validate(tx) == []
    response = read_response(data)
    assert response.kind == "SRE" and response.identified is True
    assert response.fbi_number == "123456AB7"
    assert response.name == "GARCÍA LÓPEZ,JOSÉ"
    assert response.rap_sheet[0].startswith("2019-03-02")
    assert (response.tcn, response.request_tcn, response.created) == (
        "WVIAFISZ0-0000000001",
        REQUEST_TCN,
        WHEN,
    )


def test_non_identification_sre_has_no_fbi_number() -> None:
    response = read_response(build_sre(recipient_ori="NY0303000", request_tcn=REQUEST_TCN, identified=False))
    assert response.identified is False
    assert response.fbi_number == ""
    assert response.tcn and response.tcn != REQUEST_TCN


def test_identification_without_fbi_number_is_refused() -> None:
    with pytest.raises(ValueError, match="FBI number"):
        build_sre(recipient_ori="NY0303000", request_tcn=REQUEST_TCN, identified=True)


def test_errt_lists_every_error_with_code_and_field() -> None:
    errors = [
        ErrorItem("L0002", "2.024 SEX", "'Q': not a code of the SEX table"),
        ErrorItem("L0005", "14.013 FGP", "no rolled left index and no 2.084 AMP code for it"),
        ErrorItem("L0010", "", "transaction cannot be parsed: stray\x1dseparator"),
    ]
    response = read_response(build_errt(recipient_ori="NY0303000", request_tcn=REQUEST_TCN, errors=errors))
    assert response.kind == "ERRT" and response.identified is None
    assert response.errors[:2] == tuple(errors[:2])
    assert response.errors[2] == ErrorItem("L0010", "", "transaction cannot be parsed: stray separator")


def test_errt_needs_an_error() -> None:
    with pytest.raises(ValueError):
        build_errt(recipient_ori="NY0303000", request_tcn=REQUEST_TCN, errors=[])


def test_a_car_is_not_a_response(submission) -> None:
    from ebts import build_car

    with pytest.raises(ValueError, match="CAR is not an SRE or ERRT"):
        read_response(build_car(submission))
