"""Every page of the station in Spanish shows no English message text.

The station is driven as a supervisor would use it (log-in, bookings, a booking whose form has
errors, its Capture review, Responses with an FBI answer and an error, Detainer, Settings, Operators,
Audit) and every visible text is collected: labels, buttons, tabs, tables, lists, text browsers,
placeholders, tooltips. Failures are provoked on the way: the embedded backend that cannot start and
a certificate that does not go with its key (the status bar), a submission whose last attempt did
not reach the backend (its Responses page), a booking whose built transaction fails EBTS validation
and one whose transaction cannot be built (the message boxes when they are submitted; an
exception's own text stays only as the message's marked technical detail). A text is English when
it holds a phrase of the station's own English (any source text of the Spanish catalogue whose
translation differs, which includes every core message template), or reads as English prose. What the FBI, DHS and ICE send (their messages, rap sheets)
and names (people, the agency, places of birth, file paths, commands to type) stay as they are.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from outbox_helpers import FakeBackend, add_booking_with_prints
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QTabBar,
    QTextEdit,
    QWidget,
)

import ebts
from booking_station.pki import CertificateAuthority
from desktop.station import config as config_module
from desktop.station import outbox as outbox_module
from desktop.station.models import Role
from desktop.station.outbox_client import BackendRejected
from desktop.station.outbox_launcher import EmbeddedBackend
from desktop.station.outbox_worker import SubmissionWorker
from desktop.station.service import DutiesStatus
from desktop.ui import translations

ORI = "VA0000000"
# What the FBI and DHS send in this test (kept as received on the Responses page), and names: the
# virtual scanner's model name, as the device gives it.
FBI_WORDS = (
    "finger 3: image quality too low to search",
    "2019-03-02 VA0000000 ROBBERY FELONY",
    "Previously removed",
    "ICE ERO Washington Field Office",
    "claim_id is not a UUID",  # the backend's own words when it refuses a request
)
NAMES = ("Booking Station Virtual livescan (synthetic fingerprints)", "NGUYEN,VAN AN")
_TAG = re.compile(r"<[^>]+>")
_SETTLED = ("passed", "blocked", "failed")  # the sequence-check gate after a check
_SAME_IN_SPANISH = {"virtual", "supervisor", "detainer"}
_HOLE = re.compile(r"%\d|%n|\{\w+\}")
# Words of English prose that Spanish does not use; two different ones in a text make it English.
_ENGLISH_WORDS = {"the", "and", "is", "are", "of", "to", "with", "cannot", "be", "this", "that", "for", "not",
                  "was", "has", "have", "been", "will", "your", "from", "press", "enter", "choose", "at",
                  "too", "least", "could", "must", "only", "there", "which", "an", "its", "it", "than"}  # fmt: skip


def _english_phrases() -> list[str]:
    """Phrases of the station's English: the pieces of every source text the Spanish changes (and
    its single words of six letters or more that Spanish writes otherwise, e.g. "rolled")."""
    root = ET.parse(translations.TRANSLATIONS / "booking_station_es.ts").getroot()
    out = set()
    for msg in root.iter("message"):
        source = msg.findtext("source") or ""
        forms = [f.text or "" for f in msg.iter("numerusform")] or [msg.findtext("translation") or ""]
        if all(f == source for f in forms):
            continue
        for piece in _HOLE.split(_TAG.sub(" ", source).replace("&", "")):
            piece = " ".join(piece.split()).strip(" .:;,—–-()“”")
            if (
                len(piece.split()) >= 2
                and sum(c.isalpha() for c in piece) >= 8
                or piece.isalpha()
                and len(piece) >= 6
                and piece.lower() not in _SAME_IN_SPANISH
            ):
                out.add(piece.lower())
    return sorted(out)


def _visible_texts(root: QWidget) -> list[str]:
    texts = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        texts.append(w.toolTip())
        if isinstance(w, QLabel | QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabBar):
            texts.extend(w.tabText(i) for i in range(w.count()))
        elif isinstance(w, QTextEdit):
            texts.append(w.toPlainText())
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QComboBox):
            texts.append(w.currentText())
        elif isinstance(w, QListWidget):
            texts.extend(w.item(i).text() for i in range(w.count()))
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model, top = w.model(), QModelIndex()
            columns = model.columnCount(top)
            for row in range(min(model.rowCount(top), 50)):
                texts.extend(str(model.index(row, c, top).data() or "") for c in range(columns))
            texts.extend(str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns))
    return [t for t in texts if t and t.strip()]


def _english(texts: list[str], phrases: list[str]) -> list[str]:
    found = []
    for raw in texts:
        plain = " ".join(_TAG.sub(" ", raw).replace("&nbsp;", " ").replace("&", "").split())
        if plain.startswith("{") and plain.endswith("}"):
            continue  # an audit event's details: the record as stored (codes and values)
        if re.fullmatch(r"[\w-]+[.:][\w.:-]+", plain):
            continue  # a code: an audit action ("booking.status") or subject ("booking:2026-000001")
        for words in FBI_WORDS + NAMES:
            plain = plain.replace(words, "")
        plain = re.sub(r"`[^`]*`", "", plain)  # a command to type (`booking-station pki issue`): a name
        # A message's technical detail (an exception's or the OS's own text), marked as such, ends it.
        plain = re.sub(r"\(detalle técnico: .*\)", "", plain)
        plain = re.sub(r"(?<![\w:/])/[\w./-]+", "", plain)  # a file's path: a name
        lower = plain.lower()
        hits = [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", lower)]
        # Whole words only: "be" in a TCN's random hex ("…-F730959BE5") is not English.
        prose = {w for w in re.findall(r"(?<![a-z0-9])[a-z]+(?![a-z0-9])", lower) if w in _ENGLISH_WORDS}
        if hits or len(prose) >= 2:
            found.append(f"{plain!r} ({', '.join(hits) or ', '.join(sorted(prose))})")
    return found


def test_a_tcn_and_the_fbis_form_of_a_name_are_not_read_as_english() -> None:
    # A walk failed once: the FBI's "NGUYEN,VAN AN" gave "an", a TCN ending "…959BE5" gave "be".
    answer = "Recibido · TCN VA0000000-20261207135408-F730959BE5 Nombre registrado NGUYEN,VAN AN"
    assert _english([answer], []) == []
    assert _english(["the prints cannot be sent"], [])  # while English prose is still found
    technical = (
        "no se puede preparar el envío (detalle técnico: image of 20x20 is too small for WSQ (at least 32))"
    )
    assert _english([technical], []) == []  # the marked technical detail is foreign text
    assert _english(["the prints cannot be sent (detalle técnico: x)"], [])


@pytest.fixture
def spanish_station(qapp, station, monkeypatch, tmp_path):
    monkeypatch.setenv(config_module.CONFIG_ENV, str(tmp_path / "station.toml"))
    installed = translations.install(qapp, "es")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    warnings: list[str] = []  # a modal box would wait for a click; its words are checked instead
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, words, *a, **k: warnings.append(f"{title}: {words}")
    )
    station.warnings = warnings
    yield station
    translations.remove(qapp, installed)


class _RefusingLesc:
    """ICE's system refusing a claim's request itself (a 4xx, with the backend's own words)."""

    def send_claim(self, ori: str, claim: dict) -> dict:
        raise BackendRejected(
            "link.refused-request", request=f"POST /v1/claims/{ori}", status=422, detail=FBI_WORDS[4]
        )


class _DutiesHere:
    """The part of StationService the status bar reads: this window runs the duties, with `worker`."""

    def __init__(self, station, worker) -> None:  # type: ignore[no-untyped-def]
        self.station, self.worker = station, worker

    def status(self) -> DutiesStatus:
        return DutiesStatus(True, None)

    def link(self):  # type: ignore[no-untyped-def]
        return self.worker.status()


def _failed_round(qtbot, worker: SubmissionWorker) -> None:
    """One real round of the worker's thread that ends in a problem (then the thread stops)."""
    worker._poll_interval = 600
    worker.start()
    try:
        qtbot.waitUntil(lambda: worker.status().problem is not None, timeout=60_000)
    finally:
        worker.stop()


def test_every_page_in_spanish_shows_no_english(
    qtbot, spanish_station, booking_form, tmp_path, monkeypatch
) -> None:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.responses_status import SubmissionIndicator

    station = spanish_station
    phrases = _english_phrases()
    assert "enter the" in " | ".join(phrases)  # the core's templates are among them
    station.operators.add("jefa", "long enough pw", Role.SUPERVISOR, full_name="Ana Díaz", actor="test")
    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="jefa")
    backend = FakeBackend()
    station.outbox.send_due(backend.client())
    # A second booking whose submission did not reach the backend (kept with why), and a third one
    # not submitted yet, whose transaction will fail EBTS validation when the clerk submits it.
    waiting_id = add_booking_with_prints(station, booking_form(surname="Ramírez"))
    station.outbox.enqueue(waiting_id, actor="jefa")
    backend.down = 1
    station.outbox.send_due(backend.client())
    invalid_id = add_booking_with_prints(station, booking_form(surname="Torres"))
    # A fourth whose transaction cannot be built at all (the WSQ encoder refuses an image): the
    # exception's English is shown only as the message's marked technical detail.
    unbuildable_id = add_booking_with_prints(station, booking_form(surname="Vega"))
    real_with_kept = outbox_module.with_kept

    def wrong_sex(session, booking, data: bytes) -> bytes:  # the built transaction with SEX "Q"
        if booking == unbuildable_id:
            raise ebts.wsq.WSQError("image of 20x20 pixels is too small for WSQ (at least 32x32)")
        tx = ebts.parse(real_with_kept(session, booking, data))
        next(r for r in tx.records if r.type == 2).set(24, "Q")
        return ebts.write(tx)

    monkeypatch.setattr(outbox_module, "with_kept", wrong_sex)
    backend.post(tcn, "ERRT", ebts.build_errt(recipient_ori=ORI, request_tcn=tcn, name="NGUYEN,VAN AN",
                 errors=[ebts.ErrorItem("L0007", "14.024 FQM", FBI_WORDS[0])]))  # fmt: skip
    backend.post(tcn, "SRE", ebts.build_sre(recipient_ori=ORI, request_tcn=tcn, identified=True,
                 fbi_number="832635DH1", name="NGUYEN,VAN AN", rap_sheet=[FBI_WORDS[1]]))  # fmt: skip
    iar = {"tcn": tcn, "status_determination": {"code": "REMOVED", "text": "Previously removed"}}
    backend.post(tcn, "IAR", json.dumps(iar).encode(), "application/json")
    detainer = {"detainer_id": "d-0001", "form": "I-247", "form_version": "I-247A", "tcn": tcn,
                "lodged_at": "2012-12-21T14:00:00Z", "issuing_office": {"name": FBI_WORDS[3]},
                "notice_languages": ["en", "es"]}  # fmt: skip
    backend.post(tcn, "DETAINER", json.dumps(detainer).encode(), "application/json")
    station.responses.poll(backend.client(), ORI)
    # A claim of U.S. citizenship that ICE's system refused (its reason kept with the claim).
    (lodged,) = station.detainers.for_booking(booking_id)
    station.detainers.claims.record(lodged.id, "citizen", "Dice que nació en Fresno.", actor="jefa")
    station.detainers.claims.send_due(_RefusingLesc(), ORI)

    window = MainWindow(station)
    qtbot.addWidget(window)
    # The status bar's link, run by a worker whose embedded backend cannot start (a real child
    # process that stops at once on an option it does not know).
    embedded = EmbeddedBackend(tmp_path / "backend", extra_args=("--no-such-option",))
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config, embedded=embedded)
    indicator = SubmissionIndicator(_DutiesHere(station, worker))  # type: ignore[arg-type]
    window.statusBar().addWidget(indicator)
    _failed_round(qtbot, worker)
    indicator.update_text()
    window.resize(1366, 768)
    window.show()
    seen: dict[str, list[str]] = {"login": _visible_texts(window)}
    assert worker.status().problem.code == "embedded.stopped" and str(embedded.folder) in indicator.toolTip()
    qtbot.keyClicks(window.login_page.username, "jefa")
    qtbot.keyClicks(window.login_page.password, "long enough pw")
    qtbot.keyClick(window.login_page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    qtbot.waitUntil(lambda: window.bookings_page.table.model().rowCount() > 0, timeout=10_000)
    seen["bookings"] = _visible_texts(window)

    # The link to a backend at a URL with a certificate that does not go with its key.
    ca = CertificateAuthority.init(tmp_path / "ca")
    ours, other = ca.issue_station(ORI, tmp_path / "ours"), ca.issue_station(ORI, tmp_path / "other")
    https = dataclasses.replace(station.config, backend_url="https://fbi.example", backend_ca=str(ours.ca),
                                backend_certificate=str(ours.certificate), backend_key=str(other.key))  # fmt: skip
    worker = SubmissionWorker(station.outbox, station.responses, lambda: https)
    indicator._service = _DutiesHere(station, worker)
    _failed_round(qtbot, worker)
    indicator.update_text()
    assert worker.status().problem.code == "pki.pair-unusable" and str(other.key) in indicator.toolTip()
    seen["bookings, the link's certificate does not work"] = _visible_texts(window)

    # A new booking saved with every field wrong: the core's checks beside the fields.
    window.new_booking()
    details = window.booking_view.pages["details"]
    form = details.form
    form.editors["surname"].setText("Smith, John")
    form.editors["height"].setText("5'14")
    form.editors["weight"].setText("12")
    form.editors["date_of_birth"].setText("31.12.1990")
    details.save()
    qtbot.waitUntil(lambda: bool(form.errors["surname"].text()), timeout=10_000)
    seen["booking form with errors"] = _visible_texts(window)

    window.open_booking(booking_id)
    view = window.booking_view
    for key in ("details", "capture", "responses", "detainer"):
        page = view.show_page(key)
        if key == "capture":
            qtbot.waitUntil(lambda p=page: p.review is not None, timeout=30_000)
            page.show_review()
            qtbot.waitUntil(lambda p=page: p.session.gate.state.value in _SETTLED, timeout=60_000)
            qtbot.waitUntil(lambda p=page: p.review.tiles[13].picture.pixmap().width() > 0, timeout=30_000)
        if key == "responses":
            qtbot.waitUntil(lambda p=page: p.list.count() >= 3, timeout=10_000)
            for row in range(page.list.count()):
                page.list.setCurrentRow(row)
                QCoreApplication.processEvents()
                seen[f"responses, answer {row + 1}"] = _visible_texts(window)
        if key == "detainer":  # read off the UI thread, claims too: with both cores busy, later than 200 ms
            qtbot.waitUntil(lambda: any("/v1/claims/" in t for t in _visible_texts(window)), timeout=30_000)
        qtbot.wait(200)
        seen[f"booking {key}"] = _visible_texts(window)
        if key == "capture":  # and its capture screen, all prints taken
            page.show_capture()
            qtbot.wait(200)
            seen["booking capture screen"] = _visible_texts(window)
    view.pages["capture"].shutdown()

    # The submission that did not reach the backend: its Responses page says why.
    window.open_booking(waiting_id)
    page = window.booking_view.show_page("responses")
    qtbot.waitUntil(lambda: "backend.test" in page.state.text(), timeout=10_000)
    seen["responses, last attempt not sent"] = _visible_texts(window)
    # The booking whose transaction fails EBTS validation: submitting it says which field.
    window.open_booking(invalid_id)
    page = window.booking_view.show_page("responses")
    qtbot.waitUntil(lambda: page.submit.isEnabled(), timeout=10_000)
    page.submit.click()
    qtbot.waitUntil(lambda: any("2.024 SEX" in w for w in station.warnings), timeout=30_000)
    window.open_booking(unbuildable_id)
    page = window.booking_view.show_page("responses")
    qtbot.waitUntil(lambda: page.submit.isEnabled(), timeout=10_000)
    page.submit.click()
    qtbot.waitUntil(lambda: any("20x20" in w for w in station.warnings), timeout=30_000)

    for name in ("settings", "operators", "audit", "diagnostics", "bookings"):
        getattr(window, f"show_{name}")()
        qtbot.wait(300)
        seen[f"page {name}"] = _visible_texts(window)

    seen["message boxes"] = list(station.warnings)
    # The provoked failures were on screen (in Spanish, as the check below says).
    assert any("POST /v1/claims/VA0000000 (422)" in t for t in seen["booking detainer"]), seen[
        "booking detainer"
    ]
    if os.environ.get("SPANISH_DUMP"):
        Path(os.environ["SPANISH_DUMP"]).write_text(json.dumps(seen, ensure_ascii=False, indent=1))
    english = {name: _english(texts, phrases) for name, texts in seen.items()}
    english = {name: found for name, found in english.items() if found}
    assert not english, "English on Spanish screens:\n" + "\n".join(
        f"{name}: {line}" for name, found in english.items() for line in found
    )
    # A message box says a sentence of its own: it starts with a capital, as the English does.
    lower = [w for w in station.warnings if w.split(": ", 1)[1][:1].islower()]
    assert not lower, lower
