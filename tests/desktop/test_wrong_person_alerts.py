"""Wrong-person alerts: an answer or a detainer naming someone other than the person booked."""

from __future__ import annotations

import json

import pytest
from outbox_helpers import FakeBackend, add_booking_with_prints
from sqlalchemy import text

import ebts
from desktop.station.core import Station
from desktop.station.messages import StationError

ORI = "VA0000000"


def _sent(station: Station, booking_form, **form) -> tuple[int, str, FakeBackend]:
    backend = FakeBackend()
    booking_id = add_booking_with_prints(station, booking_form(**form))
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    station.outbox.send_due(backend.client())
    return booking_id, tcn, backend


def _sre(tcn: str, name: str) -> bytes:
    return ebts.build_sre(recipient_ori=ORI, request_tcn=tcn, identified=True, fbi_number="123456AB7",
                          name=name, rap_sheet=[])  # fmt: skip


def _detainer(tcn: str, name: str, dob: str) -> bytes:
    doc = {"detainer_id": "D-7", "tcn": tcn, "ori": ORI, "hold_limit_hours": 48, "notice_languages": ["en"],
           "subject": {"name": name, "dob": dob, "sex": "M"}}  # fmt: skip
    return json.dumps(doc).encode()


def _actions(station: Station, action: str) -> list:
    return [e for e in station.audit.events() if e.action == action]


def test_an_identification_naming_the_booked_person_in_plain_letters_raises_nothing(station, booking_form):
    booking_id, tcn, backend = _sent(station, booking_form)  # booked as Nguyễn, Văn An, born 1990-01-02
    backend.post(tcn, "SRE", _sre(tcn, "NGUYEN,VAN AN"))
    backend.post(tcn, "DETAINER", _detainer(tcn, "NGUYEN, VAN AN", "1990-01-02"), "application/json")
    station.responses.poll(backend.client(), ORI)
    assert station.alerts.for_booking(booking_id) == []
    assert _actions(station, "alert.raised") == []


def test_an_identification_naming_another_person_raises_an_alert_until_acknowledged(station, booking_form):
    booking_id, tcn, backend = _sent(station, booking_form)
    backend.post(tcn, "SRE", _sre(tcn, "HERNÁNDEZ,JOSÉ"))
    station.responses.poll(backend.client(), ORI)
    (alert,) = station.alerts.open_for([booking_id])[booking_id]
    assert alert.kind == "wrong_person" and alert.fields == ("name",)
    assert (
        alert.response_kind == "SRE" and alert.named == "HERNÁNDEZ,JOSÉ" and alert.booked == "Nguyễn, Văn An"
    )
    (raised,) = _actions(station, "alert.raised")
    assert raised.details["kind"] == "wrong_person" and raised.details["fields"] == ["name"]
    assert raised.subject.startswith("booking:") and raised.actor == "mailbox"
    with pytest.raises(StationError) as no_note:
        station.alerts.acknowledge(alert.id, "clerk1", "  ")
    assert no_note.value.message.code == "alert.note-required"
    done = station.alerts.acknowledge(alert.id, "clerk1", "FBI number belongs to an alias; supervisor told")
    assert not done.open and done.acknowledged_by == "clerk1"
    assert station.alerts.open_for([booking_id]) == {}
    assert done.note == "FBI number belongs to an alias; supervisor told"
    with station.store.session() as s:  # at rest the note (it may name people) is sealed
        stored = s.execute(text("SELECT note FROM alerts")).scalar_one()
    assert stored.startswith("sealed:") and "alias" not in stored
    (ack,) = _actions(station, "alert.acknowledged")
    assert ack.actor == "clerk1" and ack.details["fields"] == ["name"] and ack.details["note_chars"] > 0
    with pytest.raises(StationError) as twice:
        station.alerts.acknowledge(alert.id, "clerk2", "again")
    assert twice.value.message.code == "alert.already-acknowledged"


def test_a_detainer_with_another_date_of_birth_raises_an_alert(station, booking_form):
    booking_id, tcn, backend = _sent(station, booking_form, date_of_birth="1979-06-15")
    backend.post(tcn, "DETAINER", _detainer(tcn, "NGUYEN, VAN AN", "1975-06-15"), "application/json")
    station.responses.poll(backend.client(), ORI)
    (alert,) = station.alerts.for_booking(booking_id)
    assert alert.fields == ("date_of_birth",) and alert.response_kind == "DETAINER"
    assert (alert.named_birth, alert.booked_birth) == ("1975-06-15", "1979-06-15")
    # The same message listed again (a lost acknowledgement) raises nothing more.
    station.responses.poll(backend.client(), ORI)
    assert len(station.alerts.for_booking(booking_id)) == 1


def test_the_lists_alert_column_opens_no_sealed_value(station, booking_form, monkeypatch):
    """The bookings list reloads the column on a worker thread holding the interpreter lock: it reads
    which facts the open alerts dispute, not the answers' bodies nor the booked person's details."""
    from desktop.ui.alert_banner import alert_column

    booking_id, tcn, backend = _sent(station, booking_form)
    backend.post(tcn, "SRE", _sre(tcn, "HERNÁNDEZ,JOSÉ"))
    station.responses.poll(backend.client(), ORI)
    sealer = station.store.engine.dialect.booking_sealer
    opened: list[bytes] = []
    real = sealer.open_value
    monkeypatch.setattr(
        sealer, "open_value", lambda value, context: opened.append(context) or real(value, context)
    )
    assert alert_column(station, [booking_id]) == {booking_id: ("name",)}
    assert opened == []
    monkeypatch.undo()
    (alert,) = station.alerts.open_for([booking_id])[booking_id]
    station.alerts.acknowledge(alert.id, "clerk1", "checked the FBI number")
    assert alert_column(station, [booking_id]) == {}
