"""The oversight report end to end: from CARs the service answered, from demo traffic, to PDF, CSV and the admin page."""

from __future__ import annotations

import csv
import time

import pytest
from fastapi.testclient import TestClient
from tls_helpers import AsCertificate, session_pki

from backend import admin
from backend.app import create_app
from backend.oversight import baseline, demo, facts, levels, report
from backend.service import Service
from booking_station.quarters import Quarter

Q2, Q3 = Quarter(2026, 2), Quarter(2026, 3)


def _submit(service: Service, body: bytes) -> str:
    from ebts import parse

    tcn, _ = service.receive(body, parse(body).ori)  # as the station of the CAR's own ORI
    for _ in range(6000):  # generous: the first search compiles the matcher, and CI machines are shared
        if admin.transactions(service)[0]["status"] != "queued":
            return tcn
        time.sleep(0.1)
    raise AssertionError(f"{tcn} was not processed within ten minutes")


def test_a_searched_car_is_counted_with_the_outcome_the_service_gave(
    running_service: Service, car_of, variant, people
) -> None:
    wanted = next(p for p in people if p.fbi_number and p.immigration_status == "PREVIOUSLY_REMOVED")
    tcn = _submit(running_service, variant(car_of(wanted.subject_id), "AZ0070000")[1])
    assert facts.index(running_service.store, running_service.policy) == 1
    assert facts.index(running_service.store, running_service.policy) == 0  # each CAR once
    from backend._db import utcnow

    data = report.gather(running_service.store, running_service.policy, Quarter.of(utcnow()))
    (row,) = data.figures.jurisdictions
    assert (row.ori, row.submissions, row.identified, row.matches, row.removals, row.detainers) == (
        "AZ0070000", 1, 1, 1, 1, 1,
    )  # fmt: skip
    (fact,) = facts.read(running_service.store, *Quarter.of(utcnow()).bounds(__import__("datetime").UTC))
    # The bench's CAR: race W, born in TX, charged with burglary (Level 2).
    assert (fact.tcn, fact.race, fact.place_of_birth, fact.offense_level) == (tcn, "W", "TX", levels.LEVEL_2)
    convicted = any(o.disposition == "convicted" for o in wanted.offenses)
    assert fact.prior_conviction == convicted and fact.status == "PREVIOUSLY_REMOVED"


@pytest.fixture
def demo_store(idle_service: Service):  # type: ignore[no-untyped-def]
    """Two quarters of demo traffic in 12 jurisdictions; Los Angeles County doubles the share of
    its bookings born abroad in the second."""
    profiling = {"CA0010000": demo.Profiling(2.0, demo.BORN_ABROAD, Q3)}
    done = demo.fill(idle_service.store, 12, [Q2, Q3], seed=5, profiling=profiling, population_size=2000)
    assert done["bookings"] > 1000
    return idle_service


def test_demo_traffic_report_flags_the_injected_jurisdiction_and_writes_every_figure(
    demo_store, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    data = report.gather(demo_store.store, demo_store.policy, Q3)
    assert data.sources == {"demo": sum(j.submissions for j in data.figures.jurisdictions)}
    assert "CA0010000" in data.figures.assessment.flagged_oris()
    assert data.figures.previous == [Q2]
    paths = report.write(data, tmp_path / "out")
    pdf = paths["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    with open(paths["flagged"], encoding="utf-8") as handle:
        flagged = list(csv.DictReader(handle))
    mine = [r for r in flagged if r["ori"] == "CA0010000" and r["indicator"] == "born_abroad"]
    assert mine and float(mine[0]["ratio"]) > 1.3 and float(mine[0]["q_value"]) < 0.05
    with open(paths["jurisdictions"], encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12 and sum(int(r["submissions"]) for r in rows) == sum(data.sources.values())
    with open(paths["breakdown"], encoding="utf-8") as handle:
        dims = {r["dimension"] for r in csv.DictReader(handle)}
    assert dims == {"offense level", "race", "birth", "place of birth"}

    state = report.gather(demo_store.store, demo_store.policy, Q3, "ca")
    assert {j.state for j in state.figures.jurisdictions} == {"CA"}
    assert "CA0010000" in state.figures.assessment.flagged_oris()  # the same tests, one state shown


def test_admin_page_shows_the_review_and_takes_a_baseline(demo_store) -> None:  # type: ignore[no-untyped-def]
    app = create_app(demo_store, start=False)
    with TestClient(AsCertificate(app, session_pki())) as client:
        stranger = client.get("/admin/oversight", headers={"x-test-as": "TX0570000"})
        assert stranger.status_code == 403  # a station's certificate is not an administrator's
        page = client.get("/admin/oversight", params={"quarter": "2026Q3"})
        assert page.status_code == 200
        assert "CA0010000" in page.text and "FLAGGED" in page.text and "data:image/png;base64," in page.text
        pdf = client.get("/admin/oversight/report.pdf", params={"quarter": "2026Q3", "state": "CA"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert client.get("/admin/oversight", params={"quarter": "2026-07"}).status_code == 422

        bad = client.put("/admin/oversight/baseline", content=b"ori,county\nTX0570000,Dallas\n")
        assert bad.status_code == 422 and "lacks the column(s) state, arrests" in bad.json()["detail"]
        before = client.get("/admin/oversight/baseline").text
        assert before.startswith("ori,county,state,period,arrests")
        good = "ori,county,state,arrests,white,black,asian,american_indian,born_abroad\nCA0010000,Los Angeles,CA,100,50,20,10,1,30\n"
        assert client.put("/admin/oversight/baseline", content=good.encode()).json() == {"jurisdictions": 1}
        rows, _ = baseline.load(demo_store.store)
        assert list(rows) == ["CA0010000"]


def test_the_command_line_says_what_is_wrong_in_one_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from booking_station.cli import main

    db = ["--db", f"sqlite:///{tmp_path / 'b.sqlite'}", "--key-file", str(tmp_path / "backend.kek")]
    assert main(["report", "oversight", "--quarter", "2026-07", "--out", str(tmp_path), *db]) == 2
    assert "e.g. 2026Q3" in capsys.readouterr().err
    bad = tmp_path / "baseline.csv"
    bad.write_text(
        "ori,county,state,arrests,white,black,asian,american_indian,born_abroad\nTX0570000,Dallas,CA,10,5,5,0,0,1\n"
    )
    assert (
        main(
            [
                "report",
                "oversight",
                "--quarter",
                "2026Q3",
                "--out",
                str(tmp_path),
                "--baseline",
                str(bad),
                *db,
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "line 2: state CA does not match the ORI's state TX" in err and "Traceback" not in err
    assert main(["report", "oversight-demo", "--profiling", "XX0000000=2", *db]) == 2
    assert "not in the demo" in capsys.readouterr().err
    # An empty database still gives a report: no jurisdiction, nothing flagged, every file written.
    assert main(["report", "oversight", "--quarter", "2026Q3", "--out", str(tmp_path / "out"), *db]) == 0
    assert (tmp_path / "out" / "oversight-2026Q3.pdf").read_bytes().startswith(b"%PDF")
