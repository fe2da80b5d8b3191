from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from outbox_helpers import FakeBackend, add_booking_with_prints
from ui_helpers import settle

import ebts
from desktop.station.models import Role
from desktop.station.operators import OperatorInfo
from desktop.ui.booking_pages import PageContext
from desktop.ui.responses_page import ResponsesPage, answer_column

ORI = "VA0000000"


@pytest.fixture
def page(qtbot, station, booking_form):
    booking_id = add_booking_with_prints(station, booking_form())
    changed = []
    context = PageContext(
        station, OperatorInfo(1, "clerk", "Clerk One", Role.CLERK), booking_id, lambda: changed.append(1)
    )
    widget = ResponsesPage(context)
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    widget.show()
    widget.changed = changed
    settle(qtbot)
    return widget


def _submit(qtbot, page) -> str:
    assert page.submit.isEnabled()
    page.submit.click()
    qtbot.waitUntil(lambda: not page._busy, timeout=10000)
    settle(qtbot)
    return page._context.station.outbox.for_booking(page._context.booking_id)[-1].tcn


def _save(page, name: str) -> None:
    folder = os.environ.get("BOOKING_SCREENSHOTS")
    if folder:
        page.grab().save(str(Path(folder) / name))


def test_submit_then_answers_appear_newest_first_with_details(qtbot, page) -> None:
    station = page._context.station
    assert "Not submitted yet" in page.state.text() and page.submit.text().replace("&", "") == "Submit to FBI"
    tcn = _submit(qtbot, page)
    assert "Waiting to be sent" in page.state.text()
    assert not page.submit.isEnabled() and page.retry.isVisible()
    backend = FakeBackend()
    station.outbox.send_due(backend.client())
    backend.post(tcn, "SRE", ebts.build_sre(recipient_ori=ORI, request_tcn=tcn, identified=True, fbi_number="832635DH1",
                                            name="NGUYEN,VAN AN", rap_sheet=["2019-03-02 VA0000000 ROBBERY FELONY"]))  # fmt: skip
    iar = {"tcn": tcn, "status_determination": {"code": "REMOVED", "text": "Previously removed"},
           "subject": {"name": "Nguyễn Văn An", "country_of_birth": "VN"}, "removable": True,
           "encounters": [{"date": "2015-06-01", "kind": "removal", "place": "Houston, TX"}]}  # fmt: skip
    backend.post(tcn, "IAR", json.dumps(iar).encode(), "application/json")
    detainer = {"detainer_id": "I247A-0001", "form": "I-247", "form_version": "I-247A", "lodged_at": "2026-11-21T15:00:00Z",
                "issuing_office": {"name": "ICE ERO Washington", "address": "Fairfax, VA", "phone": "+1 703 555 0100"},
                "hold_limit_hours": 48, "hold_limit_excludes": ["saturday", "sunday", "holiday"],
                "notice_languages": ["en", "vi"], "subject": {"name": "Nguyễn Văn An"}}  # fmt: skip
    backend.post(tcn, "DETAINER", json.dumps(detainer).encode(), "application/json")
    station.responses.poll(backend.client(), ORI)
    settle(qtbot)  # the page reloads on the "response.received" events
    titles = [page.list.item(i).text() for i in range(page.list.count())]
    assert "ICE: detainer lodged (Form I-247)" in titles[0]
    assert "immigration response, Previously removed" in titles[1]
    assert "FBI: identified, FBI number 832635DH1" in titles[2]
    page.list.setCurrentRow(2)
    html = page.detail.toPlainText()
    assert "832635DH1" in html and "ROBBERY FELONY" in html
    page.list.setCurrentRow(1)
    assert "Nguyễn Văn An" in page.detail.toPlainText() and "Houston" in page.detail.toPlainText()
    page.list.setCurrentRow(0)
    assert "48 hours" in page.detail.toPlainText() and "Detainer page" in page.detail.toPlainText()
    # The header and the list say "Detainer" for this booking, and so does this page (one state word).
    assert "Detainer" in page.state.text() and not page.submit.isEnabled()
    assert answer_column(station, [page._context.booking_id]) == {page._context.booking_id: "ICE detainer"}
    _save(page, "responses-detainer.png")


def test_errt_says_where_to_fix_and_allows_a_corrected_resubmission(qtbot, page) -> None:
    station = page._context.station
    tcn = _submit(qtbot, page)
    backend = FakeBackend()
    station.outbox.send_due(backend.client())
    errors = [ebts.ErrorItem("L0002", "2.020 POB", "'CA' is not a place of birth on file"),
              ebts.ErrorItem("L0007", "14.013 FGP", "finger 7: too few minutiae to search")]  # fmt: skip
    backend.post(tcn, "ERRT", ebts.build_errt(recipient_ori=ORI, request_tcn=tcn, errors=errors))
    station.responses.poll(backend.client(), ORI)
    settle(qtbot)
    assert "rejected, 2 errors to fix" in page.list.item(0).text()
    text = page.detail.toPlainText()
    assert "Place of birth (Details page)" in text
    assert "Fingerprints (Capture page): retake finger 7" in text
    assert "Rejected" in page.state.text()
    assert page.submit.isEnabled() and page.submit.text().replace("&", "") == "Resubmit corrected"
    _save(page, "responses-errt.png")
    new_tcn = _submit(qtbot, page)
    assert new_tcn != tcn
    assert (
        answer_column(station, [page._context.booking_id])[page._context.booking_id]
        == "corrected, resubmitted"
    )


def test_submission_that_cannot_be_built_is_explained(qtbot, page, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    station = page._context.station
    with station.store.session() as s:
        from desktop.station.models import Capture

        s.query(Capture).filter_by(booking_id=page._context.booking_id).delete()
    page.submit.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "no accepted prints" in shown[0]
    assert station.outbox.for_booking(page._context.booking_id) == []


def test_sending_updates_this_page_the_booking_header_and_the_list(qtbot, page, monkeypatch) -> None:
    """Queued -> sent is done by the outbox worker: the page, the booking's header and the bookings
    list all hear of it through the core's events, with nothing polling."""
    from desktop.ui import booking_pages
    from desktop.ui.booking_view import BookingView
    from desktop.ui.bookings_list import BookingsPage

    station = page._context.station
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0]])
    view = BookingView(station, page._context.operator, page._context.booking_id)
    listing = BookingsPage(station)
    for widget in (view, listing):
        qtbot.addWidget(widget)
        widget.show()
    tcn = _submit(qtbot, page)
    settle(qtbot)
    assert view.title.text().endswith("Waiting to be sent")
    backend = FakeBackend()
    backend.down = 1  # the backend is down at submission: the clerk is told it is handled
    station.outbox.send_due(backend.client())
    station.outbox.retry_now(tcn, actor="clerk")  # an event: the page reloads and shows the attempt
    settle(qtbot)
    assert "keeps trying by itself; nothing is lost" in page.state.text()
    assert "http://backend.test cannot be reached" in page.state.text()  # the reason, for support
    station.outbox.send_due(backend.client())
    settle(qtbot)
    assert "Sent, awaiting answer" in page.state.text() and tcn in page.state.text()
    assert view.title.text().endswith("Sent, awaiting answer")
    assert [r.state.value for r in listing.model.rows] == ["awaiting_answer"]
