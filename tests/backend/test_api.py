"""The HTTP contract of docs/backend-api.md, on a service whose population is not prepared."""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient

from backend import mailbox
from backend.app import create_app
from backend.service import Service

ORI = "TX0570000"


def test_health_reports_starting_with_progress(idle_client: TestClient) -> None:
    answer = idle_client.get("/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "starting"
    assert 0.0 <= body["progress"] <= 1.0
    assert body["population"]["size"] == 6


def test_submission_is_idempotent_on_tcn(idle_client: TestClient, car) -> None:
    tcn, body = car(2, ORI, rolled=False)
    first = idle_client.post(
        "/v1/transactions", content=body, headers={"content-type": "application/octet-stream"}
    )
    assert first.status_code == 202
    assert first.json() == {"tcn": tcn, "duplicate": False}
    again = idle_client.post("/v1/transactions", content=body)
    assert again.status_code == 202
    assert again.json() == {"tcn": tcn, "duplicate": True}
    assert [t["tcn"] for t in idle_client.get("/admin/transactions").json()] == [tcn]


def test_unreadable_body_is_a_400_naming_the_problem(idle_client: TestClient) -> None:
    for body, words in ((b"", "empty body"), (b"hello world", "not a readable")):
        answer = idle_client.post("/v1/transactions", content=body)
        assert answer.status_code == 400
        assert words in answer.json()["detail"]


def test_mailbox_cursor_and_ack(idle_client: TestClient, idle_service: Service) -> None:
    store = idle_service.store
    cursors = [
        mailbox.post(store, ORI, f"TCN{i:08d}", "SRE", b"sre %d" % i, mailbox.EBTS_MEDIA_TYPE).cursor
        for i in range(3)
    ]
    mailbox.post(store, "CA0190000", "TCNOTHER01", "SRE", b"not yours", mailbox.EBTS_MEDIA_TYPE)

    page = idle_client.get(f"/v1/mailbox/{ORI}").json()
    assert [m["cursor"] for m in page["messages"]] == cursors
    assert page["next_cursor"] == cursors[-1]
    assert base64.b64decode(page["messages"][0]["body_b64"]) == b"sre 0"
    assert {"id", "tcn", "kind", "created_at", "media_type"} <= set(page["messages"][0])

    after_first = idle_client.get(f"/v1/mailbox/{ORI}", params={"after": cursors[0], "limit": 1}).json()
    assert [m["cursor"] for m in after_first["messages"]] == [cursors[1]]
    assert after_first["next_cursor"] == cursors[1]

    assert idle_client.post(f"/v1/mailbox/{ORI}/ack", json={"through": cursors[1]}).status_code == 204
    remaining = idle_client.get(f"/v1/mailbox/{ORI}").json()
    assert [m["cursor"] for m in remaining["messages"]] == [cursors[2]]
    # Nothing new after the last cursor: the cursor stays where it was.
    assert idle_client.get(f"/v1/mailbox/{ORI}", params={"after": cursors[2]}).json() == {
        "messages": [],
        "next_cursor": cursors[2],
    }


def test_bad_ori_and_bad_ack_are_rejected(idle_client: TestClient) -> None:
    assert idle_client.get("/v1/mailbox/short").status_code == 422
    assert idle_client.post(f"/v1/mailbox/{ORI}/ack", json={"through": -1}).status_code == 422
    assert idle_client.post(f"/v1/mailbox/{ORI}/ack", json={}).status_code == 422


def test_agency_profile_controls_immigration_responses(
    idle_client: TestClient, idle_service: Service
) -> None:
    store = idle_service.store
    # Unknown agencies receive them.
    assert not mailbox.post(store, ORI, "TCN0000001", "IAR", b"{}", mailbox.JSON_MEDIA_TYPE).withheld
    answer = idle_client.put(
        f"/v1/agencies/{ORI}", json={"name": "Travis County Jail", "immigration_responses": False}
    )
    assert answer.status_code == 200
    assert answer.json() == {"ori": ORI, "name": "Travis County Jail", "immigration_responses": False}
    assert mailbox.post(store, ORI, "TCN0000002", "IAR", b"{}", mailbox.JSON_MEDIA_TYPE).withheld
    # The SRE and the detainer go to the jail either way.
    assert not mailbox.post(store, ORI, "TCN0000002", "SRE", b"x", mailbox.EBTS_MEDIA_TYPE).withheld
    assert not mailbox.post(store, ORI, "TCN0000002", "DETAINER", b"{}", mailbox.JSON_MEDIA_TYPE).withheld
    kinds = [m["kind"] for m in idle_client.get(f"/v1/mailbox/{ORI}").json()["messages"]]
    assert kinds == ["IAR", "SRE", "DETAINER"]


def test_posting_the_same_answer_twice_keeps_one(idle_service: Service) -> None:
    store = idle_service.store
    first = mailbox.post(store, ORI, "TCN0000003", "SRE", b"x", mailbox.EBTS_MEDIA_TYPE)
    second = mailbox.post(store, ORI, "TCN0000003", "SRE", b"x", mailbox.EBTS_MEDIA_TYPE)
    assert second.duplicate and second.cursor == first.cursor
    assert len(mailbox.read(store, ORI)["messages"]) == 1


def test_injected_503_and_settings_api(idle_client: TestClient) -> None:
    assert idle_client.put("/admin/settings", json={"faults": {"unavailable_rate": 1.0}}).status_code == 200
    answer = idle_client.get(f"/v1/mailbox/{ORI}")
    assert answer.status_code == 503
    assert idle_client.get("/health").status_code == 200  # health and admin never misbehave
    bad = idle_client.put("/admin/settings", json={"faults": {"unavailable_rate": 2}})
    assert bad.status_code == 422 and "between 0 and 1" in bad.json()["detail"]
    bad = idle_client.put("/admin/settings", json={"faults": {"teapot": 1}})
    assert bad.status_code == 422 and "teapot" in bad.json()["detail"]
    settings = idle_client.put(
        "/admin/settings", json={"faults": {"unavailable_rate": 0}, "demo_delays": True}
    ).json()
    assert settings == {
        "demo_delays": True,
        "faults": {"unavailable_rate": 0.0, "slow_seconds": 0.0, "drop_rate": 0.0},
    }
    assert idle_client.get(f"/v1/mailbox/{ORI}").status_code == 200


def test_admin_population_lists_records(idle_client: TestClient, idle_service: Service) -> None:
    idle_service._store_population(__import__("backend.population").population.generate(6, 11))
    everyone = idle_client.get("/admin/population").json()
    assert [p["subject_id"] for p in everyone] == [1, 2, 3, 4, 5, 6]
    detainers = idle_client.get("/admin/population", params={"record": "detainer"}).json()
    assert detainers and all(p["detainer_expected"] and p["fin"] for p in detainers)
    page = idle_client.get("/admin")
    assert page.status_code == 200 and "Population" in page.text
    assert idle_client.get("/openapi.json").status_code == 404  # the schema is served with --demo only
    openapi = create_app(idle_service, start=False).openapi()
    assert openapi["paths"]["/v1/transactions"]
    assert {"IarDocument", "DetainerDocument", "DetainerCancelDocument"} <= set(
        openapi["components"]["schemas"]
    )
