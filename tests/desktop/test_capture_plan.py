"""The capture plan setting: tenprint or flats only (4-4-2), from the config to a queued CAR."""

from __future__ import annotations

import datetime as dt

import pytest
from outbox_helpers import synthetic_capture

import ebts
from booking_station.runtime import UserError
from desktop.station import config as config_module
from desktop.station.bookings import parse as parse_booking
from desktop.station.capture import LEFT_SLAP, RIGHT_SLAP, THUMBS, CapturePlan, CaptureWorkflow
from desktop.station.config import ConfigError
from desktop.station.models import BookingStatus, Role, Transaction


@pytest.fixture
def people(station):
    clerk = station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="test")
    boss = station.operators.add("super1", "fingerprint desk 1", Role.SUPERVISOR, actor="test")
    return clerk, boss


@pytest.fixture
def booking(station, booking_form, people) -> int:
    return station.bookings.create(parse_booking(booking_form(), dt.date.today()), actor="clerk1").id


def _flats_station(station) -> None:  # type: ignore[no-untyped-def]
    station.config = config_module.replace(station.config, capture_plan="flats")


def test_the_config_key_takes_tenprint_or_flats_and_names_itself_when_wrong() -> None:
    assert config_module.Config().capture_plan == "tenprint"
    assert config_module.from_mapping({"capture_plan": "Flats"}).capture_plan == "flats"
    with pytest.raises(ConfigError) as caught:
        config_module.from_mapping({"capture_plan": "rolled"})
    assert "capture_plan" in caught.value.problems
    assert "tenprint, flats" in str(caught.value) and "'rolled'" in str(caught.value)
    with pytest.raises(UserError, match="capture_plan"):
        CapturePlan.named("palm")


def test_the_workflow_follows_the_configured_plan(station, booking, people) -> None:
    assert CaptureWorkflow(station, booking, people[0]).plan.rolled
    _flats_station(station)
    wf = CaptureWorkflow(station, booking, people[0])
    assert [s.position for s in wf.steps] == [RIGHT_SLAP, LEFT_SLAP, THUMBS]
    with pytest.raises(UserError, match="not part of this capture plan"):
        wf.judge(synthetic_capture(2, 3))  # a rolled print is not part of a flats-only booking


def test_a_booking_with_rolled_prints_stays_tenprint_when_the_setting_changes(
    station, booking, booking_form, people
) -> None:
    CaptureWorkflow(station, booking, people[0], threshold=1).judge(synthetic_capture(2, 3))
    _flats_station(station)
    assert CaptureWorkflow(station, booking, people[0]).plan.rolled  # its rolled print is not dropped
    other = station.bookings.create(parse_booking(booking_form(), dt.date.today()), actor="clerk1").id
    assert not CaptureWorkflow(station, other, people[0]).plan.rolled


@pytest.mark.slow
def test_a_flats_only_booking_is_queued_as_a_valid_flats_car(station, booking, people) -> None:
    _flats_station(station)
    wf = CaptureWorkflow(station, booking, people[0], threshold=1)
    while (step := wf.next_step()) is not None:
        wf.judge(synthetic_capture(4, step.position))
    assert wf.blockers() == [] and wf.check_sequence() is None  # no rolled prints to compare
    wf.submit()
    assert station.bookings.get(booking).status is BookingStatus.QUEUED
    with station.store.session() as s:
        (row,) = s.query(Transaction).filter_by(booking_id=booking).all()
        tx = ebts.parse(row.ebts)
    assert ebts.validate(tx) == []
    by_fgp = {int(r.get(13)): r for r in tx.of_type(14)}
    assert sorted(by_fgp) == [13, 14, 15]
    segmented = sorted(int(s[0]) for fgp in (13, 14, 15) for s in by_fgp[fgp].subfields(21))
    assert segmented == list(range(1, 11))


def test_supervisor_chooses_the_plan_in_settings(qtbot, station, people, tmp_path, monkeypatch) -> None:
    from desktop.ui.settings_page import SettingsPage

    monkeypatch.setenv(config_module.CONFIG_ENV, str(tmp_path / "station.toml"))
    page = SettingsPage(station, people[1])
    qtbot.addWidget(page)
    assert page.capture_plan.currentData() == "tenprint"
    page.capture_plan.setCurrentIndex(page.capture_plan.findData("flats"))
    assert page.save()
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved"))
    assert station.config.capture_plan == "flats" == config_module.load().capture_plan
    assert station.audit.events(limit=1)[0].details["changed"] == {"capture_plan": "flats"}


def test_the_review_says_what_the_plan_holds(qtbot, station, booking, people) -> None:
    from desktop.ui.booking_pages import PageContext
    from desktop.ui.capture import CapturePage

    _flats_station(station)
    page = CapturePage(PageContext(station, people[0], booking, lambda: None))
    qtbot.addWidget(page)
    try:
        qtbot.waitUntil(lambda: page.review is not None)  # the session is read in the thread pool
        assert "flats only" in page.plan_label.text() and "flats only" in page.review.plan_label.text()
        assert sorted(page.review.tiles) == [RIGHT_SLAP, LEFT_SLAP, THUMBS]
        assert page.review.check_button.isHidden()
    finally:
        page.shutdown()


def test_supervisor_chooses_the_hold_rule_in_settings(qtbot, station, people, tmp_path, monkeypatch) -> None:
    """The detainer clock's holiday rule (issue 18.1) is a setting a supervisor sees and changes."""
    from desktop.ui.settings_page import SettingsPage

    monkeypatch.setenv(config_module.CONFIG_ENV, str(tmp_path / "station.toml"))
    page = SettingsPage(station, people[1])
    qtbot.addWidget(page)
    assert page.hold_holidays.currentData() == "federal"
    assert "Federal holidays" in page.hold_holidays.currentText()
    page.hold_holidays.setCurrentIndex(page.hold_holidays.findData("federal+state"))
    assert page.save()
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved"))
    assert station.config.hold_holidays == "federal+state" == config_module.load().hold_holidays
    assert station.audit.events(limit=1)[0].details["changed"] == {"hold_holidays": "federal+state"}
