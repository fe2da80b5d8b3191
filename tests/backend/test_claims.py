"""A detainee's claim at the mock ICE: received over the station API, reviewed under the policy's
stated rule after its review time, answered in the jail's mailbox; a withdrawal cancels the detainer."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from backend import lesc
from backend._db import Detainer, Transaction, utcnow
from backend.policy import IcePolicy, review_claim
from backend.service import Service
from ebts import write

ORI = "TX0570000"


def _lodged(service: Service, car_of, place_of_birth: str, detainer_id: str = "d-claims-1") -> str:
    """A submission with this place of birth (2.020) and a detainer lodged on it; returns its TCN."""
    transaction = car_of(2)
    transaction.first(2).set(20, place_of_birth)
    tcn = f"TCN-{uuid.uuid4().hex[:12]}"
    transaction.header.set(9, tcn)
    with service.store.session() as s:
        s.add(Transaction(tcn=tcn, ori=ORI, tot="CAR", body=write(transaction), status="done"))
        s.flush()
        s.add(Detainer(id=detainer_id, tcn=tcn, ori=ORI, subject_id=2, lodged_at=utcnow(), office="ICE ERO Dallas",
                       document={"detainer_id": detainer_id, "tcn": tcn, "ori": ORI,
                                 "issuing_office": lesc.office_for(ORI)}))  # fmt: skip
    return tcn


def _claim(kind: str = "citizen", detainer_id: str = "d-claims-1", claim_id: str | None = None) -> dict:
    return {"claim_id": claim_id or str(uuid.uuid4()), "detainer_id": detainer_id, "kind": kind,
            "statement": "Says he was born in Houston.", "claimed_at": "2026-12-06T10:00:00Z"}  # fmt: skip


def _mailbox(client: TestClient) -> list[tuple[str, dict]]:
    messages = client.get(f"/v1/mailbox/{ORI}").json()["messages"]
    return [(m["kind"], json.loads(base64.b64decode(m["body_b64"]))) for m in messages]


def test_a_us_born_citizenship_claim_withdraws_the_detainer_after_the_review(
    idle_client: TestClient, idle_service: Service, car_of
) -> None:
    tcn = _lodged(idle_service, car_of, "TX")
    claim = _claim()
    answer = idle_client.post(f"/v1/claims/{ORI}", json=claim)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "under_review" and body["duplicate"] is False
    assert idle_client.post(f"/v1/claims/{ORI}", json=claim).json()["duplicate"] is True  # a resend
    # Another claim of the same kind on the same detainer is refused: its answer would have no place.
    assert idle_client.post(f"/v1/claims/{ORI}", json=_claim()).status_code == 409

    reviewer = idle_service.claims
    assert reviewer.review_due(utcnow()) == 0  # the review takes claim_review_seconds
    assert (
        reviewer.review_due(utcnow() + timedelta(seconds=idle_service.policy.claim_review_seconds + 1)) == 1
    )
    assert reviewer.review_due(utcnow() + timedelta(hours=1)) == 0  # decided once

    messages = _mailbox(idle_client)
    assert [kind for kind, _ in messages] == ["CLAIM_CITIZEN", "DETAINER_CANCEL"]
    decision = messages[0][1]
    assert decision == {**decision, "claim_id": claim["claim_id"], "detainer_id": "d-claims-1", "tcn": tcn,
                        "kind": "citizen", "outcome": "withdrawn"}  # fmt: skip
    assert "TX (Texas)" in decision["reason"] and decision["lesc_phone"] == "(855) 448-6903"
    assert "withdrawn" in messages[1][1]["reason"]
    with idle_service.store.session() as s:
        assert s.get(Detainer, "d-claims-1").status == "cancelled"


def test_a_foreign_born_citizenship_claim_is_refused_and_a_victims_claim_stays_pending(
    idle_client: TestClient, idle_service: Service, car_of
) -> None:
    _lodged(idle_service, car_of, "MX")
    assert idle_client.post(f"/v1/claims/{ORI}", json=_claim("citizen")).status_code == 202
    assert idle_client.post(f"/v1/claims/{ORI}", json=_claim("victim")).status_code == 202
    idle_service.claims.review_due(utcnow() + timedelta(days=1))
    decisions = {kind: doc for kind, doc in _mailbox(idle_client)}
    assert set(decisions) == {"CLAIM_CITIZEN", "CLAIM_VICTIM"}  # no cancellation
    assert (
        decisions["CLAIM_CITIZEN"]["outcome"] == "refused"
        and "outside the United States" in (decisions["CLAIM_CITIZEN"]["reason"])
    )
    assert decisions["CLAIM_VICTIM"]["outcome"] == "pending"
    with idle_service.store.session() as s:
        assert s.get(Detainer, "d-claims-1").status == "lodged"


def test_a_claim_on_another_agencys_or_an_unknown_detainer_is_refused(
    idle_client: TestClient, idle_service: Service, car_of
) -> None:
    _lodged(idle_service, car_of, "TX")
    assert idle_client.post(f"/v1/claims/{ORI}", json=_claim(detainer_id="nope")).status_code == 404
    # The claims route is the agency's own, like its mailbox.
    other = idle_client.post(f"/v1/claims/{ORI}", json=_claim(), headers={"x-test-as": "CA0190000"})
    assert other.status_code == 403
    bad = idle_client.post(f"/v1/claims/{ORI}", json={**_claim(), "kind": "tourist"})
    assert bad.status_code == 422


def test_the_rule_is_configurable() -> None:
    strict = IcePolicy(citizen_claim_us_born="pending", victim_claim="withdrawn")
    assert review_claim(strict, "citizen", "CA")[0] == "pending"
    assert review_claim(strict, "victim", None)[0] == "withdrawn"
    assert review_claim(IcePolicy(), "citizen", "XX")[0] == "pending"  # unknown place of birth
    assert review_claim(IcePolicy(), "citizen", "PR")[0] == "withdrawn"  # Puerto Rico is in the U.S.
    with pytest.raises(ValueError, match="victim_claim must be one of"):
        IcePolicy(victim_claim="maybe")
    with pytest.raises(ValueError, match="claim_review_seconds"):
        IcePolicy(claim_review_seconds=-1)


def test_the_detainer_names_form_i247_with_its_version_as_data() -> None:
    from backend import population

    removed = next(p for p in population.generate(6, 2026) if p.immigration_status == "PREVIOUSLY_REMOVED")
    document = lesc.detainer(
        "d-1", "T1", ORI, removed, IcePolicy().decide("PREVIOUSLY_REMOVED", []), utcnow()
    )
    assert (document["form"], document["form_version"]) == ("I-247", "I-247A")


def test_the_station_sends_a_claim_and_hears_the_withdrawal_end_to_end(
    idle_client: TestClient, idle_service: Service, car_of, tmp_path
) -> None:
    """The station's own sender and mailbox poller against this route: the contract both sides keep."""
    import datetime as dt

    import httpx

    from desktop.station.bookings import BookingForm, parse
    from desktop.station.config import Config
    from desktop.station.core import Station
    from desktop.station.models import DetainerStatus
    from desktop.station.models import Transaction as StationTransaction
    from desktop.station.outbox_client import BackendClient

    tcn = _lodged(idle_service, car_of, "CA")
    station = Station.open(Config(database_url=f"sqlite:///{tmp_path / 'station.db'}", agency_ori=ORI))
    try:
        form = BookingForm(
            {"surname": "Doe", "given_names": "John", "date_of_birth": "1990-01-02", "sex": "M", "race": "W",
             "place_of_birth": "CA", "height": "5'10\"", "weight": "170", "eye_color": "BRO",
             "hair_color": "BLK", "arrested_on": dt.date.today().isoformat()},
            [{"offense_date": dt.date.today().isoformat(), "text": "Theft", "level": "felony"}],
        )  # fmt: skip
        booking = station.bookings.create(parse(form, dt.date.today()), actor="clerk1")
        with station.store.session() as s:
            s.add(StationTransaction(tcn=tcn, booking_id=booking.id, ebts=b"", status="sent"))
        pk = station.detainers.receive(
            booking.id, "d-claims-1", dt.datetime.now(dt.UTC), office="ICE ERO Dallas"
        )
        station.detainers.set_releasable(pk, dt.datetime.now(dt.UTC), actor="clerk1")
        station.detainers.claims.record(
            pk, "citizen", "Says he was born in Fresno, California.", actor="clerk1"
        )

        def through_the_app(request: httpx.Request) -> httpx.Response:
            answer = idle_client.request(request.method, str(request.url), content=request.content,
                                         headers={"content-type": request.headers.get("content-type", "")})  # fmt: skip
            return httpx.Response(answer.status_code, headers={"content-type": answer.headers.get("content-type", "")},
                                  content=answer.content)  # fmt: skip

        client = BackendClient("http://testserver", transport=httpx.MockTransport(through_the_app))
        assert station.detainers.claims.send_due(client, ORI) == 1
        assert station.detainers.get(pk).claims[0].status.value == "sent"
        assert station.detainers.get(pk).open  # the clock runs while ICE reviews it
        idle_service.claims.review_due(utcnow() + timedelta(days=1))
        station.responses.poll(client, ORI)

        view = station.detainers.get(pk)
        assert (
            view.claims[0].outcome.value == "withdrawn" and "CA (California)" in view.claims[0].outcome_reason
        )
        assert view.status is DetainerStatus.CANCELLED
        actions = [e.action for e in station.audit.events(text="detainer:d-claims-1")]
        assert {"claim.recorded", "claim.sent", "claim.outcome", "detainer.cancelled"} <= set(actions)
        # A resend (the answer lost on the way back) is harmless: the same claim id, a duplicate.
        assert client.send_claim(ORI, {"claim_id": view.claims[0].claim_id, "detainer_id": "d-claims-1",
                                       "kind": "citizen", "statement": "again",
                                       "claimed_at": "2026-12-06T10:00:00Z"})["duplicate"] is True  # fmt: skip
    finally:
        station.close()
