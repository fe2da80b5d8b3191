"""Who may call what (backend._access): the client certificate decides, request by request."""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient

from backend import mailbox
from backend.app import create_app
from backend.service import Service
from ebts import read_response

ORI, OTHER = "TX0570000", "CA0190000"


def _as(who: str) -> dict[str, str]:
    return {"x-test-as": who}


def test_the_station_api_needs_a_station_certificate(idle_client: TestClient) -> None:
    answer = idle_client.get(f"/v1/mailbox/{ORI}", headers=_as("none"))
    assert answer.status_code == 401 and "certificate is required" in answer.json()["detail"]
    assert idle_client.post("/v1/transactions", content=b"x", headers=_as("none")).status_code == 401
    answer = idle_client.get(f"/v1/mailbox/{ORI}", headers=_as("admin"))
    assert answer.status_code == 403 and "cannot use the station API" in answer.json()["detail"]
    assert idle_client.get("/health", headers=_as("none")).status_code == 200  # monitoring, no CJI


def test_a_station_reads_acknowledges_and_registers_only_its_own_ori(
    idle_client: TestClient, idle_service: Service
) -> None:
    mailbox.post(idle_service.store, OTHER, "TCNOTHER01", "SRE", b"not yours", mailbox.EBTS_MEDIA_TYPE)
    for method, path, body in (
        ("GET", f"/v1/mailbox/{OTHER}", None),
        ("POST", f"/v1/mailbox/{OTHER}/ack", {"through": 10**6}),
        ("PUT", f"/v1/agencies/{OTHER}", {"name": "x", "immigration_responses": False}),
        ("GET", f"/v1/audit-anchors/{OTHER}", None),
    ):
        answer = idle_client.request(method, path, json=body, headers=_as(ORI))
        assert answer.status_code == 403, (method, path)
        assert f"certificate is for ORI {ORI}" in answer.json()["detail"]
    # Nothing of the other agency's was acknowledged; its own station still reads it.
    page = idle_client.get(f"/v1/mailbox/{OTHER}", headers=_as(OTHER)).json()
    assert [m["tcn"] for m in page["messages"]] == ["TCNOTHER01"]
    assert idle_client.get(f"/v1/mailbox/{ORI.lower()}", headers=_as(ORI)).status_code == 200


def test_a_car_for_another_ori_is_answered_with_an_errt_to_the_submitter(
    idle_client: TestClient, idle_service: Service, car
) -> None:
    tcn, body = car(2, OTHER, rolled=False)
    answer = idle_client.post("/v1/transactions", content=body, headers=_as(ORI))
    assert answer.status_code == 202 and answer.json()["tcn"] == tcn
    (message,) = idle_client.get(f"/v1/mailbox/{ORI}", headers=_as(ORI)).json()["messages"]
    assert (message["kind"], message["tcn"]) == ("ERRT", tcn)
    (error,) = read_response(base64.b64decode(message["body_b64"])).errors
    assert error.code == "L0013" and OTHER in error.message
    assert idle_client.get(f"/v1/mailbox/{OTHER}", headers=_as(OTHER)).json()["messages"] == []
    # Another agency cannot reuse that TCN, and the first one's resend is a duplicate.
    assert idle_client.post("/v1/transactions", content=body, headers=_as(OTHER)).status_code == 409
    assert idle_client.post("/v1/transactions", content=body, headers=_as(ORI)).json()["duplicate"]


def test_admin_pages_need_an_administrator_certificate(idle_client: TestClient) -> None:
    for who in ("none", ORI):
        for method, path in (("GET", "/admin"), ("GET", "/admin/population"), ("PUT", "/admin/settings")):
            answer = idle_client.request(method, path, json={}, headers=_as(who))
            assert answer.status_code in (401, 403), (who, path)
    assert idle_client.get("/admin/settings", headers=_as("admin")).status_code == 200


_REVOKED_ORIS = iter(f"AZ{n:07d}" for n in range(70000, 80000))


def test_a_revoked_certificate_is_refused_at_once(idle_client: TestClient, pki) -> None:  # type: ignore[no-untyped-def]
    ori = next(_REVOKED_ORIS)  # a new agency each run: the session's CA keeps what it revoked
    assert idle_client.get(f"/v1/mailbox/{ori}", headers=_as(ori)).status_code == 200
    from booking_station.pki import load_certificate

    pki.ca.revoke(load_certificate(pki.station(ori).certificate).serial_number, "test")
    answer = idle_client.get(f"/v1/mailbox/{ori}", headers=_as(ori))
    assert answer.status_code == 403 and "has been revoked" in answer.json()["detail"]


def test_api_documentation_only_in_a_demo(idle_service: Service) -> None:
    with TestClient(create_app(idle_service, start=False)) as client:
        assert client.get("/docs").status_code == 404 and client.get("/openapi.json").status_code == 404
    idle_service.config.demo = True
    with TestClient(create_app(idle_service, start=False)) as client:
        assert client.get("/docs").status_code == 200
        assert "/v1/transactions" in client.get("/openapi.json").json()["paths"]


def test_audit_heads_are_anchored_per_agency_and_a_regression_is_marked(idle_client: TestClient, car) -> None:
    first, second = "a" * 64, "b" * 64
    _, body = car(2, ORI, rolled=False)
    answer = idle_client.post(
        "/v1/transactions", content=body, headers={**_as(ORI), "X-Audit-Head": f"41:{first}"}
    )
    assert answer.status_code == 202
    assert idle_client.post(f"/v1/audit-anchors/{ORI}", json={"sequence": 40, "head": second},
                            headers=_as(ORI)).status_code == 201  # fmt: skip
    anchors = idle_client.get(f"/v1/audit-anchors/{ORI}", headers=_as(ORI)).json()["anchors"]
    assert [(a["sequence"], a["head"], a["regressed"]) for a in anchors] == [
        (40, second, True),
        (41, first, False),
    ]
    assert anchors[1]["tcn"] == answer.json()["tcn"] and anchors[0]["tcn"] is None
    assert idle_client.get(f"/v1/audit-anchors/{OTHER}", headers=_as(OTHER)).json()["anchors"] == []
    bad = idle_client.post("/v1/transactions", content=body, headers={**_as(ORI), "X-Audit-Head": "41:ABC"})
    assert bad.status_code == 422  # not the documented pattern; the submission is not stored
    huge = idle_client.post(
        "/v1/transactions", content=body, headers={**_as(ORI), "X-Audit-Head": f"{2**63}:{first}"}
    )
    assert huge.status_code == 400 and "SEQUENCE:HEAD" in huge.json()["detail"]
