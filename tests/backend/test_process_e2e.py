"""The real service as a separate process, over mutual TLS: ready file, health, submit, poll, ack,
and a kill -9 in between."""

from __future__ import annotations

import base64
import json
import signal
import time

import httpx
import pytest
from tls_helpers import start_backend, tls_client

pytestmark = pytest.mark.slow


def _wait_ready(client: httpx.Client) -> dict:
    for _ in range(3000):
        health = client.get("/health").json()
        if health["status"] == "ok":
            return health
        assert health["status"] == "starting", health
        time.sleep(0.2)
    raise AssertionError(f"population not ready: {health}")


def _poll(client: httpx.Client, ori: str, tcn: str, kinds: set[str]) -> list[dict]:
    for _ in range(1200):
        messages = [m for m in client.get(f"/v1/mailbox/{ori}").json()["messages"] if m["tcn"] == tcn]
        if kinds <= {m["kind"] for m in messages}:
            return messages
        time.sleep(0.2)
    raise AssertionError(f"no {kinds} for {tcn} within four minutes: {messages}")


def test_real_process_submit_poll_ack_and_survive_kill(
    tmp_path, gallery_cache, car_of, variant, people, population_args, pki
) -> None:
    wanted = next(p for p in people if p.fbi_number and p.immigration_status == "PREVIOUSLY_REMOVED")
    ori = "CA0190000"
    tcn, body = variant(car_of(wanted.subject_id), ori)

    process, url = start_backend(tmp_path, gallery_cache, "first", population_args, pki)
    try:
        with tls_client(url, pki.station(ori)) as station:
            assert station.get("/health").status_code == 200  # answers while the population is prepared
            assert (
                station.put(
                    f"/v1/agencies/{ori}", json={"name": "LA County", "immigration_responses": True}
                ).status_code
                == 200
            )
            answer = station.post(
                "/v1/transactions", content=body, headers={"content-type": "application/octet-stream"}
            )
            assert answer.status_code == 202 and answer.json() == {"tcn": tcn, "duplicate": False}
    finally:
        # Killed before it could answer (the galleries may still be loading): nothing may be lost.
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    process, url = start_backend(tmp_path, gallery_cache, "second", population_args, pki)
    try:
        with tls_client(url, pki.station(ori)) as station, tls_client(url, pki.admin) as admin:
            assert station.post("/v1/transactions", content=body).json() == {"tcn": tcn, "duplicate": True}
            health = _wait_ready(station)
            assert health["population"]["fbi_records"] >= 1 and health["progress"] == 1.0
            messages = _poll(station, ori, tcn, {"SRE", "IAR", "DETAINER"})
            assert sorted(m["kind"] for m in messages) == ["DETAINER", "IAR", "SRE"]  # each exactly once
            detainer = json.loads(
                base64.b64decode(next(m for m in messages if m["kind"] == "DETAINER")["body_b64"])
            )
            assert detainer["subject"]["fbi_number"] == wanted.fbi_number
            last = max(m["cursor"] for m in messages)
            assert station.post(f"/v1/mailbox/{ori}/ack", json={"through": last}).status_code == 204
            assert station.get(f"/v1/mailbox/{ori}").json()["messages"] == []
            assert "Detainers" in admin.get("/admin").text

            # A dropped connection loses the answer, not the submission: the resend is a duplicate.
            transaction = car_of(wanted.subject_id)
            transaction.records = [r for r in transaction.records if r.type != 14 or r.get(13) != "1"]
            tcn2, body2 = variant(transaction, ori)
            assert admin.put("/admin/settings", json={"faults": {"drop_rate": 1.0}}).status_code == 200
            with pytest.raises(httpx.TransportError):
                station.post("/v1/transactions", content=body2)
            assert admin.put("/admin/settings", json={"faults": {"drop_rate": 0.0}}).status_code == 200
            assert station.post("/v1/transactions", content=body2).json() == {"tcn": tcn2, "duplicate": True}
            errt = _poll(station, ori, tcn2, {"ERRT"})
            assert [m["kind"] for m in errt] == ["ERRT"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    assert not (tmp_path / "second.ready.json").exists()
