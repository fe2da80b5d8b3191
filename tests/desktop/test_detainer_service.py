"""The station's detainer service: arrival through the mailbox hook, the clock, outcomes, the
served copy and its audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from booking_station.runtime import UserError
from desktop.station.bookings import parse
from desktop.station.config import replace
from desktop.station.detainers.service import Outcome
from desktop.station.models import BookingStatus, DetainerStatus, Transaction
from desktop.station.outbox_client import Message

NY = ZoneInfo("America/New_York")
DOCUMENT = {
    "detainer_id": "d-0001",
    "form": "I-247",
    "form_version": "I-247A",
    "tcn": "T1",
    "lodged_at": "2012-12-21T14:00:00Z",
    "issuing_office": {"name": "ICE ERO Washington Field Office"},
    "notice_languages": ["en", "vi", "zh", "xx"],
}


@pytest.fixture
def booking(station, booking_form):
    record = station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1")
    return record


_CURSORS = itertools.count(1)


class _Mailbox:
    """The backend's mailbox as the station's poller sees it (docs/backend-api.md)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def post(self, kind: str, document: dict, tcn: str = "T1") -> None:
        body = json.dumps(document).encode()
        cursor = next(_CURSORS)  # increasing across deliveries, as the backend's cursors are
        self.messages.append(
            Message(cursor, f"m{cursor}", tcn, kind, "2012-12-21T14:00:00Z", "application/json", body)
        )

    def mailbox(self, ori: str, after: int, limit: int):
        waiting = [m for m in self.messages if m.cursor > after][:limit]
        return waiting, max([after, *(m.cursor for m in waiting)])

    def ack(self, ori: str, through: int) -> None:
        pass


def deliver(station, booking_id: int, kind: str, document: dict) -> None:
    """A detainer message arrives for a booking whose submission (TCN T1) is on record."""
    with station.store.session() as s:
        if s.scalars(select(Transaction).where(Transaction.tcn == "T1")).first() is None:
            s.add(Transaction(tcn="T1", booking_id=booking_id, ebts=b"", status="sent"))
    mailbox = _Mailbox()
    mailbox.post(kind, document)
    station.responses.poll(mailbox, station.config.agency_ori)


@pytest.fixture
def detainer(station, booking):
    deliver(station, booking.id, "DETAINER", DOCUMENT)
    return station.detainers.for_booking(booking.id)[0]


def test_arrival_through_the_mailbox_hook_is_recorded_once(station, booking, detainer) -> None:
    station.detainers.on_response(99, booking.id, DOCUMENT)  # the same detainer in another message
    views = station.detainers.for_booking(booking.id)
    assert len(views) == 1
    assert detainer.detainer_id == "d-0001" and detainer.office == "ICE ERO Washington Field Office"
    # Every listed language is kept: "xx" has no written copy (nor a known name) and is kept too.
    assert detainer.languages == ("en", "vi", "zh-Hans", "xx")
    assert detainer.written == ("en", "vi", "zh-Hans") and detainer.oral_only == ("xx",)
    assert detainer.status is DetainerStatus.ACTIVE and detainer.deadline is None
    assert [e.action for e in station.audit.events(text="detainer:d-0001")] == [
        "detainer.languages",
        "detainer.received",
    ]


def test_releasable_time_gives_the_deadline_in_the_jails_zone(station, detainer) -> None:
    releasable = dt.datetime(2012, 12, 21, 17, 0, tzinfo=NY)
    deadline = station.detainers.set_releasable(detainer.id, releasable, actor="clerk1")
    assert deadline.isoformat() == "2012-12-26T17:00:00-05:00"
    view = station.detainers.get(detainer.id)
    assert view.deadline == deadline and view.releasable_at == releasable
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.action == "detainer.releasable" and event.details["deadline"] == deadline.isoformat()


def test_federal_holidays_by_default_and_the_states_only_when_the_agency_chooses(station, detainer) -> None:
    # Lee-Jackson Day (Fri 13 Jan 2012) is a Virginia holiday, not a Federal one: the form's rule
    # counts it. Thu 7 h, Fri 24 (31), Mon 16 MLK Day skipped, Tue 17 h.
    assert station.config.state == "VA" and station.config.hold_holidays == "federal"
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 1, 12, 17, tzinfo=NY), actor="c"
    )
    assert deadline.isoformat() == "2012-01-17T17:00:00-05:00"
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.details["hold_holidays"] == "federal" and "Federal holidays" in event.details["hold_rule"]
    # An agency whose counsel requires it also skips Virginia's holidays: one more day.
    station.config = replace(station.config, hold_holidays="federal+state")
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 1, 12, 17, tzinfo=NY), actor="c"
    )
    assert deadline.isoformat() == "2012-01-18T17:00:00-05:00"
    event = station.audit.events(text="detainer:d-0001")[0]
    assert (
        event.details["hold_holidays"] == "federal+state"
        and "VA state holidays" in event.details["hold_rule"]
    )


def test_clock_alerts_and_lapse(station, detainer) -> None:
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c"
    )
    view = station.detainers.get(detainer.id)
    assert view.clock(deadline - dt.timedelta(hours=3), (12.0, 2.0)).stage.value == "alert"
    assert not view.lapsed(deadline - dt.timedelta(seconds=1)) and view.lapsed(deadline)
    assert station.detainers.mark_lapsed(deadline - dt.timedelta(minutes=1)) == []
    assert station.detainers.mark_lapsed(deadline + dt.timedelta(minutes=1)) == [detainer.id]
    assert station.detainers.mark_lapsed(deadline + dt.timedelta(minutes=2)) == []  # recorded once
    assert station.detainers.get(detainer.id).status is DetainerStatus.LAPSED


def test_outcome_after_lapse_is_recorded_plainly_and_closes_the_clock(station, detainer) -> None:
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c"
    )
    late = deadline + dt.timedelta(hours=1)
    station.detainers.record_outcome(
        detainer.id, Outcome.RELEASED, late, actor="clerk1", note="released at desk"
    )
    view = station.detainers.get(detainer.id)
    assert view.status is DetainerStatus.RELEASED and not view.open and view.clock(late, (12.0,)) is None
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.action == "detainer.released" and event.details["after_hold_lapsed"] is True
    with pytest.raises(UserError, match="already has an outcome"):
        station.detainers.record_outcome(detainer.id, Outcome.TRANSFERRED, late, actor="clerk1")
    with pytest.raises(UserError, match="is closed"):
        station.detainers.set_releasable(detainer.id, late, actor="clerk1")


def test_transfer_to_ice_custody_at_a_time(station, detainer) -> None:
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    at = dt.datetime(2012, 12, 24, 10, 30, tzinfo=NY)
    station.detainers.record_outcome(detainer.id, Outcome.TRANSFERRED, at, actor="clerk1")
    view = station.detainers.get(detainer.id)
    assert view.status is DetainerStatus.TRANSFERRED and view.outcome_at == at
    assert station.audit.events(text="detainer:d-0001")[0].details["after_hold_lapsed"] is False


def test_ice_cancellation_stops_the_clock(station, booking, detainer) -> None:
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    cancel = {"detainer_id": "d-0001", "cancelled_at": "2012-12-22T15:00:00Z", "reason": "wrong person"}
    deliver(station, booking.id, "DETAINER_CANCEL", cancel)
    view = station.detainers.get(detainer.id)
    assert view.status is DetainerStatus.CANCELLED and "wrong person" in view.outcome
    assert station.detainers.open_by_booking() == {}


def test_a_saved_copy_is_made_then_served_only_when_the_hand_over_is_recorded(
    station, booking, detainer, tmp_path
) -> None:
    with pytest.raises(UserError, match="record when the person becomes releasable first"):
        station.detainers.save_copy(detainer.id, "vi", tmp_path, actor="clerk1")
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    at = dt.datetime(2012, 12, 21, 22, 30, tzinfo=dt.UTC)
    made = station.detainers.save_copy(detainer.id, "vi", tmp_path, actor="clerk1", made_at=at)
    # Named after the booking number and the language; the bytes on disk are the copy recorded.
    assert made.file == str(tmp_path / f"{booking.number}-vi.pdf")
    assert hashlib.sha256((tmp_path / f"{booking.number}-vi.pdf").read_bytes()).hexdigest() == made.sha256
    assert (tmp_path / f"{booking.number}-vi.pdf").stat().st_mode & 0o077 == 0  # the owner's only
    # The preview of the same copy at the same time is byte-identical: the hash identifies the paper.
    assert station.detainers.copy(detainer.id, "vi", served_at=at).sha256 == made.sha256
    view = station.detainers.get(detainer.id)
    assert view.copies == (made,) and view.served == () and not view.service_complete
    actions = [e.action for e in station.audit.events(text="detainer:d-0001")]
    assert actions[0] == "detainer.copy_made" and "detainer.copy_served" not in actions

    served = station.detainers.record_handover(detainer.id, made.id, "handed", actor="clerk1")
    event = station.audit.events(text="detainer:d-0001")[0]
    assert (event.actor, event.action) == ("clerk1", "detainer.copy_served")
    assert event.details == {**event.details, "language": "vi", "method": "handed", "interpreter": "",
                             "sha256": made.sha256, "file": made.file}  # fmt: skip
    view = station.detainers.get(detainer.id)
    assert [(c.actor, c.language, c.sha256) for c in view.served] == [("clerk1", "vi", made.sha256)]
    assert served.copy_id == made.id
    # "xx" (listed, no written copy) still waits for an interpreter: service is not complete.
    assert view.languages_still_to_serve == ("xx",) and not view.service_complete
    # A second save does not overwrite the first file.
    again = station.detainers.save_copy(detainer.id, "vi", tmp_path, actor="clerk1")
    assert (
        again.file == str(tmp_path / f"{booking.number}-vi-2.pdf")
        and (tmp_path / f"{booking.number}-vi.pdf").exists()
    )
    assert station.audit.verify().ok


def test_saving_to_a_folder_that_does_not_exist_records_an_error_not_a_service(
    station, detainer, tmp_path
) -> None:
    from desktop.station.messages import StationError

    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    missing = tmp_path / "no such folder"
    with pytest.raises(StationError) as raised:
        station.detainers.save_copy(detainer.id, "vi", missing, actor="clerk1")
    assert raised.value.message.code == "copy.save-failed" and "does not exist" in str(raised.value)
    assert not missing.exists() and not list(tmp_path.rglob("*.pdf"))
    events = station.audit.events(text="detainer:d-0001")
    assert events[0].action == "detainer.copy_failed"
    assert events[0].details == {**events[0].details, "language": "vi", "how": "save"}
    assert "no such folder" in events[0].details["reason"]
    assert not {"detainer.copy_served", "detainer.copy_made"} & {e.action for e in events}
    view = station.detainers.get(detainer.id)
    assert view.copies == () and view.served == ()


def test_a_copy_that_reads_back_different_is_not_made(station, detainer, tmp_path, monkeypatch) -> None:
    from desktop.station.messages import StationError

    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    real_read = type(tmp_path).read_bytes
    monkeypatch.setattr(type(tmp_path), "read_bytes", lambda self: real_read(self)[:-10])  # a short write
    with pytest.raises(StationError, match="read back"):
        station.detainers.save_copy(detainer.id, "vi", tmp_path, actor="clerk1")
    assert not list(tmp_path.glob("*.pdf"))
    assert station.audit.events(text="detainer:d-0001")[0].action == "detainer.copy_failed"


def test_a_printed_copy_is_recorded_made_and_a_failed_print_as_an_error(station, detainer) -> None:
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    at = dt.datetime(2012, 12, 21, 22, 30, tzinfo=dt.UTC)
    copy = station.detainers.copy(detainer.id, "zh-Hans", served_at=at)
    made = station.detainers.record_printed(detainer.id, copy, actor="clerk1", made_at=at)
    assert (made.how, made.sha256, made.file) == ("print", copy.sha256, None)
    station.detainers.record_copy_failed(
        detainer.id, "vi", "print", "the printer could not be opened", actor="clerk1"
    )
    events = station.audit.events(text="detainer:d-0001")
    assert [e.action for e in events[:2]] == ["detainer.copy_failed", "detainer.copy_made"]
    assert events[0].details == {**events[0].details, "language": "vi", "how": "print",
                                 "reason": "the printer could not be opened"}  # fmt: skip
    station.detainers.record_handover(detainer.id, made.id, "refused", actor="clerk1")
    served = station.detainers.get(detainer.id).served
    assert [(s.language, s.method.value, s.sha256) for s in served] == [("zh-Hans", "refused", copy.sha256)]
    assert "file" not in station.audit.events(text="detainer:d-0001")[0].details


def test_unmatched_and_malformed_documents_are_audited_not_lost(station) -> None:
    station.detainers.on_response(7, None, DOCUMENT)
    station.detainers.on_response(8, 1, {"detainer_id": "x", "lodged_at": "not a date"})
    actions = [e.action for e in station.audit.events()]
    assert "detainer.unmatched" in actions and "detainer.malformed" in actions


def test_booking_list_sees_the_open_detainer(station, booking, detainer) -> None:
    open_ = station.detainers.open_by_booking()
    assert list(open_) == [booking.id]
    assert json.loads(json.dumps(open_[booking.id].detainer_id)) == "d-0001"
    assert station.bookings.get(booking.id).status is BookingStatus.DETAINER


def test_cancellation_after_release_keeps_the_outcome_and_is_noted_once(station, booking, detainer) -> None:
    at = dt.datetime(2012, 12, 22, 9, tzinfo=NY)
    station.detainers.record_outcome(detainer.id, Outcome.RELEASED, at, actor="clerk1")
    cancel = {"detainer_id": "d-0001", "cancelled_at": "2012-12-22T15:00:00Z", "reason": "wrong person"}
    deliver(station, booking.id, "DETAINER_CANCEL", cancel)
    station.detainers.on_response(99, booking.id, cancel)  # handed on again (e.g. replayed after a restart)
    view = station.detainers.get(detainer.id)
    assert view.status is DetainerStatus.RELEASED and view.outcome_at == at
    assert "ICE cancelled the detainer" in view.outcome
    actions = [e.action for e in station.audit.events(text="detainer:d-0001")]
    assert actions.count("detainer.cancelled_after_outcome") == 1


def test_every_language_on_the_detainer_is_kept_and_oral_ones_need_an_interpreter(
    station, booking, tmp_path
) -> None:
    from desktop.station.messages import StationError

    document = {**DOCUMENT, "notice_languages": ["quc", "mam", "am", "hi"]}
    deliver(station, booking.id, "DETAINER", document)
    view = station.detainers.for_booking(booking.id)[0]
    assert view.languages == ("quc", "mam", "am", "hi")
    assert view.written == ("am", "hi") and view.oral_only == ("quc", "mam")
    event = next(e for e in station.audit.events(text="detainer:d-0001") if e.action == "detainer.languages")
    assert event.details == {**event.details, "listed": ["quc", "mam", "am", "hi"], "written": ["am", "hi"],
                             "oral_only": ["quc", "mam"]}  # fmt: skip

    station.detainers.set_releasable(view.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    made = station.detainers.save_copy(view.id, "en", tmp_path, actor="clerk1")
    # K'iche' has no written copy: handing the English paper over is not giving the notice in K'iche'.
    with pytest.raises(StationError, match="interpreter must give the notice"):
        station.detainers.record_handover(view.id, made.id, "handed", language="quc", actor="clerk1")
    with pytest.raises(StationError, match="name or ID number"):
        station.detainers.record_handover(
            view.id, made.id, "interpreter_phone", language="quc", actor="clerk1"
        )
    with pytest.raises(StationError, match="not a language of this detainer"):
        station.detainers.record_handover(view.id, made.id, "interpreter_phone", language="ja",
                                          interpreter="Line 4411", actor="clerk1")  # fmt: skip
    station.detainers.record_handover(view.id, made.id, "interpreter_phone", language="quc",
                                      interpreter="LanguageLine interpreter 40417", actor="clerk1")  # fmt: skip
    view = station.detainers.get(view.id)
    assert view.languages_still_to_serve == ("mam",) and not view.service_complete
    station.detainers.record_handover(view.id, made.id, "interpreter_in_person", language="mam",
                                      interpreter="María Tzul", actor="clerk1")  # fmt: skip
    view = station.detainers.get(view.id)
    assert view.languages_still_to_serve == () and view.service_complete
    served = [e for e in station.audit.events(text="detainer:d-0001") if e.action == "detainer.copy_served"]
    assert [(e.details["language"], e.details["method"], e.details["interpreter"], e.details["copy_language"])
            for e in reversed(served)] == [
        ("quc", "interpreter_phone", "LanguageLine interpreter 40417", "en"),
        ("mam", "interpreter_in_person", "María Tzul", "en"),
    ]  # fmt: skip


class _Lesc(_Mailbox):
    """The backend's claims route and mailbox (docs/backend-api.md), as the station's sender sees it."""

    def __init__(self, down: bool = False) -> None:
        super().__init__()
        self.claims: list[dict] = []
        self.down = down

    def send_claim(self, ori: str, claim: dict) -> dict:
        from desktop.station.outbox_client import BackendUnavailable

        if self.down:
            raise BackendUnavailable("link.refused", url="https://backend.test")
        self.claims.append(claim)
        return {"claim_id": claim["claim_id"], "status": "under_review", "duplicate": False,
                "decision_due_at": "2012-12-22T15:00:00Z"}  # fmt: skip

    def decide(self, claim: dict, outcome: str, reason: str) -> None:
        kind = {"citizen": "CLAIM_CITIZEN", "victim": "CLAIM_VICTIM"}[claim["kind"]]
        self.post(kind, {"claim_id": claim["claim_id"], "detainer_id": claim["detainer_id"], "tcn": "T1",
                         "kind": claim["kind"], "outcome": outcome, "reason": reason,
                         "decided_at": "2012-12-22T15:00:00Z"})  # fmt: skip


def test_a_citizenship_claim_goes_to_ice_and_its_withdrawal_ends_the_hold(station, booking, detainer) -> None:
    from desktop.station.messages import StationError

    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c"
    )
    with pytest.raises(StationError, match="what the person said"):
        station.detainers.claims.record(detainer.id, "citizen", "  ", actor="clerk1")
    claim = station.detainers.claims.record(
        detainer.id, "citizen", "Says he was born in Fresno, California in 1990.", actor="clerk1"
    )
    event = station.audit.events(text="detainer:d-0001")[0]
    assert (event.action, event.details["kind"], event.details["statement"]) == (
        "claim.recorded", "citizen", "Says he was born in Fresno, California in 1990.")  # fmt: skip
    with pytest.raises(StationError, match="already recorded"):
        station.detainers.claims.record(detainer.id, "citizen", "again", actor="clerk1")

    # The backend is away: the claim waits, nothing is lost, the clock keeps running.
    lesc = _Lesc(down=True)
    assert station.detainers.claims.send_due(lesc, "VA0000000") == 0
    view = station.detainers.get(detainer.id)
    assert view.claims[0].status.value == "queued" and view.claims[0].attempts == 1 and view.open
    lesc.down = False
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    assert station.detainers.claims.send_due(lesc, "VA0000000", now=later) == 1
    assert lesc.claims[0]["claim_id"] == claim.claim_id and lesc.claims[0]["detainer_id"] == "d-0001"
    assert station.detainers.get(detainer.id).claims[0].status.value == "sent"
    assert view.clock(deadline - dt.timedelta(hours=1), (12.0,)) is not None  # still running

    lesc.decide(lesc.claims[0], "withdrawn", "place of birth in the booking is California, U.S.")
    station.responses.poll(lesc, station.config.agency_ori)
    view = station.detainers.get(detainer.id)
    assert view.claims[0].outcome.value == "withdrawn" and "California" in view.claims[0].outcome_reason
    assert view.status is DetainerStatus.CANCELLED and not view.open and "withdrawn" in view.outcome
    outcome = next(e for e in station.audit.events(text="detainer:d-0001") if e.action == "claim.outcome")
    assert outcome.details == {**outcome.details, "kind": "citizen", "outcome": "withdrawn"}
    # Delivered again (a replay after a crash): recorded once.
    station.detainers.on_response(99, booking.id, json.loads(lesc.messages[-1].body))
    assert [e.action for e in station.audit.events(text="detainer:d-0001")].count("claim.outcome") == 1


def test_a_refused_claim_leaves_the_clock_running(station, booking, detainer) -> None:
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    station.detainers.claims.record(
        detainer.id, "victim", "Says she reported an assault in 2011.", actor="clerk1"
    )
    lesc = _Lesc()
    station.detainers.claims.send_due(lesc, "VA0000000")
    lesc.decide(lesc.claims[0], "pending", "referred for review; the detainer stands meanwhile")
    station.responses.poll(lesc, station.config.agency_ori)
    view = station.detainers.get(detainer.id)
    assert view.claims[0].outcome.value == "pending" and view.status is DetainerStatus.ACTIVE and view.open
    outcome = next(e for e in station.audit.events(text="detainer:d-0001") if e.action == "claim.outcome")
    assert outcome.details == {**outcome.details, "kind": "victim", "outcome": "pending"}


def test_a_pending_answer_is_followed_by_the_decision_and_a_replay_takes_nothing_back(
    station, booking, detainer
) -> None:
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    station.detainers.claims.record(detainer.id, "citizen", "Born in El Paso, Texas.", actor="clerk1")
    lesc = _Lesc()
    station.detainers.claims.send_due(lesc, "VA0000000")
    lesc.decide(lesc.claims[0], "pending", "under review")
    station.responses.poll(lesc, station.config.agency_ori)
    assert station.detainers.get(detainer.id).open
    lesc.decide(lesc.claims[0], "withdrawn", "place of birth in the booking is Texas, U.S.")
    station.responses.poll(lesc, station.config.agency_ori)
    view = station.detainers.get(detainer.id)
    assert view.claims[0].outcome.value == "withdrawn" and view.status is DetainerStatus.CANCELLED
    # The "pending" message delivered again after a crash does not take the withdrawal back.
    station.detainers.on_response(98, booking.id, json.loads(lesc.messages[-2].body))
    assert station.detainers.get(detainer.id).claims[0].outcome.value == "withdrawn"
    outcomes = [e.details["outcome"] for e in station.audit.events(text="detainer:d-0001")
                if e.action == "claim.outcome"]  # fmt: skip
    assert sorted(outcomes) == ["pending", "withdrawn"]


def test_what_the_person_said_and_the_interpreters_name_are_sealed_at_rest(
    station, booking, detainer, tmp_path
) -> None:
    from sqlalchemy import text

    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    station.detainers.claims.record(detainer.id, "citizen", "Born in Fresno, California.", actor="clerk1")
    made = station.detainers.save_copy(detainer.id, "vi", tmp_path, actor="clerk1")
    station.detainers.record_handover(detainer.id, made.id, "interpreter_phone", actor="clerk1",
                                      interpreter="María Tzul", language="vi")  # fmt: skip
    with station.store.engine.connect() as c:
        statement = c.execute(text("SELECT statement FROM detainer_claims")).scalar_one()
        interpreter = c.execute(text("SELECT interpreter FROM detainer_services")).scalar_one()
    assert statement.startswith("sealed:") and "Fresno" not in statement
    assert interpreter.startswith("sealed:") and "Tzul" not in interpreter
    view = station.detainers.get(detainer.id)  # and read back as written
    assert (
        view.claims[0].statement == "Born in Fresno, California."
        and view.served[0].interpreter == "María Tzul"
    )


def test_the_copy_is_drawn_outside_the_calling_process(station, detainer, monkeypatch) -> None:
    """fpdf holds the interpreter lock while it parses the fonts: in the GUI process's threads it
    stalled the UI thread, so the copy is drawn in a worker process (compute.py)."""
    import fpdf

    def not_here(*args, **kwargs):
        raise AssertionError("the copy was drawn in the calling process")

    monkeypatch.setattr(fpdf, "FPDF", not_here)
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    at = dt.datetime(2012, 12, 21, 22, 30, tzinfo=dt.UTC)
    copy = station.detainers.copy(detainer.id, "vi", served_at=at)
    assert copy.pdf.startswith(b"%PDF") and copy.sha256 == hashlib.sha256(copy.pdf).hexdigest()


def test_a_claim_ices_system_refused_keeps_why_as_a_code_for_the_clerks_language(
    station, booking, detainer, qapp
) -> None:
    """ICE's system refusing the request itself (a 4xx) is kept with the claim as a message code, so
    the Detainer page says it in the clerk's language (the page tells them to call LESC)."""
    from desktop.station.detainers.claims import ClaimStatus
    from desktop.station.outbox_client import BackendRejected
    from desktop.ui import message_text, translations

    class _Refusing(_Lesc):
        def send_claim(self, ori: str, claim: dict) -> dict:
            raise BackendRejected(
                "link.refused-request",
                request=f"POST /v1/claims/{ori}",
                status=422,
                detail="claim_id is not a UUID",
            )

    station.detainers.claims.record(detainer.id, "citizen", "Says he was born in Fresno.", actor="clerk1")
    station.detainers.claims.send_due(_Refusing(), "VA0000000")
    (claim,) = station.detainers.get(detainer.id).claims
    assert claim.status is ClaimStatus.REJECTED and claim.problem.message.code == "link.refused-request"
    from sqlalchemy import text

    with station.store.engine.connect() as c:  # sealed at rest: a problem can quote what was sent
        stored = str(c.execute(text("SELECT problem FROM detainer_claims")).scalar_one())
    assert stored.startswith("sealed:") and "UUID" not in stored, stored
    installed = translations.install(qapp, "es")
    try:
        said = message_text.recorded_text(claim.problem)
    finally:
        translations.remove(qapp, installed)
    assert said.startswith("se rechazó POST /v1/claims/VA0000000 (422)"), said


def test_the_lists_deadline_column_opens_no_sealed_value(
    station, booking, detainer, booking_form, monkeypatch
) -> None:
    """The bookings list loads it on a worker thread holding the interpreter lock, at every reload:
    it reads each open hold's deadline, not the person's sealed details."""
    from booking_station import sealed_columns
    from desktop.ui.detainer_page import deadline_column

    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    deadline = station.detainers.get(detainer.id).deadline
    other = station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1")
    opened: list[str] = []
    real = sealed_columns.open_text
    monkeypatch.setattr(sealed_columns, "open_text", lambda *a: opened.append(a[2]) or real(*a))
    assert deadline_column(station, [booking.id, other.id]) == {booking.id: (deadline,)}
    assert deadline_column(station, [other.id]) == {}
    assert opened == []
