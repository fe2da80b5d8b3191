"""The Audit page checks the log against the heads the backend anchored (issue 16, item 4), as a
supervisor would: press Verify and read the result. The backend is the HTTP contract's fake
(outbox_helpers.FakeBackend); the real one is covered by test_audit_anchoring."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

import pytest
from outbox_helpers import FakeBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_helpers import log_in, open_main_window, settle

from desktop.station import anchoring
from desktop.station.models import AuditEvent, Role
from desktop.station.outbox_client import BackendUnavailable
from desktop.ui import booking_pages

BOSS_PW = "supervisor desk 7"


@pytest.fixture
def backend(monkeypatch):
    fake = FakeBackend()

    @contextlib.contextmanager
    def client(config, start_embedded=True):
        if fake.down:
            raise BackendUnavailable("link.refused", url="https://backend.test")
        c = fake.client()
        try:
            yield c
        finally:
            c.close()

    monkeypatch.setattr(anchoring, "_client", client)
    return fake


@pytest.fixture
def page(qtbot, station, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0]])
    station.operators.add("boss", BOSS_PW, Role.SUPERVISOR, full_name="Dana Whitfield", actor="t")
    win = open_main_window(qtbot, station, size=(1366, 768))
    log_in(qtbot, win, "boss", BOSS_PW)
    qtbot.keyClick(win, Qt.Key.Key_F9)
    settle(qtbot)
    return win.audit_page


def _events(station, n: int) -> None:
    for i in range(n):
        station.audit.append("clerk1", "booking.update", f"booking:{i}", {"fields": ["weight"]})


def _anchor(station, backend) -> None:
    client = backend.client()
    try:
        client.anchor_audit_head(station.config.agency_ori, station.audit.head())
    finally:
        client.close()


def _verify(qtbot, page) -> str:
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.verify_button.isEnabled()
    return page.result.text()


def test_verify_says_the_log_matches_the_backend_s_anchored_heads(qtbot, page, station, backend):
    _events(station, 3)
    _anchor(station, backend)
    _anchor(station, backend)
    text = _verify(qtbot, page)
    assert text.startswith("Intact:")
    assert "It matches the 2 heads anchored at the FBI/DHS backend (through event" in text
    assert page.result.property("verdict") == "ok"


def test_verify_reports_deleted_newest_events_with_the_time_the_log_was_changed(
    qtbot, page, station, backend, tamper
):
    _events(station, 6)
    _anchor(station, backend)
    anchored_at = backend.anchors[-1]["anchored_at"]
    head = station.audit.head().sequence
    with station.store.session() as s:
        keep = s.query(AuditEvent).filter(AuditEvent.seq == head - 3).one().hash
    tamper(station, "DELETE FROM audit_events WHERE seq > :n", {"n": head - 3})
    tamper(station, "UPDATE audit_head SET seq = :n, hash = :h WHERE id = 1", {"n": head - 3, "h": keep})
    text = _verify(qtbot, page)
    assert text.startswith(f"TAMPERED at event {head - 2}:") and "were removed" in text
    changed = dt.datetime.fromisoformat(anchored_at.replace("Z", "+00:00")).astimezone(station.config.zone)
    when = changed.strftime("%Y-%m-%d %H:%M:%S %Z")  # local with its zone, as the station shows times
    assert "The log was changed after" in text and text.count(when) == 2, text  # and the anchor's time
    assert "+00:00" not in text and not re.search(r"\d{4}-\d\d-\d\dT", text), text  # no UTC stamp beside it
    assert page.result.property("verdict") == "tampered"


def test_verify_says_plainly_when_the_backend_could_not_be_asked(qtbot, page, station, backend):
    _events(station, 2)
    backend.down = 1
    text = _verify(qtbot, page)
    assert text.startswith("Intact:")
    assert "NOT checked against the backend's anchored heads: https://backend.test cannot be reached" in text
    assert page.result.property("verdict") == "unchecked"


def test_the_spanish_station_says_where_and_how_the_log_was_changed_in_spanish(
    qtbot, qapp, page, station, backend, tamper
):
    """The chain's check names the events in the clerk's language: the core gives a code and the
    event numbers, not an English sentence (the page used to show it as it came)."""
    from desktop.ui import translations

    _events(station, 6)
    _anchor(station, backend)
    head = station.audit.head().sequence
    tamper(station, "DELETE FROM audit_events WHERE seq > :n", {"n": head - 3})
    installed = translations.install(qapp, "es")
    try:
        text = _verify(qtbot, page)
    finally:
        translations.remove(qapp, installed)
    assert page.result.property("verdict") == "tampered"
    assert f"el registro termina en el evento {head - 3}, pero se escribieron {head}" in text, text
    english = {"the", "were", "removed", "written", "log", "ends", "but", "and"}
    assert not english & set(re.findall(r"[a-z]+", text.lower())), text
