"""The virtual scanner: the capture state machine, ground truth in results, and every scripted fault."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from drivers import registry
from drivers.api import (
    FINGER_MISSING,
    WRONG_FINGER_COUNT,
    CaptureMode,
    CaptureResult,
    FingerPosition,
    FingerStatus,
    FingerStatusChanged,
    PreviewFrame,
    ScannerError,
    ScannerState,
    ScannerUnavailable,
    StateChanged,
)
from drivers.virtual import Fault, Timing, VirtualControl, VirtualScanner

RIGHT_FOUR = [
    FingerPosition.RIGHT_INDEX,
    FingerPosition.RIGHT_MIDDLE,
    FingerPosition.RIGHT_RING,
    FingerPosition.RIGHT_LITTLE,
]


@pytest.fixture
def ctl() -> VirtualControl:
    c = VirtualControl()
    c.set_timing(Timing.fast())
    c.present(31)
    return c


@pytest.fixture
def scanner(ctl: VirtualControl):
    s = VirtualScanner(ctl, serve_socket=False)
    s.open()
    yield s
    s.close()


def _plain(scanner: VirtualScanner, finger: FingerPosition = FingerPosition.RIGHT_INDEX) -> list:
    return list(scanner.capture(CaptureMode.PLAIN, [finger]))


def _skeleton(events: list) -> list:
    """The events other than preview frames, as comparable values."""
    out = []
    for e in events:
        if isinstance(e, StateChanged):
            out.append(e.state)
        elif isinstance(e, FingerStatusChanged):
            out.append(e.status)
        elif isinstance(e, (CaptureResult, ScannerError)):
            out.append(type(e))
    return out


def _statuses(events: list) -> list[FingerStatusChanged]:
    return [e for e in events if isinstance(e, FingerStatusChanged)]


def test_registry_always_lists_and_opens_the_virtual_scanner() -> None:
    ids = [d.id for d in registry.list_devices()]
    assert "virtual" in ids
    device = registry.open_device("virtual")
    assert isinstance(device, VirtualScanner)
    assert set(device.info().modes) == set(CaptureMode)
    with pytest.raises(ScannerUnavailable, match="virtual"):
        registry.open_device("no-such-scanner")


def test_plain_capture_follows_the_state_machine(scanner: VirtualScanner) -> None:
    events = _plain(scanner)
    assert _skeleton(events) == [
        ScannerState.AWAIT_FINGER_ON,
        FingerStatus.NONE,
        ScannerState.CAPTURE,
        FingerStatus.TOO_LIGHT,
        FingerStatus.PRESENT,
        ScannerState.AWAIT_FINGER_OFF,
        FingerStatus.NONE,
        ScannerState.IDLE,
        CaptureResult,
    ]
    frames = [e for e in events if isinstance(e, PreviewFrame)]
    assert len(frames) >= 5 and all(f.image.dtype == np.uint8 for f in frames)
    # The preview shows the finger arriving: the first frame is the empty platen, later ones hold ridges.
    assert frames[0].image.std() < frames[len(frames) // 2].image.std()
    result = events[-1]
    assert result.finger_positions == (FingerPosition.RIGHT_INDEX,)
    assert result.ppi == 500 and result.image.dtype == np.uint8
    truth = result.metadata["ground_truth"]
    assert result.metadata["subject_id"] == 31 and truth["subject_id"] == 31 and truth["finger"] == 2
    assert len(truth["minutiae"]) > 10


def test_results_are_reproducible_from_subject_and_seed(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.set_seed(7)
    a = _plain(scanner)[-1]
    b = _plain(scanner)[-1]
    ctl.set_seed(7)
    c = _plain(scanner)[-1]
    assert a.metadata["seed"] == 7 and b.metadata["seed"] == 8
    assert np.array_equal(a.image, c.image)
    assert not np.array_equal(a.image, b.image)


def test_right_slap_result_holds_four_right_fingers_in_order(scanner: VirtualScanner) -> None:
    result = list(scanner.capture(CaptureMode.RIGHT_SLAP, RIGHT_FOUR))[-1]
    assert isinstance(result, CaptureResult)
    assert [f["finger"] for f in result.metadata["fingers"]] == [2, 3, 4, 5]
    assert result.finger_positions == tuple(RIGHT_FOUR)
    lefts = [f["box"][0] for f in result.metadata["fingers"]]
    assert lefts == sorted(lefts)


def test_rolled_preview_lays_the_print_down_left_to_right(scanner: VirtualScanner) -> None:
    events = list(scanner.capture(CaptureMode.ROLLED, [FingerPosition.LEFT_THUMB]))
    assert isinstance(events[-1], CaptureResult)
    assert events[-1].metadata["ground_truth"]["kind"] == "rolled"
    frames = [e.image for e in events if isinstance(e, PreviewFrame)]

    # Some frame during the roll has ridges on the left half and an empty right half.
    def spread(img: np.ndarray, half: slice) -> float:
        return float(img[:, half].std())

    w = frames[0].shape[1]
    assert any(spread(f, slice(0, w // 2)) > 2 * spread(f, slice(w // 2 + 60, w)) for f in frames)


def test_retry_fault_then_usable(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.inject(Fault.RETRY)
    events = _plain(scanner)
    assert FingerStatus.OFF_CENTRE in [e.status for e in _statuses(events)]
    assert isinstance(events[-1], ScannerError) and events[-1].retryable and not events[-1].device_gone
    assert isinstance(_plain(scanner)[-1], CaptureResult)


def test_fatal_fault_then_usable(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.inject("fatal")
    last = _plain(scanner)[-1]
    assert isinstance(last, ScannerError) and not last.retryable and not last.device_gone
    assert isinstance(_plain(scanner)[-1], CaptureResult)


def test_unplug_during_capture_then_replug(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.inject(Fault.UNPLUG)
    events = _plain(scanner)
    assert isinstance(events[-1], ScannerError) and events[-1].device_gone
    assert ScannerState.CAPTURE in _skeleton(events)  # it went away mid-capture, not before
    again = _plain(scanner)
    assert isinstance(again[-1], ScannerError) and again[-1].device_gone
    with pytest.raises(ScannerUnavailable, match="unplugged"):
        scanner.open()
    ctl.plug()
    scanner.open()
    assert isinstance(_plain(scanner)[-1], CaptureResult)


def test_slow_fault_paces_frames_at_the_slowed_rate(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.set_timing(fps=200.0, slow_factor=5.0)
    ctl.inject(Fault.SLOW)
    events = _plain(scanner)
    assert isinstance(events[-1], CaptureResult) and events[-1].metadata["faults"] == ["slow"]
    stamps = [e.timestamp for e in events if isinstance(e, PreviewFrame)]
    # Frames go out at least 0.9 of a slowed period apart, however busy the machine is.
    assert min(b - a for a, b in zip(stamps, stamps[1:], strict=False)) >= 0.9 * 5.0 / 200.0 * 0.99


def test_dirty_platen_darkens_until_cleaned(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.set_seed(3)
    clean = _plain(scanner)[-1]
    ctl.make_dirty()
    ctl.set_seed(3)
    dirty = _plain(scanner)[-1]
    assert dirty.metadata["dirty_platen"] is True
    assert dirty.image.mean() < clean.image.mean() - 1.0
    ctl.clean()
    ctl.set_seed(3)
    assert np.array_equal(_plain(scanner)[-1].image, clean.image)


def test_wrong_hand_fault_puts_the_left_hand_down(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.inject(Fault.WRONG_HAND)
    result = list(scanner.capture(CaptureMode.RIGHT_SLAP, RIGHT_FOUR))[-1]
    assert isinstance(result, CaptureResult)
    assert [f["finger"] for f in result.metadata["fingers"]] == [10, 9, 8, 7]
    assert result.metadata["ground_truth"]["hand"] == "left"


def test_wrong_finger_fault_single_finger(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.inject(Fault.WRONG_FINGER)
    result = _plain(scanner, FingerPosition.RIGHT_MIDDLE)[-1]
    assert result.finger_positions == (FingerPosition.RIGHT_MIDDLE,)  # what was asked for
    assert result.metadata["ground_truth"]["finger"] == 4  # what was put down


@pytest.mark.parametrize(("fault", "seen"), [(Fault.TOO_MANY, 5), (Fault.TOO_FEW, 3)])
def test_wrong_finger_count_is_reported_and_not_auto_captured(
    ctl: VirtualControl, scanner: VirtualScanner, fault: Fault, seen: int
) -> None:
    ctl.inject(fault)
    events = list(scanner.capture(CaptureMode.RIGHT_SLAP, RIGHT_FOUR))
    wrong = [e for e in _statuses(events) if e.status is FingerStatus.WRONG_FINGER_COUNT]
    assert wrong and wrong[0].finger_count == seen
    assert isinstance(events[-1], ScannerError) and events[-1].retryable
    assert "expected" in events[-1].message
    assert isinstance(list(scanner.capture(CaptureMode.RIGHT_SLAP, RIGHT_FOUR))[-1], CaptureResult)


def test_trigger_captures_a_wrong_count_when_the_operator_accepts_it(
    ctl: VirtualControl, scanner: VirtualScanner
) -> None:
    ctl.set_timing(patience_s=30.0)
    ctl.inject(Fault.TOO_FEW)
    events = []
    for e in scanner.capture(CaptureMode.RIGHT_SLAP, RIGHT_FOUR):
        events.append(e)
        if isinstance(e, FingerStatusChanged) and e.status is FingerStatus.WRONG_FINGER_COUNT:
            assert ctl.trigger()  # the operator's manual-capture key, through the control
    assert isinstance(events[-1], CaptureResult)
    assert len(events[-1].metadata["fingers"]) == 3


def test_amputated_finger_left_out_matches_the_expected_count(
    ctl: VirtualControl, scanner: VirtualScanner
) -> None:
    ctl.present(31, missing={4}, bandaged={5})
    asked = [FingerPosition.RIGHT_INDEX, FingerPosition.RIGHT_MIDDLE, FingerPosition.RIGHT_LITTLE]
    events = list(scanner.capture(CaptureMode.RIGHT_SLAP, asked))
    assert [e.status for e in _statuses(events)][2] is FingerStatus.PRESENT
    result = events[-1]
    assert [f["finger"] for f in result.metadata["fingers"]] == [2, 3, 5]
    truth = result.metadata["ground_truth"]
    assert truth["missing"] == [4] and truth["bandaged"] == [5]
    # A bandaged finger on its own: a print without ridges, and no minutiae in the ground truth.
    bandaged = _plain(scanner, FingerPosition.RIGHT_LITTLE)[-1]
    assert bandaged.metadata["ground_truth"]["bandaged"] is True
    assert bandaged.metadata["ground_truth"]["minutiae"] == []
    # Asking for an amputated finger on its own ends with a clear, non-retryable error.
    last = _plain(scanner, FingerPosition.RIGHT_RING)[-1]
    assert isinstance(last, ScannerError) and "amputated" in last.message
    # ... that says so in a code the capture workflow can act on (mark it XX) without parsing words.
    assert (last.code, last.fingers, last.retryable) == (FINGER_MISSING, (4,), False)


def test_a_slap_with_a_finger_never_put_down_ends_with_a_coded_error(
    ctl: VirtualControl, scanner: VirtualScanner
) -> None:
    ctl.present(31, missing={4})
    events = list(scanner.capture(CaptureMode.RIGHT_SLAP, RIGHT_FOUR))  # the ring finger asked for
    error = events[-1]
    assert isinstance(error, ScannerError) and error.retryable and error.code == WRONG_FINGER_COUNT


def test_cancel_from_another_thread_ends_promptly(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.set_timing(Timing())  # real pacing: the capture would take seconds
    ctl.set_auto(False)  # and the person never places a finger
    events = []
    for e in scanner.capture(CaptureMode.PLAIN, [FingerPosition.RIGHT_INDEX]):
        events.append(e)
        if isinstance(e, PreviewFrame):
            threading.Thread(target=scanner.cancel).start()
    assert events[-1] == StateChanged(ScannerState.IDLE)
    assert not any(isinstance(e, CaptureResult) for e in events)


def test_manual_finger_control(ctl: VirtualControl, scanner: VirtualScanner) -> None:
    ctl.set_auto(False)
    events = []
    for e in scanner.capture(CaptureMode.PLAIN, [FingerPosition.RIGHT_INDEX]):
        events.append(e)
        if e == StateChanged(ScannerState.AWAIT_FINGER_ON):
            ctl.finger_on()
        if e == StateChanged(ScannerState.AWAIT_FINGER_OFF):
            ctl.finger_off()
    assert isinstance(events[-1], CaptureResult)


def test_capture_before_open_is_an_error(ctl: VirtualControl) -> None:
    s = VirtualScanner(ctl, serve_socket=False)
    last = list(s.capture(CaptureMode.PLAIN, [FingerPosition.RIGHT_INDEX]))[-1]
    assert isinstance(last, ScannerError) and "not open" in last.message


def test_the_chosen_subject_is_remembered_for_the_next_start(caplog: pytest.LogCaptureFixture) -> None:
    """Issue 22: the virtual subject reset to 1 at every start, so a demo's first prints were subject 1's."""
    from drivers.virtual._control import state_file

    first_run = VirtualControl(remember=True)
    assert not first_run.subject_chosen and first_run.subject.subject_id == 1
    first_run.present(42, missing={5})
    next_run = VirtualControl(remember=True)  # the station started again
    assert next_run.subject_chosen
    assert (next_run.subject.subject_id, next_run.subject.missing) == (42, frozenset({5}))
    next_run.reset()  # back to defaults forgets it
    assert not VirtualControl(remember=True).subject_chosen
    state_file().write_text("{not json")
    with caplog.at_level("WARNING"):
        assert VirtualControl(remember=True).subject.subject_id == 1
    assert "ignoring" in caplog.text


def test_the_scanner_says_who_is_at_the_platen(ctl: VirtualControl, caplog: pytest.LogCaptureFixture) -> None:
    scanner = VirtualScanner(ctl, serve_socket=False)
    assert (scanner.info().subject, scanner.info().subject_chosen) == (31, True)
    unchosen = VirtualScanner(VirtualControl(), serve_socket=False)
    assert (unchosen.info().subject, unchosen.info().subject_chosen) == (1, False)
    with caplog.at_level("WARNING"):
        unchosen.open()
    assert "nobody chose a subject" in caplog.text
    unchosen.close()
