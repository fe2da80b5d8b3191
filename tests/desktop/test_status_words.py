"""One word for where a booking stands: the booking header, the bookings list, the Responses page and
the status bar read one state code from the core (desktop/station/booking_state.py) through one
table of words (desktop/ui/status.py), so they never say different things about a submission."""

from __future__ import annotations

import pytest
from outbox_helpers import FakeBackend, add_booking_with_prints
from ui_helpers import settle

import ebts
from desktop.station.booking_state import BookingState, booking_state
from desktop.station.models import BookingStatus, Role, TransactionStatus
from desktop.station.operators import OperatorInfo

ORI = "VA0000000"


@pytest.mark.parametrize(
    ("status", "last", "state"),
    [
        (BookingStatus.DRAFT, None, BookingState.DRAFT),
        (BookingStatus.CAPTURED, None, BookingState.CAPTURED),
        (BookingStatus.QUEUED, TransactionStatus.QUEUED, BookingState.WAITING_TO_SEND),
        # refused when sending: the list status stays "queued", the submission says what happened
        (BookingStatus.QUEUED, TransactionStatus.FAILED, BookingState.REJECTED),
        (BookingStatus.SENT, TransactionStatus.SENT, BookingState.AWAITING_ANSWER),
        (BookingStatus.ANSWERED, TransactionStatus.ACKNOWLEDGED, BookingState.ANSWERED),
        (BookingStatus.ANSWERED, TransactionStatus.FAILED, BookingState.REJECTED),  # an ERRT
        (BookingStatus.DETAINER, TransactionStatus.ACKNOWLEDGED, BookingState.DETAINER),
        (BookingStatus.DETAINER, TransactionStatus.QUEUED, BookingState.WAITING_TO_SEND),
        (BookingStatus.ANSWERED, None, BookingState.ANSWERED),  # imported with its answer
    ],
)
def test_one_function_turns_the_stored_facts_into_the_state(status, last, state) -> None:
    assert booking_state(status, last) is state


class _DutiesHere:
    """The part of StationService the status bar reads: this window runs the duties."""

    def __init__(self, station) -> None:  # type: ignore[no-untyped-def]
        from desktop.station.outbox_worker import WorkerStatus

        self.station = station
        self._link = WorkerStatus(True, "https://backend.test", 0, None, None)

    def status(self):  # type: ignore[no-untyped-def]
        from desktop.station.service import DutiesStatus

        return DutiesStatus(True, None)

    def link(self):  # type: ignore[no-untyped-def]
        return self._link


@pytest.fixture
def places(qtbot, station, booking_form, monkeypatch):
    """The booking header, the bookings list, the Responses page and the status bar, for one booking."""
    from desktop.ui import booking_pages
    from desktop.ui.booking_pages import PageContext
    from desktop.ui.booking_view import BookingView
    from desktop.ui.bookings_list import BookingsPage
    from desktop.ui.responses_page import ResponsesPage
    from desktop.ui.responses_status import SubmissionIndicator

    booking_id = add_booking_with_prints(station, booking_form())
    operator = OperatorInfo(1, "clerk", "Clerk One", Role.CLERK)
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0]])
    page = ResponsesPage(PageContext(station, operator, booking_id, lambda: None))
    view = BookingView(station, operator, booking_id)
    listing = BookingsPage(station)
    bar = SubmissionIndicator(_DutiesHere(station))  # type: ignore[arg-type]
    for widget in (page, view, listing, bar):
        qtbot.addWidget(widget)
        widget.show()
    settle(qtbot)

    def words() -> dict[str, str]:
        settle(qtbot)
        return {
            "header": view.title.text(),
            "list": listing.model.data(listing.model.index(0, 3)),
            "responses": page.state.text(),
            "status bar": bar.text(),
        }

    return station, page, words


def _submit(qtbot, page) -> str:
    page.submit.click()
    qtbot.waitUntil(lambda: not page._busy, timeout=10000)
    settle(qtbot)
    return page._context.station.outbox.for_booking(page._context.booking_id)[-1].tcn


def _everywhere(words: dict[str, str], word: str, *, bar: bool = True) -> None:
    places = words if bar else {k: v for k, v in words.items() if k != "status bar"}
    assert all(word in text for text in places.values()), words


def test_queued_sent_answered_read_the_same_in_every_place(qtbot, places) -> None:
    station, page, words = places
    tcn = _submit(qtbot, page)
    shown = words()
    _everywhere(shown, "Waiting to be sent")
    assert "Waiting to be sent: 1" in shown["status bar"]

    backend = FakeBackend()
    station.outbox.send_due(backend.client())
    shown = words()
    _everywhere(shown, "Sent, awaiting answer")
    assert "Sent, awaiting answer: 1" in shown["status bar"]
    assert "Waiting to be sent" not in " ".join(shown.values())

    backend.post(tcn, "SRE", ebts.build_sre(recipient_ori=ORI, request_tcn=tcn, identified=False))
    station.responses.poll(backend.client(), ORI)
    shown = words()
    _everywhere(shown, "Answered", bar=False)
    # Nothing is on its way any more, and the status bar says so in words that do not contradict.
    assert "no submission on its way" in shown["status bar"]
    assert not any(w in " ".join(shown.values()) for w in ("Waiting to be sent", "awaiting answer"))


def test_a_rejected_submission_reads_rejected_everywhere_not_answered(qtbot, places) -> None:
    station, page, words = places
    tcn = _submit(qtbot, page)
    backend = FakeBackend()
    station.outbox.send_due(backend.client())
    errors = [ebts.ErrorItem("L0002", "2.020 POB", "'CA' is not a place of birth on file")]
    backend.post(tcn, "ERRT", ebts.build_errt(recipient_ori=ORI, request_tcn=tcn, errors=errors))
    station.responses.poll(backend.client(), ORI)
    shown = words()
    _everywhere(shown, "Rejected", bar=False)
    assert "Answered" not in " ".join(shown.values())
