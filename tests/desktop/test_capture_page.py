"""The Capture page with the virtual scanner: a full tenprint, retakes, an amputation, a sequence
error, and the scanner unplugged mid-capture. The page shows a capture session (tested without Qt
in test_capture_session.py) and redraws on its events."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_helpers import settle

from booking_station.fingers import LEFT_SLAP, RIGHT_SLAP, THUMBS
from desktop.station.bookings import parse
from desktop.station.capture import CapturePlan, CaptureWorkflow, StepState
from desktop.station.capture_gate import GateState
from desktop.station.messages import StationError
from desktop.station.models import BookingStatus, Role
from desktop.ui.booking_pages import PageContext
from desktop.ui.capture import CapturePage
from drivers.virtual import Fault, Timing, control
from matcher.sequence import FindingKind

WAIT = 60_000  # ms; generous for a loaded 2-core machine, never reached when things work
# Tests of the flow, not of quality: synthetic slaps' little fingers may score in the 20s (dry
# skin, as real ones do), which would ask for a retake the test is not about.
FLOW_ONLY = 10
# A whole plan (13 captures at the virtual scanner's real pace, each judged) or a sequence check
# (ten rolled prints against the slaps) with both cores busy elsewhere took over 60 s: the bound of
# a wait on many steps grows with them (it returns as soon as the condition holds).
PLAN_WAIT = 300_000


@pytest.fixture
def people(station):
    clerk = station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="test")
    boss = station.operators.add("super1", "fingerprint desk 1", Role.SUPERVISOR, actor="test")
    return clerk, boss


@pytest.fixture
def booking(station, booking_form, people):
    return station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1").id


@pytest.fixture
def scanner():
    ctl = control()
    ctl.reset()
    ctl.set_timing(Timing.fast())
    yield ctl
    ctl.reset()


@pytest.fixture
def make_page(qtbot, station, booking, people, scanner):
    pages = []

    def make(plan: CapturePlan | None = None, threshold: int | None = None) -> CapturePage:
        context = PageContext(station, people[0], booking, lambda: None)
        workflow = CaptureWorkflow(station, booking, people[0], plan=plan, threshold=threshold)
        page = CapturePage(context, workflow=workflow)
        page.advance_delay_ms = 0
        qtbot.addWidget(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()


def _wait_state(qtbot, page, position, *states, captures: int = 1) -> None:
    """Wait until the step is in one of `states`; the bound grows with the captures it takes."""
    qtbot.waitUntil(lambda: page.workflow.status(position).state in states, timeout=captures * WAIT)


def test_full_tenprint_is_captured_checked_and_submitted(qtbot, make_page, scanner, station, booking):
    scanner.present(31)
    page = make_page()
    page.show()
    qtbot.waitUntil(page.workflow.complete, timeout=PLAN_WAIT)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.review, timeout=WAIT)
    states = {s.step.position: s.state for s in page.workflow.statuses()}
    assert set(states.values()) == {StepState.CAPTURED}, states
    assert len(page.review.tiles) == 13  # two slaps, the two-thumb image, ten rolled
    assert page.timings and page.frame_times  # quality was shown for each capture; previews were painted
    # The sequence check runs by itself once all prints are taken; submit waits for it.
    qtbot.waitUntil(
        lambda: page.workflow.sequence is not None and not page.review.checking, timeout=PLAN_WAIT
    )
    report = page.workflow.sequence
    assert report.ok and len(report.confirmed) >= 8, report.summary()
    qtbot.waitUntil(page.review.submit_button.isEnabled, timeout=WAIT)  # the page redraws on the gate's event
    page.review.submit()
    qtbot.waitUntil(lambda: "queued for submission" in page.review.blockers_label.text(), timeout=WAIT)
    assert station.bookings.get(booking).status == BookingStatus.QUEUED  # handed to the outbox


def test_bad_capture_is_retaken_then_the_best_kept(qtbot, make_page, scanner):
    scanner.present(32, bandaged={2})  # a dressing over the right index: no ridges
    page = make_page()
    page.show()
    # Three attempts, each captured and judged, before the best is kept (at load 15 on 2 cores the
    # three took over 60 s once).
    _wait_state(qtbot, page, RIGHT_SLAP, StepState.LOW_QUALITY, StepState.CAPTURED, captures=3)
    status = page.workflow.status(RIGHT_SLAP)
    assert status.state is StepState.LOW_QUALITY and status.attempts == 3
    assert "best of 3 attempts" in str(status.note) and "right index" in str(status.note)
    assert status.finger_quality.get(2, 0) < page.workflow.threshold <= status.finger_quality[3]
    # The clerk saw the retake verdicts on the way.
    assert page.workflow.next_step().position == LEFT_SLAP


def test_amputated_finger(qtbot, make_page, scanner):
    scanner.present(33, missing={5})
    page = make_page(CapturePlan(rolled=True))
    page.annotate(5, "XX", "right little finger amputated")
    _wait_state(qtbot, page, 5, StepState.AMPUTATED)  # stored by the thread pool
    page.show()
    _wait_state(qtbot, page, RIGHT_SLAP, StepState.CAPTURED, StepState.LOW_QUALITY, StepState.RETAKE)
    status = page.workflow.status(RIGHT_SLAP)
    # Three fingers expected, three found (a synthetic finger's skin may still ask for a retake).
    assert sorted(status.finger_quality) == [2, 3, 4], status
    assert page.workflow.status(5).state is StepState.AMPUTATED
    page.shutdown()
    page.refresh()
    assert page.hand._status[5].state is StepState.AMPUTATED  # the hand diagram shows XX


def _run(qtbot, page, position: int) -> None:
    """Capture one step by hand (auto-advance off) and wait until it is judged."""
    # A capture's complaint shows before the capture has ended, and a start before its end is
    # refused: with both cores busy, a test that started at the complaint waited for nothing.
    qtbot.waitUntil(lambda: page.session.running is None, timeout=WAIT)
    before = page.workflow.status(position).attempts
    page.start_capture(page.workflow.step(position))
    qtbot.waitUntil(
        lambda: page.session.running is None and page.workflow.status(position).attempts > before,
        timeout=WAIT,
    )


def _take(qtbot, page, position: int) -> None:
    """Capture a step by hand until it is done: a synthetic finger may need a retake (or three, then
    the best is kept), as a real one does."""
    for _ in range(3):
        _run(qtbot, page, position)
        if page.workflow.status(position).state.done:
            return
    assert page.workflow.status(position).state.done, page.workflow.status(position)


def test_swapped_finger_is_caught_before_submission(qtbot, make_page, scanner, people):
    scanner.present(34)
    page = make_page(threshold=FLOW_ONLY)
    page.auto_advance = False  # steps are started by hand so the fault hits the right capture
    for f in (1, 2, 5, 6, 7, 8, 9, 10):  # keep the test short: only two rolled prints are taken
        page.session.override(
            f, "super1", "fingerprint desk 1", "test: only the right middle and ring are rolled"
        )
    page.show()
    qtbot.waitUntil(lambda: page.session.device is not None, timeout=WAIT)
    for position in (RIGHT_SLAP, LEFT_SLAP, THUMBS, 3):
        _take(qtbot, page, position)
    scanner.inject(Fault.WRONG_FINGER)  # the clerk rolls the little finger in the ring finger's place
    _run(qtbot, page, 4)
    assert page.workflow.complete()
    page.show_review()  # runs the sequence check by itself
    qtbot.waitUntil(
        lambda: page.workflow.sequence is not None and not page.review.checking, timeout=PLAN_WAIT
    )
    report = page.workflow.sequence
    assert not report.ok, report.summary()
    qtbot.waitUntil(page.review.redo_button.isVisible, timeout=WAIT)
    assert [(f.kind, f.fingers) for f in report.errors] == [(FindingKind.MISPLACED, (4,))], report.summary()
    assert "matches the flat right little" in report.errors[0].message
    assert (
        str(page.session.gate.blocking[0].message)
        == "rolled right ring matches the flat right little, not its own"
    )
    assert not page.review.submit_button.isEnabled()
    assert page.session.gate.state is GateState.BLOCKED and page.session.gate.flagged == {4}
    assert [b.code for b in page.workflow.blockers()] == ["capture.sequence-finding"]
    assert page.review.redo_button.isVisible() and page.review.override_button.isVisible()
    # Retaking the flagged finger clears it.
    page.review.redo_flagged()
    _wait_state(qtbot, page, 4, StepState.TODO)
    _run(qtbot, page, 4)
    page.show_review()  # runs the sequence check by itself
    qtbot.waitUntil(
        lambda: page.workflow.sequence is not None and not page.review.checking, timeout=PLAN_WAIT
    )
    assert page.workflow.sequence.ok, page.workflow.sequence.summary()
    qtbot.waitUntil(page.review.submit_button.isEnabled, timeout=WAIT)


def test_scanner_unplugged_mid_capture_keeps_the_booking(qtbot, make_page, scanner, station, booking, people):
    scanner.present(35)
    page = make_page(CapturePlan(rolled=False), threshold=FLOW_ONLY)
    page.auto_advance = False
    page.show()
    qtbot.waitUntil(lambda: page.session.device is not None, timeout=WAIT)
    _run(qtbot, page, RIGHT_SLAP)
    scanner.inject(Fault.UNPLUG)  # the cable comes out while the left hand is on the platen
    page.start_capture()
    qtbot.waitUntil(lambda: page.session.device is None and page.session.running is None, timeout=WAIT)
    # The page redraws on the session's event, a moment after the session's own state.
    qtbot.waitUntil(page.reconnect_button.isVisible, timeout=WAIT)
    assert "disconnected" in page.scanner_label.text()
    # The booking keeps what it had, also for a fresh look at the store.
    fresh = CaptureWorkflow(station, booking, people[0], plan=CapturePlan(rolled=False), threshold=FLOW_ONLY)
    assert fresh.status(RIGHT_SLAP).state is StepState.CAPTURED
    assert fresh.status(LEFT_SLAP).state is StepState.TODO
    # Plug it back in and reconnect: capture continues by itself where it stopped.
    scanner.plug()
    page.auto_advance = True
    page.reconnect_button.click()
    qtbot.waitUntil(page.workflow.complete, timeout=PLAN_WAIT)
    assert page.workflow.status(RIGHT_SLAP).attempts == 1  # nothing was taken twice
    assert page.workflow.status(LEFT_SLAP).state is StepState.CAPTURED
    qtbot.waitUntil(lambda: not page.reconnect_button.isVisible(), timeout=WAIT)


def test_guidance_follows_the_finger_status():
    from desktop.station.capture import CapturePlan
    from desktop.ui.capture import guidance
    from drivers.api import FingerStatus, FingerStatusChanged, ScannerState

    right, rolled = CapturePlan().steps()[0], CapturePlan().steps()[5]
    assert guidance(right, None, None)[0] == "Place the RIGHT four fingers flat on the platen"
    assert guidance(rolled, None, None)[0] == "Roll the right middle nail edge to nail edge"
    assert guidance(right, FingerStatusChanged(FingerStatus.TOO_LIGHT), None) == ("Press harder", "warn")
    assert guidance(right, FingerStatusChanged(FingerStatus.OFF_CENTRE), None)[0].startswith("Centre")
    wrong = guidance(right, FingerStatusChanged(FingerStatus.WRONG_FINGER_COUNT, 3), None)
    assert wrong == ("4 fingers expected (3 seen)", "warn")
    assert guidance(right, FingerStatusChanged(FingerStatus.PRESENT), ScannerState.AWAIT_FINGER_OFF)[0] == (
        "Lift the fingers"
    )


def test_clicking_the_hand_diagram_picks_the_next_capture(qtbot, make_page, scanner):
    from PySide6.QtCore import QPoint, Qt

    scanner.present(36)
    page = make_page()
    page.auto_advance = False
    page.show()
    qtbot.waitUntil(lambda: page.session.device is not None, timeout=WAIT)
    page.resize(1200, 800)
    rect = page.hand._rect(7)  # left index
    qtbot.mouseClick(
        page.hand, Qt.MouseButton.LeftButton, pos=QPoint(int(rect.center().x()), int(rect.center().y()))
    )
    qtbot.waitUntil(
        lambda: page.workflow.status(7).attempts == 1 and page.session.running is None, timeout=WAIT
    )
    assert page.workflow.status(7).state is StepState.CAPTURED
    assert page.workflow.status(RIGHT_SLAP).state is StepState.TODO  # only the picked finger was taken


def test_a_scanner_without_slap_mode_is_named_not_driven(qtbot, station, booking, people, scanner):
    import dataclasses

    from drivers.api import CaptureMode
    from drivers.virtual import VirtualScanner

    class SingleFinger(VirtualScanner):
        """The virtual scanner claiming only plain single-finger captures, like a small USB sensor."""

        def info(self):
            return dataclasses.replace(super().info(), modes=(CaptureMode.PLAIN,), model="one-finger sensor")

    context = PageContext(station, people[0], booking, lambda: None)
    page = CapturePage(context, open_scanner=SingleFinger)
    qtbot.addWidget(page)
    page.show()
    try:
        qtbot.waitUntil(lambda: "cannot take right-slap captures" in page.scanner_label.text(), timeout=WAIT)
        assert page.session.running is None
        assert page.workflow.status(RIGHT_SLAP).attempts == 0
    finally:
        page.shutdown()


def test_another_persons_rolled_prints_block_submission_until_a_supervisor_overrides(
    qtbot, make_page, scanner, station, people
):
    """Slaps of one person, rolled prints of another: an error that blocks, not warnings."""
    scanner.present(37)
    page = make_page()
    page.auto_advance = False
    for f in (1, 5, 6, 7, 8, 9, 10):  # keep the test short: three rolled prints are taken
        page.session.override(f, "super1", "fingerprint desk 1", "test: only three rolled prints")
    page.show()
    qtbot.waitUntil(lambda: page.session.device is not None, timeout=WAIT)
    for position in (RIGHT_SLAP, LEFT_SLAP, THUMBS):
        _take(qtbot, page, position)
    scanner.present(38)  # another person at the platen for the rolled prints
    for position in (2, 3, 4):
        _take(qtbot, page, position)
    page.show_review()
    qtbot.waitUntil(lambda: page.workflow.sequence is not None and not page.review.checking, timeout=WAIT)
    gate = page.session.gate
    assert gate.state is GateState.BLOCKED
    assert [(f.kind, f.fingers) for f in gate.blocking] == [("other-person", (2, 3, 4))]
    assert gate.flagged == {2, 3, 4}
    assert "may be of different people" in str(gate.blocking[0].message)
    qtbot.waitUntil(page.review.override_button.isVisible, timeout=WAIT)
    assert not page.review.submit_button.isEnabled()
    # The flagged fingers are marked on their tiles (repainted when the check's answer arrives,
    # which may come after the gate's buttons: waited for, not read at once).
    qtbot.waitUntil(
        lambda: all(
            "flagged by the sequence check" in page.review.tiles[p].caption.text() for p in (2, 3, 4)
        ),
        timeout=WAIT,
    )
    assert "flagged" not in page.review.tiles[RIGHT_SLAP].caption.text()
    folder = os.environ.get("BOOKING_SCREENSHOTS")
    if folder:  # docs/screenshots/capture-other-person-blocked.png
        page.resize(1366, 768)
        settle(qtbot)
        page.grab().save(str(Path(folder) / "capture-other-person-blocked.png"))
    checked = [e for e in station.audit.events() if e.action == "capture.sequence"]
    assert checked[0].details["ok"] is False
    with pytest.raises(StationError) as no_reason:
        page.session.override_sequence("super1", "fingerprint desk 1", "   ")  # a written reason is required
    assert no_reason.value.message.code == "capture.sequence-override-reason"
    page.session.override_sequence(
        "super1", "fingerprint desk 1", "identity confirmed by photo; scanner platen swap"
    )
    assert page.session.gate.state is GateState.OVERRIDDEN
    page.review.update_gate()
    assert page.review.submit_button.isEnabled()
    override = [e for e in station.audit.events() if e.action == "capture.sequence-override"][0]
    assert override.actor == "super1" and "photo" in override.details["reason"]


def test_a_finger_that_cannot_be_printed_is_marked_in_one_step(qtbot, make_page, scanner):
    """Issue 22, broken 2: with the little finger missing, the clerk marks it XX from the slap step
    without picking it on the hand diagram first (which started a capture that could only fail)."""
    scanner.present(50, missing={5})
    page = make_page(CapturePlan(rolled=True))
    page.auto_advance = False
    page.show()
    qtbot.waitUntil(lambda: page.session.device is not None, timeout=WAIT)
    assert page.session.current_step().position == RIGHT_SLAP
    qtbot.mouseClick(page.annotate_button, Qt.MouseButton.LeftButton)
    dialog = page.annotate_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.finger.currentData() == 2  # the first finger of the slap on the platen
    dialog.finger.setCurrentIndex(dialog.finger.findData(5))
    qtbot.keyClicks(dialog.reason, "amputated at the first joint")
    qtbot.mouseClick(dialog.buttons["XX"], Qt.MouseButton.LeftButton)
    _wait_state(qtbot, page, 5, StepState.AMPUTATED)
    assert page.workflow.status(5).attempts == 0  # no capture of a finger that is not there
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: 5 in page.session.missing_fingers(), timeout=WAIT)
    # Marked fingers are not offered again.
    qtbot.mouseClick(page.annotate_button, Qt.MouseButton.LeftButton)
    assert page.annotate_dialog.finger.findData(5) == -1
    page.annotate_dialog.reject()


def test_a_capture_message_goes_when_the_next_capture_starts(qtbot, make_page, scanner):
    """Issue 22: "saw 1 finger(s) where 2 were expected" stayed through later prints. What a capture
    said about itself goes when the next capture starts."""
    from PySide6.QtWidgets import QLabel

    scanner.present(37)
    page = make_page(CapturePlan(rolled=False))
    page.auto_advance = False
    page.show()
    qtbot.waitUntil(lambda: page.session.device is not None, timeout=WAIT)
    page.session.cancel()
    qtbot.waitUntil(lambda: page.session.running is None, timeout=WAIT)
    scanner.inject(Fault.FATAL)  # a capture that ends with the scanner's own complaint
    page.start_capture(page.workflow.step(THUMBS))

    def said() -> str:
        words = [w.text() + " " + w.toolTip() for w in page.capture_screen.findChildren(QLabel)]
        return " ".join(words + [page.view._banner])

    qtbot.waitUntil(lambda: "try again" in said(), timeout=WAIT)
    complaint = page.scanner_label.text()
    _run(qtbot, page, THUMBS)  # the next capture of the step
    assert complaint.split(" — ")[0] not in said()
    assert "ppi" in page.scanner_label.text()  # the scanner line is back


def test_quality_shows_as_a_large_traffic_light_per_finger(qtbot, make_page, scanner):
    """Issue 22: quality showed as small numbers. Each finger of the step gets a large light:
    green at or above the threshold, amber kept below it, red to retake; grey not taken yet."""
    from desktop.ui.capture import traffic_light

    assert traffic_light(None, 40, StepState.TODO) == "grey"
    assert traffic_light(80, 40, StepState.CAPTURED) == "green"
    assert traffic_light(20, 40, StepState.RETAKE) == "red"
    assert traffic_light(20, 40, StepState.LOW_QUALITY) == "amber"
    scanner.present(38)
    page = make_page(CapturePlan(rolled=False))
    page.auto_advance = False
    page.show()
    qtbot.waitUntil(lambda: page.session.device is not None, timeout=WAIT)
    assert set(page.lights().values()) == {"grey"} and sorted(page.lights()) == [2, 3, 4, 5]
    _run(qtbot, page, RIGHT_SLAP)
    page._update_side(page.workflow.step(RIGHT_SLAP))  # the slap just taken, as the side panel shows it
    assert "grey" not in page.lights().values()
    status = page.workflow.status(RIGHT_SLAP)
    for finger, light in page.lights().items():
        assert light == traffic_light(
            status.finger_quality.get(finger), page.workflow.threshold, status.state
        )
    assert page.quality_label.font().pointSizeF() > page.attempt_label.font().pointSizeF()


def test_a_dirty_platen_asks_for_cleaning_until_a_clean_capture(qtbot, make_page, scanner):
    """Issue 22: a dirty platen showed red spots but no "clean the platen" and still scored 100.
    The capture is flagged for a retake (quality is fine inside the fingers), the page says to clean
    the platen and outlines the residue; once cleaned, the next capture is accepted and it goes."""
    scanner.present(38)
    page = make_page(CapturePlan(rolled=False), threshold=FLOW_ONLY)
    page.auto_advance = False
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: page.session.device is not None, timeout=WAIT)
    page.session.cancel()
    qtbot.waitUntil(lambda: page.session.running is None, timeout=WAIT)
    scanner.make_dirty()
    _run(qtbot, page, RIGHT_SLAP)
    qtbot.waitUntil(lambda: page.last_attempt is not None, timeout=WAIT)  # the page got the verdict's event
    attempt = page.last_attempt
    assert attempt.dirty_platen and [p.code for p in attempt.problems][0] == "capture.dirty-platen"
    assert attempt.quality >= FLOW_ONLY  # the fingers themselves are fine: the platen is not
    assert page.workflow.status(RIGHT_SLAP).state is StepState.RETAKE
    assert page.platen_label.isVisible() and "Clean the platen" in page.platen_label.text()
    assert "clean the platen" in page.view._banner
    assert "residue" in [label for label, _points, _good in page.view._polygons]
    folder = os.environ.get("BOOKING_SCREENSHOTS")
    if folder:  # docs/screenshots/capture-clean-the-platen.png
        page.resize(1366, 768)
        settle(qtbot)
        page.grab().save(str(Path(folder) / "capture-clean-the-platen.png"))

    scanner.clean()
    _run(qtbot, page, RIGHT_SLAP)
    qtbot.waitUntil(lambda: page.last_attempt is not attempt, timeout=WAIT)
    assert not page.last_attempt.dirty_platen
    assert not page.platen_label.isVisible()
    assert "residue" not in [label for label, _points, _good in page.view._polygons]


def test_closing_a_booking_mid_capture_does_not_wait_for_the_scanner(
    qtbot, make_page, scanner, station, booking_form, people, monkeypatch
):
    """The scanner is slow to hand over a frame (a transfer a cancel cannot cut short) when the clerk's
    booking closes: the close returns while the capture's thread is still in the driver. The next
    booking's Capture page says it waits for the scanner, opens it once the first has let it go,
    and captures."""
    from drivers import registry

    scanner.present(36)
    scanner.hold_frames()
    first = make_page(CapturePlan(rolled=False), threshold=FLOW_ONLY)
    first.show()
    assert scanner.wait_frame_held(WAIT / 1000), "the capture never reached the scanner"
    session = first.session
    assert session.running is not None

    first.close()  # the booking view closes: the page's closeEvent stops its session
    assert session.running is not None and not session.ended  # returned with the driver still busy

    first_ended_at_open: list[bool] = []
    real_open = registry.open_device

    def open_device(device_id: str):
        first_ended_at_open.append(session.ended)
        return real_open(device_id)

    monkeypatch.setattr(registry, "open_device", open_device)
    other = station.bookings.create(parse(booking_form(surname="Second"), dt.date.today()), actor="clerk1").id
    context = PageContext(station, people[0], other, lambda: None)
    workflow = CaptureWorkflow(station, other, people[0], plan=CapturePlan(rolled=False), threshold=FLOW_ONLY)
    second = CapturePage(context, workflow=workflow)
    qtbot.addWidget(second)
    second.advance_delay_ms = 0
    second.show()
    qtbot.waitUntil(lambda: "Waiting for the scanner" in second.scanner_label.text(), timeout=WAIT)
    assert first_ended_at_open == [] and second.session.device is None
    # Said where the clerk looks (the preview's banner, not only the small device line), and no
    # "Reconnect scanner" offered: nothing is wrong with the scanner, it is still busy.
    assert "Waiting for the scanner" in second.view._banner
    assert second.reconnect_button.isHidden()
    scanner.release_frames()
    try:
        qtbot.waitUntil(lambda: second.workflow.status(RIGHT_SLAP).attempts >= 1, timeout=WAIT)
        assert first_ended_at_open == [True]  # opened only after the first session had closed it
        assert "Waiting for the scanner" not in second.view._banner
        assert (
            session.ended and session.status(RIGHT_SLAP).attempts == 0
        )  # the cancelled capture stored nothing
    finally:
        second.shutdown()
