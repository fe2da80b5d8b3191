"""A wrong-person alert on screen: in the bookings list and over every page of the booking, until a
clerk acknowledges it with a note (the core is tested in test_wrong_person_alerts.py)."""

from __future__ import annotations

import os
from pathlib import Path

from outbox_helpers import FakeBackend, add_booking_with_prints
from ui_helpers import settle

import ebts
from desktop.station.models import Role
from desktop.station.operators import OperatorInfo

ORI = "VA0000000"


def _answered_by_another_person(station, booking_form) -> int:
    backend = FakeBackend()
    booking_id = add_booking_with_prints(station, booking_form())  # Nguyễn, Văn An, born 1990-01-02
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    station.outbox.send_due(backend.client())
    sre = ebts.build_sre(recipient_ori=ORI, request_tcn=tcn, identified=True, fbi_number="123456AB7",
                         name="HERNÁNDEZ,JOSÉ", rap_sheet=[])  # fmt: skip
    backend.post(tcn, "SRE", sre)
    station.responses.poll(backend.client(), ORI)
    return booking_id


def test_the_alert_shows_in_the_list_and_on_the_booking_until_acknowledged(
    qtbot, station, booking_form, monkeypatch
):
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui import booking_pages
    from desktop.ui.alert_banner import AcknowledgeDialog
    from desktop.ui.booking_view import BookingView
    from desktop.ui.bookings_list import LIST_COLUMNS, BookingsPage

    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0]])
    booking_id = _answered_by_another_person(station, booking_form)
    clerk = OperatorInfo(1, "clerk", "Clerk One", Role.CLERK)
    listing = BookingsPage(station)
    view = BookingView(station, clerk, booking_id)
    for widget in (listing, view):
        qtbot.addWidget(widget)
        widget.resize(1366, 768)
        widget.show()
    settle(qtbot)
    column = 5 + [c.title for c in LIST_COLUMNS].index("Alert")
    cell = listing.model.index(0, column)
    assert listing.model.data(cell) == "⚠ wrong person? name"
    assert view.alerts.isVisible()
    (alert,) = view.alerts.alerts
    shown = view.alerts.describe(alert)
    assert "HERNÁNDEZ,JOSÉ" in shown and "Nguyễn, Văn An" in shown and "The FBI's answer" in shown
    folder = os.environ.get("BOOKING_SCREENSHOTS")
    if folder:
        view.grab().save(str(Path(folder) / "wrong-person-alert.png"))
        listing.grab().save(str(Path(folder) / "bookings-wrong-person.png"))
    dialog = AcknowledgeDialog(shown)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing written, nothing to acknowledge
    dialog.text.setPlainText("Photo and ID compared: the FBI record is an alias; supervisor informed")
    assert ok.isEnabled()
    view.alerts.acknowledge(alert, dialog.note())
    settle(qtbot)
    assert not view.alerts.isVisible()
    assert listing.model.data(listing.model.index(0, column)) == ""
    (ack,) = [e for e in station.audit.events() if e.action == "alert.acknowledged"]
    assert ack.actor == "clerk" and ack.details["note_chars"] > 0
