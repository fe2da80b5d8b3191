"""End to end with real processes: the station's outbox and mailbox against the real backend
(`booking-station backend`, a child process with a 6-person synthetic population), over mutual
TLS with the certificates the embedded backend's CA issues.

The population's profiles are fixed (backend/population.py `_GUARANTEED`, seed 2026): subject 3
has an FBI record and an IDENT match that leads to a detainer, subject 1 has nothing anywhere,
subject 5 has both and a detainer too. The enrolled galleries are cached in .cache/, so only the
first run on a machine pays for enrolment (about a minute).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from pathlib import Path

import cv2
import httpx
import pytest

from booking_station.pki import CertificateAuthority, TlsFiles, client_context
from desktop.station.bookings import parse as parse_booking
from desktop.station.config import EMBEDDED
from desktop.station.core import Station
from desktop.station.models import Capture, Response, Transaction
from desktop.station.outbox_client import BackendUnavailable
from desktop.station.outbox_launcher import EmbeddedBackend
from desktop.station.outbox_worker import SubmissionWorker

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _code_version() -> str:
    """The enrolled galleries depend on the synthetic prints and the matcher; the backend's cache
    key does not follow every change to them, so this test's cache is keyed on their source too."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "matcher").rglob("*.py"), *(ROOT / "backend").glob("_enrol.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CACHE = ROOT / ".cache" / "backend-e2e" / _code_version()
POPULATION = ("--population", "6", "--seed", "2026")
EXPECT = {3: "832635DH1", 5: "981748EH1"}  # FBI numbers of the population's subjects 3 and 5
WAIT = 240.0  # the backend may still be enrolling the population on a cold cache


def _backend(folder: Path) -> EmbeddedBackend:
    backend = EmbeddedBackend(folder, cache_folder=CACHE, extra_args=POPULATION)
    # The cached galleries are sealed under the key of the backend that enrolled them: every test's
    # backend takes that key (as one backend restarted would).
    from booking_station.envelope import FileKek
    from booking_station.private_files import read_private, write_private

    shared = FileKek(CACHE / "keys" / "backend.kek")
    shared.ensure()
    if not backend.key_file.exists():
        write_private(backend.key_file, read_private(shared.path))
    return backend


def _admin(backend: EmbeddedBackend, url: str | None = None) -> httpx.Client:
    """An administrator's HTTPS client of the embedded backend (for /admin and /health)."""
    out = backend.folder / "admin-cert"
    if not (out / "admin.pem").exists():
        CertificateAuthority.open(backend.pki_dir).issue_admin("Test Admin", out)
    files = TlsFiles(out / "ca.pem", out / "admin.pem", out / "admin.key")
    return httpx.Client(base_url=url or backend.url, timeout=10, verify=client_context(files))


def _wait_ready(backend: EmbeddedBackend) -> None:
    deadline = time.monotonic() + WAIT
    with _admin(backend) as admin:
        while time.monotonic() < deadline:
            if admin.get("/health").json()["status"] == "ok":
                return
            time.sleep(1)
    raise AssertionError("the backend did not finish building its population")


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory):
    process = _backend(tmp_path_factory.mktemp("backend"))
    process.start()
    _wait_ready(process)
    yield process
    process.stop()


def _png(image) -> bytes:
    return cv2.imencode(".png", image)[1].tobytes()


def _book_subject(station: Station, booking_form, subject: int) -> int:
    """A booking whose prints are subject N's, as the virtual scanner would have captured them."""
    from matcher import synth

    record = station.bookings.create(parse_booking(booking_form(), dt.date.today()), actor="clerk")
    with station.store.session() as s:
        for finger in range(1, 11):
            imp = synth.impression(subject, finger, seed=7, kind="rolled")
            s.add(Capture(booking_id=record.id, position=finger, impression="rolled", accepted=True,
                          image_png=_png(imp.image), ppi=float(imp.ppi), quality=70))  # fmt: skip
        flats = ((13, synth.slap(subject, "right", seed=7)), (14, synth.slap(subject, "left", seed=7)),
                 (15, synth.thumbs(subject, seed=7)))  # fmt: skip
        for position, slap in flats:
            seg = {"fingers": [{"fgp": fgp, "box": list(box), "quality": 70} for fgp, box in slap.fingers]}
            s.add(Capture(booking_id=record.id, position=position, impression="plain", accepted=True,
                          image_png=_png(slap.image), ppi=float(slap.ppi), quality=70,
                          segmentation_json=json.dumps(seg)))  # fmt: skip
    return record.id


def _station(tmp_path: Path, backend: EmbeddedBackend | str, ori: str, immigration: bool = True) -> Station:
    """A station of `ori` talking to `backend` (with a certificate of its CA for `ori`) or to a URL."""
    from desktop.station.config import Config

    tls = {}
    if isinstance(backend, EmbeddedBackend):
        files = backend.station_tls(ori)
        tls = {"backend_ca": str(files.ca), "backend_certificate": str(files.certificate),
               "backend_key": str(files.key)}  # fmt: skip
    url = backend.url if isinstance(backend, EmbeddedBackend) else backend
    config = Config(database_url=f"sqlite:///{tmp_path / 'station.db'}", backend_url=url, agency_ori=ori,
                    immigration_responses=immigration, **tls)  # fmt: skip
    return Station.open(config)


def _until(worker: SubmissionWorker, station: Station, booking_id: int, kinds: set[str]) -> list[str]:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with contextlib.suppress(BackendUnavailable):  # the backend is being restarted
            worker.run_once()
        got = [v.kind for v in station.responses.for_booking(booking_id)]
        if kinds <= set(got):
            return got
        time.sleep(0.5)
    raise AssertionError(f"only {got} arrived, waiting for {kinds}")


def _responses(station: Station, booking_id: int) -> dict:
    return {v.kind: v.summary for v in station.responses.for_booking(booking_id)}


def test_identified_subject_gets_the_fbi_number_and_a_detainer(backend, tmp_path, booking_form) -> None:
    station = _station(tmp_path, backend, "NY0303000")
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config)
    try:
        booking_id = _book_subject(station, booking_form, 3)
        station.outbox.enqueue(booking_id, actor="clerk")
        kinds = _until(worker, station, booking_id, {"SRE", "IAR", "DETAINER"})
        assert sorted(kinds) == ["DETAINER", "IAR", "SRE"]  # each exactly once
        got = _responses(station, booking_id)
        assert got["SRE"]["identified"] is True and got["SRE"]["fbi_number"] == EXPECT[3]
        assert got["DETAINER"]["hold_limit_hours"] == 48
        assert station.responses.outcomes([booking_id])[booking_id].text == "ICE detainer"
    finally:
        worker.stop()
        station.close()


def test_subject_without_records_gets_a_non_ident_and_no_detainer(backend, tmp_path, booking_form) -> None:
    station = _station(tmp_path, backend, "NY0303000")
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config)
    try:
        booking_id = _book_subject(station, booking_form, 1)
        station.outbox.enqueue(booking_id, actor="clerk")
        _until(worker, station, booking_id, {"SRE"})
        for _ in range(3):  # anything else the backend would send comes with or right after the SRE
            worker.run_once()
        got = _responses(station, booking_id)
        assert got["SRE"]["identified"] is False and got["SRE"]["fbi_number"] == ""
        assert "DETAINER" not in got
        assert station.responses.outcomes([booking_id])[booking_id].text == "no FBI record"
    finally:
        worker.stop()
        station.close()


def test_agency_declining_immigration_responses_gets_sre_and_detainer_but_no_iar(
    backend, tmp_path, booking_form
):
    station = _station(tmp_path, backend, "TX0570000", immigration=False)
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config)
    try:
        booking_id = _book_subject(station, booking_form, 5)
        station.outbox.enqueue(booking_id, actor="clerk")
        kinds = _until(worker, station, booking_id, {"SRE", "DETAINER"})
        worker.run_once()
        kinds = [v.kind for v in station.responses.for_booking(booking_id)]
        assert sorted(kinds) == ["DETAINER", "SRE"]
        assert _responses(station, booking_id)["SRE"]["fbi_number"] == EXPECT[5]
    finally:
        worker.stop()
        station.close()


def test_killing_the_backend_loses_nothing_and_duplicates_nothing(tmp_path, booking_form) -> None:
    embedded = _backend(tmp_path / "backend")
    station = _station(tmp_path, EMBEDDED, "NY0303000")
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config, embedded=embedded)
    try:
        booking_id = _book_subject(station, booking_form, 3)
        worker.run_once()  # starts the embedded backend, registers the agency
        _wait_ready(embedded)
        tcn = station.outbox.enqueue(booking_id, actor="clerk")
        embedded.kill()  # the backend dies with the submission queued
        assert not embedded.running
        _until(worker, station, booking_id, {"SRE"})  # the worker restarts it and sends
        first_pid = embedded.pid
        embedded.kill()  # dies again after answering the SRE, maybe mid-way through IDENT
        kinds = _until(worker, station, booking_id, {"SRE", "IAR", "DETAINER"})
        assert sorted(kinds) == ["DETAINER", "IAR", "SRE"]
        assert embedded.pid != first_pid
        with station.store.session() as s:
            assert s.query(Transaction).count() == 1 and s.query(Transaction).one().tcn == tcn
            assert s.query(Response).count() == 3
        with _admin(embedded) as admin:
            transactions = admin.get("/admin/transactions").json()
        assert [t["tcn"] for t in transactions] == [tcn]  # received and searched once
    finally:
        worker.stop()
        station.close()


def test_an_unreachable_url_is_reported_and_the_submission_waits(tmp_path, booking_form) -> None:
    station = _station(tmp_path, "http://127.0.0.1:9", "NY0303000")
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config)
    try:
        booking_id = _book_subject(station, booking_form, 1)
        station.outbox.enqueue(booking_id, actor="clerk")
        with pytest.raises(BackendUnavailable):
            worker.run_once()
        (item,) = station.outbox.pending()
        assert item.tcn and item.attempts == 0  # the agency registration failed first: nothing sent yet
    finally:
        worker.stop()
        station.close()


def test_killing_the_station_at_each_step_loses_nothing_and_duplicates_nothing(
    backend, tmp_path, booking_form
):
    import os
    import subprocess
    import sys

    db = f"sqlite:///{tmp_path / 'station.db'}"
    station = _station(tmp_path, backend, "NY0303000")
    booking_id = _book_subject(station, booking_form, 3)
    station.close()
    tls = backend.station_tls("NY0303000")
    child = [
        sys.executable,
        str(Path(__file__).with_name("outbox_station_child.py")),
        db,
        backend.url,
        str(booking_id),
        str(tls.ca),
        str(tls.certificate),
        str(tls.key),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for crash in ("before-send", "after-send", "after-store", "after-store", "none"):
        done = subprocess.run(
            [*child[:5], crash, *child[5:]], env=env, timeout=300, capture_output=True, text=True
        )
        expected = 0 if crash == "none" else 9
        assert done.returncode == expected, (crash, done.stderr[-2000:])
    station = _station(tmp_path, backend, "NY0303000")
    try:
        with station.store.session() as s:
            (tcn,) = [t.tcn for t in s.query(Transaction).all()]
            kinds = sorted(r.kind for r in s.query(Response).all())
        assert kinds == ["DETAINER", "IAR", "SRE"]
        with _admin(backend) as admin:
            received = [t["tcn"] for t in admin.get("/admin/transactions").json()]
        assert received.count(tcn) == 1
    finally:
        station.close()


def test_errt_from_the_backend_then_a_corrected_resubmission_is_answered(
    backend, tmp_path, booking_form
) -> None:
    import numpy as np

    from desktop.ui.responses_render import where_to_fix

    station = _station(tmp_path, backend, "NY0303000")
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config)
    try:
        booking_id = _book_subject(station, booking_form, 1)
        blank = _png(np.full((400, 400), 230, np.uint8))
        with station.store.session() as s:  # the rolled prints came out blank (no ridges at all)
            for row in s.query(Capture).filter(Capture.booking_id == booking_id, Capture.position <= 10):
                row.image_png = blank
        first = station.outbox.enqueue(booking_id, actor="clerk")
        _until(worker, station, booking_id, {"ERRT"})
        (errt,) = [v for v in station.responses.for_booking(booking_id) if v.kind == "ERRT"]
        (error,) = errt.summary["errors"]
        assert error["code"] == "L0007"
        assert where_to_fix(error["field"], error["message"]).startswith(
            "Fingerprints (Capture page): retake fingers"
        )
        assert station.responses.outcomes([booking_id])[booking_id].severity == "attention"
        with station.store.session() as s:  # the clerk retakes the rolled prints
            s.query(Capture).filter(Capture.booking_id == booking_id).delete()
        _book_prints_again(station, booking_id, 1)
        second = station.outbox.enqueue(booking_id, actor="clerk")
        assert second != first
        kinds = _until(worker, station, booking_id, {"ERRT", "SRE"})
        assert sorted(kinds) == ["ERRT", "SRE"]
        assert station.responses.outcomes([booking_id])[booking_id].text == "no FBI record"
    finally:
        worker.stop()
        station.close()


def _book_prints_again(station: Station, booking_id: int, subject: int) -> None:
    from matcher import synth

    with station.store.session() as s:
        for finger in range(1, 11):
            imp = synth.impression(subject, finger, seed=8, kind="rolled")
            s.add(Capture(booking_id=booking_id, position=finger, impression="rolled", accepted=True,
                          image_png=_png(imp.image), ppi=float(imp.ppi), quality=70))  # fmt: skip
        for position, slap in ((13, synth.slap(subject, "right", seed=8)), (14, synth.slap(subject, "left", seed=8)),
                               (15, synth.thumbs(subject, seed=8))):  # fmt: skip
            seg = {"fingers": [{"fgp": fgp, "box": list(box), "quality": 70} for fgp, box in slap.fingers]}
            s.add(Capture(booking_id=booking_id, position=position, impression="plain", accepted=True,
                          image_png=_png(slap.image), ppi=float(slap.ppi), quality=70,
                          segmentation_json=json.dumps(seg)))  # fmt: skip
