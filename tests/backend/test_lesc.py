from __future__ import annotations

from datetime import UTC, datetime

from backend import lesc, population
from backend.policy import IcePolicy


def test_documents_carry_what_the_jail_needs() -> None:
    removed = next(p for p in population.generate(6, 2026) if p.immigration_status == "PREVIOUSLY_REMOVED")
    decision = IcePolicy().decide("PREVIOUSLY_REMOVED", [])
    at = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)

    detainer = lesc.detainer("d-1", "TCN0000001", "IL0160000", removed, decision, at)
    assert detainer["lodged_at"] == "2026-11-21T15:00:00Z"
    assert detainer["hold_limit_hours"] == 48
    assert detainer["issuing_office"]["name"] == "ICE ERO Chicago Field Office"
    assert detainer["notice_languages"] == ["en", *[c for c in removed.languages if c != "en"]]
    assert detainer["subject"]["fin"] == removed.fin

    iar = lesc.iar("TCN0000001", "IL0160000", removed, 0.31, decision, True, at)
    assert iar["status_determination"]["code"] == "PREVIOUSLY_REMOVED"
    assert [e["kind"] for e in iar["encounters"]] == ["border-apprehension", "removal"]

    cancel = lesc.cancellation(detainer, "charges dropped", at)
    assert cancel["detainer_id"] == "d-1" and cancel["reason"] == "charges dropped"


def test_an_unknown_state_goes_to_headquarters() -> None:
    assert lesc.office_for("WY0010000")["name"] == "ICE ERO Headquarters"
