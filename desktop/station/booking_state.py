"""Where a booking stands, as one code (Qt-free): the only place that reads the stored facts
(the booking's list status and its latest submission's status) and says what they mean together.

The booking header, the bookings list, the Responses page and the status bar all show this code
through one translation table (desktop/ui/status.py), so they cannot say different things about
the same submission.
"""

from __future__ import annotations

import enum

from desktop.station.models import BookingStatus, TransactionStatus


class BookingState(enum.StrEnum):
    DRAFT = "draft"  # details only, no accepted prints yet
    CAPTURED = "captured"  # prints taken, not submitted
    WAITING_TO_SEND = "waiting_to_send"  # in the outbox, not yet taken by the FBI/DHS service
    AWAITING_ANSWER = "awaiting_answer"  # taken by the service, no answer yet
    ANSWERED = "answered"
    REJECTED = "rejected"  # refused (ERRT or refused on sending): correct and resubmit
    DETAINER = "detainer"  # ICE lodged a detainer that stands


#: The states of a submission still on its way (the status bar counts them).
IN_FLIGHT = (BookingState.WAITING_TO_SEND, BookingState.AWAITING_ANSWER)

_IN_FLIGHT = {
    TransactionStatus.QUEUED: BookingState.WAITING_TO_SEND,
    TransactionStatus.SENT: BookingState.AWAITING_ANSWER,
}
_CLOSED = {
    TransactionStatus.ACKNOWLEDGED: BookingState.ANSWERED,
    TransactionStatus.FAILED: BookingState.REJECTED,
}
# A booking with no submission on this station (imported, or not submitted yet).
_FROM_LIST_STATUS = {
    BookingStatus.DRAFT: BookingState.DRAFT,
    BookingStatus.CAPTURED: BookingState.CAPTURED,
    BookingStatus.QUEUED: BookingState.WAITING_TO_SEND,
    BookingStatus.SENT: BookingState.AWAITING_ANSWER,
    BookingStatus.ANSWERED: BookingState.ANSWERED,
    BookingStatus.DETAINER: BookingState.DETAINER,
}


def booking_state(status: BookingStatus, last_submission: TransactionStatus | None) -> BookingState:
    """What a booking's stored status and its latest submission's status (None: never submitted)
    mean together. A submission on its way says so even under a detainer (a corrected resubmission);
    otherwise a standing detainer outranks the FBI's answer."""
    if last_submission is None:
        return _FROM_LIST_STATUS[status]
    if last_submission in _IN_FLIGHT:
        return _IN_FLIGHT[last_submission]
    if status is BookingStatus.DETAINER:
        return BookingState.DETAINER
    return _CLOSED[last_submission]
