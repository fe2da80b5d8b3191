"""The backend with its galleries on a real local Ray cluster: the population enrolled into
shards on the cluster's workers, a submission that waits while a shard is down and is answered
exactly once after it is back."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from backend_helpers import make_car, make_config

from backend import admin, mailbox
from backend.cluster import shard_of
from backend.service import Service
from ebts import read_response

pytestmark = [pytest.mark.ray, pytest.mark.slow]

ORI = "TX0570000"


@pytest.fixture(scope="module")
def clustered(ray_cluster, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("clustered")
    config = make_config(
        folder, folder / "backend.sqlite", cluster=ray_cluster.address, shards=2, shard_dir=folder / "shards"
    )
    service = Service(config)
    service.start()
    try:
        # Ready, or failed: a failed preparation is reported at once with its reason, not after 20 minutes.
        deadline = time.monotonic() + 1200
        while not service.ready.wait(timeout=0.5) and service.state.status != "failed":
            assert time.monotonic() < deadline, service.state.message
        assert service.ready.is_set(), service.state.message
        yield service
    finally:
        service.stop()


def _wait(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_the_population_is_enrolled_into_shards_on_both_nodes(clustered: Service, people) -> None:
    rows = admin.shards(clustered)
    assert {r["gallery"] for r in rows} == {"ngi", "ident"} and len(rows) == 4
    assert all(r["state"] == "serving" for r in rows)
    assert len({r["node_id"] for r in rows}) == 2
    with_record = [p for p in people if p.fbi_number]
    assert sum(r["subjects"] for r in rows if r["gallery"] == "ngi") == len(with_record)
    assert sum(r["templates"] for r in rows if r["gallery"] == "ngi") == 10 * len(with_record)
    assert "shards per gallery on the Ray cluster" in clustered.state.message
    page = admin.html(clustered)
    assert "Shards (Ray cluster)" in page and "4 of 4 shards serving" in page


def test_a_submission_waits_for_a_shard_that_is_down_and_is_answered_once(clustered: Service, people) -> None:
    import ray

    wanted = next(p for p in people if p.fbi_number)
    gallery = clustered.state.ngi
    index = shard_of(wanted.fbi_number, gallery.shards)
    folder = Path(gallery.placement()[index]["folder"])
    (folder / "complete").rename(folder / "complete.hidden")  # no node can serve it now
    ray.kill(gallery._shards[index].actor, no_restart=True)
    gallery.patience = 3.0
    tcn, body = make_car(wanted.subject_id, ORI)
    try:
        clustered.receive(body, ORI)

        def delayed() -> bool:
            row = admin.transactions(clustered)[0]
            return row["tcn"] == tcn and "delayed" in (row["outcome"] or {})

        _wait(delayed, 600, "the search was not reported as waiting for the shard")
        assert admin.transactions(clustered)[0]["status"] == "queued"
        assert [m for m in mailbox.read(clustered.store, ORI)["messages"] if m["tcn"] == tcn] == []
    finally:
        (folder / "complete.hidden").rename(folder / "complete")
    gallery.patience = 600.0
    _wait(
        lambda: admin.transactions(clustered)[0]["status"] == "done",
        900,
        "not answered after the shard came back",
    )
    messages = [m for m in mailbox.read(clustered.store, ORI)["messages"] if m["tcn"] == tcn]
    assert [m["kind"] for m in messages].count("SRE") == 1
    assert not any(m["kind"] == "ERRT" for m in messages)
    sre = read_response(base64.b64decode(next(m for m in messages if m["kind"] == "SRE")["body_b64"]))
    assert sre.identified and sre.fbi_number == wanted.fbi_number
    assert gallery.placement()[index]["revived"] == 1
