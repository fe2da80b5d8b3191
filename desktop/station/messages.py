"""What the station core says, as codes with parameters; words belong to the UI.

A `Message` is a code ("capture.low-quality") and its parameters ({"threshold": 40, ...}). The UI
turns it into the clerk's language with Qt's translation functions (desktop/ui/message_text.py,
which holds the same English templates marked for translation; a test keeps the two equal). The
English here is for the command line, logs and exceptions, never parsed back.

Parameters are plain values. A few names carry the station's own vocabulary and are worded by the
renderer rather than shown as they are (see `_VOCABULARY`): `finger`/`position` (a FGP code:
"right index"), `step` (a capture step: "right index (rolled)"), `state` (a step state), `field`
(a booking field key: "date of birth"), `fingers` (FGP codes, joined), `qualities` ([FGP, score]
pairs: "right index 12"), `allowed` (values a rule accepts, joined with "or"), `blockers` (Messages,
joined) and any Message value (rendered in turn).
"""

from __future__ import annotations

import calendar
import errno
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from booking_station import fingers, pki_errors
from booking_station.runtime import UserError
from ebts.codes import ERROR_CODES

if TYPE_CHECKING:
    import ebts

# code -> English template with {name} placeholders. One entry per thing the core can say.
ENGLISH: dict[str, str] = {
    # the booking form (desktop/station/_booking_rules.py); {value} is what was typed, quoted
    "booking.enter": "enter the {field}",
    "booking.no-commas": "no commas in the {field} (the comma separates surname and given names)",
    "booking.name-characters": "the {field} may hold letters of any script, spaces, - ' and ., not {value}",
    "booking.name-letter": "the {field} needs at least one letter",
    "booking.date-format": "the {field} must be a date like 1990-07-31 or 07/31/1990, not {value}",
    "booking.date-month": "the {field} has no month {number}: months are 1 to 12",
    "booking.date-day": "the {field} has no day {day}: {month} {year} has {days} days",
    "booking.choose": "choose the {field}",
    "booking.not-a-code": "{value} is not a {field} code",
    "booking.height-enter": "enter the height, e.g. 5'10\"",
    "booking.height-format": "height as feet and inches, e.g. 5'10\" or 510, not {value}",
    "booking.inches": "inches must be 0 to 11, not {value}",
    "booking.height-range": "height must be from {low} to {high} (EBTS)",
    "booking.weight-enter": "enter the weight in pounds",
    "booking.weight-format": "weight in whole pounds, e.g. 170, not {value}",
    "booking.weight-range": "weight must be from {low} to {high} pounds (EBTS)",
    "booking.name-length": "surname and given names together are {length} characters; EBTS allows {limit}",
    "booking.arrest-future": "the date of arrest cannot be in the future",
    "booking.birth-future": "the date of birth cannot be in the future",
    "booking.birth-too-old": "the date of birth is more than {years} years ago",
    "booking.birth-after-arrest": "the date of birth is after the date of arrest",
    "booking.no-charges": "enter at least one charge",
    "booking.offense-future": "the offense date cannot be in the future",
    "booking.offense-after-arrest": "the offense date is after the date of arrest",
    "booking.describe-charge": "describe the charge",
    "booking.charge-length": "at most {limit} characters (now {length})",
    "booking.choose-level": "choose felony or misdemeanor",
    # the bookings list's Answer column (desktop/station/responses.py)
    "answer.retrying": "not sent yet ({attempts} attempt(s)), retrying",
    "answer.refused": "refused by the backend",
    "answer.detainer": "ICE detainer",
    "answer.immigration": "immigration response",
    "answer.resubmitted": "corrected, resubmitted",
    "answer.rejected": "rejected: {count} error(s) to fix",
    "answer.identified": "identified, FBI {fbi}",
    "answer.no-record": "no FBI record",
    "answer.unknown-kind": "the backend sent an answer of a kind this station does not know ({kind}); it is kept as received",
    "answer.unreadable": "the {kind} answer cannot be read ({error}); it is kept as received",
    # capture: judging a print
    "capture.finger-count": "found {found} finger(s) where {expected} were expected",
    "capture.low-quality": "quality below {threshold}: {qualities}",
    "capture.dirty-platen": "clean the platen: residue of earlier prints beside the finger(s)",
    "capture.kept-best": "best of {attempts} attempts kept (attempt {attempt}): {problem}",
    "capture.not-found": "{fingers} not found",
    "capture.kept-best-now-good": "attempt {attempt} kept; it passes today's threshold",
    "capture.override-note": "supervisor override: {reason}",
    "capture.all-annotated": "all fingers annotated",
    "capture.reason": "{reason}",
    # capture: the clerk's and supervisor's actions
    "capture.not-in-plan": "the {position} is not part of this capture plan",
    "capture.mode-not-in-plan": "a {mode} capture is not part of this capture plan",
    "capture.rolled-one-finger": "a rolled capture holds one finger, not {count}",
    "capture.annotation-code": "the annotation must be XX (amputated) or UP (unable to print), not {code}",
    "capture.annotation-finger": "only fingers 1–10 can be annotated, not position {value}",
    "capture.annotation-reason": "give a reason for marking the {finger} {code}",
    "capture.override-reason": "give a reason for the override",
    "capture.sequence-override-reason": "give a reason for overriding the sequence check",
    "capture.not-supervisor": "{name} is not a supervisor: an override needs a supervisor",
    "capture.supervisor-refused": "not a supervisor's name and password",
    "capture.bad-image": "the scanner returned an image that is not 8-bit grayscale",
    "capture.encode-failed": "the captured image could not be stored as PNG",
    "capture.judge-failed": "the capture could not be judged (technical detail: {detail})",
    # capture: what stands between the prints and the outbox
    "compute.crashed": "the check stopped because its worker process ended unexpectedly; try again",
    "capture.step-open": "{step}: {state}",
    "capture.sequence-not-run": "the sequence check has not been run",
    "capture.nothing-to-override": "the sequence check found nothing that needs an override",
    "capture.sequence-finding": "sequence: {finding}",
    "capture.not-ready": "the prints cannot be submitted yet: {blockers}",
    "capture.queue-failed": "the prints are complete and saved, but could not be queued: {detail}",
    "capture.queued": "prints complete; queued for submission ({tcn})",
    "capture.plan-tenprint": "tenprint: right slap, left slap, both thumbs, then ten rolled prints",
    "capture.plan-flats": "flats only (4-4-2): right slap, left slap and both thumbs, no rolled prints",
    # the sequence check's findings (matcher.sequence kinds)
    "sequence.swapped": "rolled {first} and {second} appear swapped",
    "sequence.wrong-hand": "rolled prints of the {hand} hand match the other hand's flat fingers "
    "({fingers}): wrong hand rolled",
    "sequence.duplicate": "rolled {first} and {second} are the same finger captured twice",
    "sequence.misplaced": "rolled {finger} matches the flat {other}, not its own",
    "sequence.unconfirmed": "rolled {finger} could not be confirmed against its flat finger",
    "sequence.other-person": "rolled {fingers} match none of the slap fingers: the slaps and the rolled "
    "prints may be of different people; retake them, or a supervisor overrides with a reason",
    "sequence.passed": "sequence confirmed for {count} finger(s)",
    "sequence.failed": "the sequence check could not run",  # {detail}: for the log, not the clerk
    # detainers: claims and the detainee's copy (desktop/station/detainers/)
    "detainer.unknown": "detainer {id} does not exist",
    "claim.kind": "a claim is that the person is a U.S. citizen or a crime victim, not {value}",
    "claim.statement": "write down what the person said",
    "claim.statement-length": "what the person said is at most {limit} characters (now {length})",
    "claim.closed": "detainer {detainer} is closed: a claim can no longer change it",
    "claim.already": "this claim is already recorded for detainer {detainer}; tell the ICE Law Enforcement Support Center anything more by telephone",
    "copy.save-failed": "the copy was not saved as {path}: {os_error} (technical detail: {detail})",
    "copy.method": "record how the copy was given (handed over, read by an interpreter, or refused), not {value}",
    "copy.interpreter": "enter the interpreter's name or ID number",
    "copy.interpreter-length": "the interpreter's name or ID number is at most {limit} characters",
    "copy.unknown": "copy {id} was not made for this detainer",
    "copy.language-not-listed": "{language} is not a language of this detainer",
    "copy.needs-interpreter": "{language} has no written copy: an interpreter must give the notice in it",
    # wrong-person alerts (desktop/station/alerts.py)
    "alert.note-required": "write what you checked before acknowledging the alert",
    "alert.note-length": "the note is {length} characters; at most {limit}",
    "alert.unknown": "this alert no longer exists",
    "alert.already-acknowledged": "the alert was already acknowledged by {who}",
    # the scanner
    "scanner.none": "no scanner is connected",
    "scanner.open-failed": "the scanner could not be opened: {detail}",
    "scanner.failed": "the capture failed: {detail}",
    "scanner.device": "{detail}",
    "scanner.gone": "scanner disconnected: {detail}",
    "scanner.mode-unsupported": "{device} cannot take {mode} captures",
    "scanner.stopped": "the capture did not finish within {seconds} s",
    # records that are not there (bookings.py, outbox.py, detainers/)
    "booking.unknown": "booking {id} does not exist",
    # submissions: the EBTS transaction built and queued (outbox.py, outbox_submission.py)
    "outbox.waiting": "booking {booking} already has a submission that is not answered yet ({tcn})",
    "outbox.build-failed": "the submission for booking {booking} cannot be built (technical detail: {detail})",
    "outbox.invalid": "booking {booking} is not ready to submit: {blockers}",
    "outbox.not-waiting": "submission {tcn} is not waiting to be sent",
    "outbox.image-unreadable": "the stored image of the {step} cannot be read",
    "outbox.no-prints": "booking {booking} has no accepted prints to submit",
    # what the EBTS validator found in a built transaction (ebts.validate's Problems, `ebts_problem`)
    "ebts.field": "{field} ({tag}): {ebts_error}, error code {code}",
    "ebts.field-value": "{field} ({tag}) is {value}: {ebts_error}, error code {code}",
    "ebts.record": "{tag}: {ebts_error}, error code {code}",
    "ebts.record-value": "{tag} is {value}: {ebts_error}, error code {code}",
    # ... and what the rule accepts ({allowed}: values or ranges, joined with "or")
    "ebts.field-allowed": "{field} ({tag}) is {value}: {ebts_error}; accepted: {allowed}, error code {code}",
    "ebts.record-allowed": "{tag} is {value}: {ebts_error}; accepted: {allowed}, error code {code}",
    # the link to the FBI/DHS service (outbox_client.py, outbox_worker.py)
    "link.needs-certificate": "{url} needs the station's certificate: set backend_ca, backend_certificate "
    "and backend_key in the station's settings",
    "link.host-mismatch": "refused {url}: its certificate is not for the host in the address; the station "
    "talks only to the service its CA vouches for",
    "link.untrusted": "refused {url}: its certificate does not chain to the station's CA ({ca}); the "
    "station talks only to the service its CA vouches for",
    "link.timeout": "{url} did not answer in time",
    "link.refused": "{url} cannot be reached (the connection was refused or the host is unknown)",
    "link.no-answer": "{url} did not answer ({error})",
    "link.access-denied": "{url} refused this station's certificate for {request} ({status}): {detail}",
    "link.unavailable": "{url} cannot answer now: {status} to {request}: {detail}",
    "link.refused-request": "{request} was refused ({status}): {detail}",
    "link.mailbox-unreadable": "mailbox message {id} has no readable body",
    "link.database": "the station's database cannot be used now ({database}); the station tries again by itself",
    "link.failed": "the link stopped on an unexpected error ({error}); the station's log has the details",
    "outbox.fbi-rejected": "the FBI rejected it: {errors}",
    # the audit chain's check (audit.py): what is wrong with it
    "audit.start-missing": "the record of where the keyed chain starts is missing or was altered",
    "audit.missing": "expected event {expected} here but found {found} (events missing)",
    "audit.out-of-order": "expected event {expected} here but found {found} (events out of order)",
    "audit.not-following": "does not follow the event before it",
    "audit.changed": "its content was changed after it was written",
    "audit.cut": "the log ends at event {last} but {written} were written (events removed at the end)",
    "audit.removed": "events {start} to {last} were removed: the backend holds the head of event {last}, anchored at {anchored}, and the log now ends at event {count}",
    "audit.rewritten": "the log no longer matches the head the backend anchored for event {event}; it still matches the anchors through event {good}, so an event from {start} to {event} was changed and the chain recomputed (newest anchor not matched: {anchored})",
    # the embedded FBI/DHS service the station starts itself (outbox_launcher.py)
    "embedded.no-folder": "the embedded FBI/DHS service needs a folder for its database",
    "embedded.stopped": "the embedded FBI/DHS service stopped while starting (exit status {status}); its log is {log}",
    "embedded.timeout": "the embedded FBI/DHS service did not start within {seconds} s; its log is {log}",
    "embedded.not-running": "the embedded FBI/DHS service is not running (it runs while the station's duties do)",
    # a booking imported from an EBTS file (ebts_import.py)
    "import.unreadable": "the file is not a readable EBTS transaction: the problem is at byte {offset} "
    "(technical detail: {detail})",
    "import.unreadable-anywhere": "the file is not a readable EBTS transaction (technical detail: {detail})",
    "import.no-person": "the {tot} has no Type-2 record: no one to book",
    "import.not-a-booking": "the file's Type-2 record does not make a booking: {problems}",
    "import.charges": "the file's charges cannot be read",
    # detainers: the clock and the outcome (desktop/station/detainers/service.py)
    "detainer.releasable-zone": "the releasable time needs its time zone",
    "detainer.outcome-zone": "the time of the outcome needs its time zone",
    "detainer.time-format": "{value} is not an ISO 8601 date and time such as 2012-12-21T17:00",
    "detainer.time-skipped": "{value} does not exist in {zone} (the clocks skip it for daylight saving); give the time with its UTC offset",
    "detainer.implausible-date": "{date} is not a plausible date for a detainer (check the year)",
    "detainer.deadline-failed": "the deadline cannot be worked out (technical detail: {detail})",
    "detainer.clock-closed": "detainer {detainer} is closed ({detainer_status}); its clock cannot change",
    "detainer.has-outcome": "detainer {detainer} already has an outcome: {detainer_outcome}",
    "copy.no-deadline": "record when the person becomes releasable first: the copy states the deadline",
    "copy.failed": "the copy cannot be made (technical detail: {detail})",
    # operators' accounts (desktop/station/operators.py)
    "operator.invalid": "the account cannot be added: {blockers}",
    "operator.user-name-rule": "user name: 2-64 characters, lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
    "operator.role": "role: one of {roles}, not {value}",
    "operator.taken": "user name {user} is already taken",
    "operator.unknown": "no account named {user}",
    "operator.last-supervisor": "this is the last active supervisor account; add another supervisor first",
    # the settings (desktop/station/config.py): each key's problem
    "config.ori-format": "an ORI is 9 characters: 2 letters for the state, then 7 letters or digits",
    "config.ori-state": "an ORI starts with a US state code, not {value}",
    "config.text": "must be text, not {kind}",
    "config.empty": "must not be empty",
    "config.time-zone": "unknown time zone {value} (use an IANA name such as America/Chicago)",
    "config.state": "unknown US state code {value} (two letters, e.g. TX)",
    "config.backend": "must be {embedded} or an https:// URL (criminal-justice information never travels in clear), not {value}",
    "config.file": "no such file: {path}",
    "config.tls-files": "a backend at a URL needs the station's certificate files: backend_ca, backend_certificate and backend_key (make them with `booking-station pki issue --ori ORI`)",
    "config.certificate": "the certificate files do not work: {problem}",
    "config.certificate-ori": "the certificate is for ORI {ori}, but agency_ori is {agency}",
    "config.backend-certificate": "this backend needs the station's certificate: {problem}",
    "config.bool": "must be true or false",
    "config.threshold": "must be a whole number from 0 to 100",
    "config.threshold-range": "must be from 0 to 100, not {value}",
    "config.database": "not a SQLAlchemy database URL: {value}",
    "config.alerts": "must be a list of hours, e.g. [12, 2]",
    "config.alerts-entry": "every entry must be a positive number of hours, not {value}",
    "config.one-of": "must be one of {choices}, not {value}",
    "config.whole": "must be a whole number from {low} to {high}, not {value}",
    "config.unknown-key": "unknown key (known keys: {keys})",
    "config.toml": "not valid TOML (technical detail: {detail})",
    "config.toml-at": "not valid TOML at line {line}, column {column} (technical detail: {detail})",
    # the capture plan named in the settings (desktop/station/capture.py)
    "capture.plan-unknown": "capture_plan must be 'tenprint' or 'flats', not {value}",
    # operators: lock-out and the password rules (desktop/station/operators.py, passwords.py)
    "operator.locked": "the account {user} is locked after too many wrong passwords, until {until}; a supervisor can unlock it",
    "operator.wrong-current-password": "the current password is wrong; nothing was changed",
    "password.rules": "the password does not follow the rules: {blockers}",
    "password.too-short": "at least {min} characters",
    "password.too-long": "at most {max} characters",
    "password.common": "not a common password, dictionary word or name",
    "password.user-name": "not the user name or a variation of it",
    "password.reused": "not one of the last {count} passwords",
}
# Certificates and the certificate authority: the ground floor's own codes (booking_station.pki_errors),
# which the command line and the backend word in English.
ENGLISH.update(pki_errors.ENGLISH)


@dataclass(frozen=True)
class Message:
    """A code and its parameters; `str()` gives the English."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in ENGLISH:
            raise KeyError(f"unknown station message code {self.code!r}")

    def __str__(self) -> str:
        return render(self, ENGLISH.__getitem__, english_word)

    def stored(self) -> dict[str, Any]:
        """The form kept in the database (a JSON column): code, parameters, and the English for a
        version of the station that does not know the code."""
        return {"code": self.code, "params": _stored_value(dict(self.params)), "english": str(self)}


def message(code: str, /, **params: Any) -> Message:
    return Message(code, params)


def from_stored(doc: Any) -> Message | None:
    """The Message a `Message.stored()` document holds; None when this version cannot word it (a code
    it does not know, parameters it cannot fill): the caller shows the document's English instead."""
    try:
        msg = Message(str(doc["code"]), _loaded_value(doc.get("params") or {}))
        render(msg, ENGLISH.__getitem__, english_word)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
    return msg


@dataclass(frozen=True)
class Recorded:
    """A problem kept with a record (a submission's last attempt, a claim ICE refused).

    `message` when it was stored as a code; otherwise `text`, as it was stored: a row written before
    problems were kept as codes (English), or by a later version with a code this one does not know.
    """

    message: Message | None
    text: str

    @classmethod
    def of(cls, stored: Any, legacy_text: str | None) -> Recorded | None:
        """From a row's JSON problem column and its older plain-text column (either may be empty)."""
        if stored:
            found = from_stored(stored)
            return cls(found, str(found) if found else str(stored.get("english") or stored.get("code")))
        return cls(None, legacy_text) if legacy_text else None

    def __str__(self) -> str:
        return self.text


def _stored_value(value: Any) -> Any:
    if isinstance(value, Message):
        return {"$message": value.code, "params": _stored_value(dict(value.params))}
    if isinstance(value, dict):
        return {k: _stored_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_stored_value(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _loaded_value(value: Any) -> Any:
    if isinstance(value, dict) and "$message" in value:
        return Message(str(value["$message"]), _loaded_value(value.get("params") or {}))
    if isinstance(value, dict):
        return {k: _loaded_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_loaded_value(v) for v in value]
    return value


def problem_of(exc: BaseException) -> Message | None:
    """The Message an exception carries (a CodedError's, or any other's `message`), or a PkiError's
    code and parameters; None for an exception that says its problem only in English."""
    carried = getattr(exc, "message", None)
    if isinstance(carried, Message):
        return carried
    if isinstance(exc, pki_errors.PkiError):
        return Message(exc.code, exc.params)
    return None


class CodedError(Exception):
    """An exception whose problem is a Message (`.message`); its text is the English.

    The station's own user errors are `StationError`s; other failures a person reads (the backend
    link's, outbox_client) derive from this directly."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.message = Message(code, params)
        super().__init__(str(self.message))


class StationError(CodedError, UserError):
    """A problem the clerk can act on, as a Message (the English is the exception's text)."""


# Parameter names whose values are the core's vocabulary, and the kind of word each is.
_VOCABULARY = {
    "finger": "finger",
    "position": "finger",
    "first": "finger",
    "second": "finger",
    "other": "finger",
    "step": "step",
    "state": "state",
    "field": "field",
    "hand": "hand",
    "mode": "mode",
    "month": "month",
    "detainer_status": "detainer-status",
    "detainer_outcome": "detainer-outcome",
    "ebts_error": "ebts-error",
    "allowed": "alternatives",
    "os_error": "os-error",
}

# An OS error's errno name -> what the clerk reads (the UI has the same words, translated); any
# other errno is "a system error", its text kept apart as the technical detail.
OS_ERRORS = {
    "ENOENT": "the folder does not exist",
    "ENOTDIR": "the folder does not exist",
    "EACCES": "no permission to write there",
    "EPERM": "no permission to write there",
    "EROFS": "no permission to write there",
    "ENOSPC": "the disk is full",
    "EDQUOT": "the disk is full",
    "EIO": "a read or write error",
}


def os_error_params(exc: OSError) -> dict[str, str]:
    """An OSError as parameters: `os_error`, its errno name (worded by the reader), and `detail`,
    the system's own text (foreign: the C library's English), kept apart as a technical detail."""
    return {"os_error": errno.errorcode.get(exc.errno or 0, ""), "detail": exc.strerror or str(exc)}


def english_word(kind: str, value: Any) -> str:
    """The core's vocabulary in English (the UI has its own, translated)."""
    if kind == "finger":
        return fingers.finger_name(int(value))
    if kind == "step":
        name = fingers.finger_name(int(value))
        return name if int(value) in fingers.FLAT_CAPTURES else f"{name} (rolled)"
    if kind == "field":
        return str(value).replace("_", " ")
    if kind == "month":
        return calendar.month_name[int(value)]
    if kind == "ebts-error":
        return _lower_first(ERROR_CODES.get(str(value), str(value)))
    if kind == "alternatives":
        return alternatives([str(v) for v in value], "or")
    if kind == "os-error":
        return OS_ERRORS.get(str(value), "a system error")
    return str(value)


def alternatives(values: list[str], or_: str) -> str:
    """ "a, b or c", with the language's word for "or"."""
    return values[0] if len(values) < 2 else f"{', '.join(values[:-1])} {or_} {values[-1]}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# An EBTS field -> the booking field the clerk corrects (the core's field names, as _booking_rules).
_EBTS_FIELDS = {
    "2.018": "name", "2.020": "place of birth", "2.022": "date of birth", "2.024": "sex",
    "2.025": "race", "2.027": "height", "2.029": "weight", "2.031": "eye colour", "2.032": "hair colour",
    "2.045": "date of arrest", "2.047": "charges",
}  # fmt: skip


def ebts_problem(problem: ebts.Problem) -> Message:
    """A broken EBTS rule (ebts.validate) as a Message: the booking field it concerns when there is
    one, the EBTS field ("2.024 SEX") and the error code, whose meaning the UI words; the value found
    when there is one. The validator's own sentence is English, for the log."""
    tag = problem.field
    params: dict[str, Any] = {"tag": tag, "ebts_error": problem.code, "code": problem.code}
    field_ = _EBTS_FIELDS.get(tag.split(" ")[0])
    if field_:
        params["field"] = field_
    if problem.value:
        params["value"] = repr(problem.value)
    kind = "-value" if problem.value else ""
    if problem.value and problem.allowed:
        params["allowed"] = list(problem.allowed)  # what would be accepted: "500 ppi", "1000 ppi"
        kind = "-allowed"
    return Message(("ebts.field" if field_ else "ebts.record") + kind, params)


def render(msg: Message, template: Callable[[str], str], word: Callable[[str, Any], str]) -> str:
    """`msg` in words: `template(code)` gives its pattern, `word(kind, value)` the vocabulary.

    The UI calls this with its translated templates and words; `str(msg)` with the English ones.
    """
    values = {}
    for name, value in msg.params.items():
        if isinstance(value, Message):
            value = render(value, template, word)
        elif name in _VOCABULARY:
            value = word(_VOCABULARY[name], value)
        elif name == "fingers":
            value = ", ".join(word("finger", f) for f in value)
        elif name == "qualities":
            value = ", ".join(f"{word('finger', f)} {q}" for f, q in value)
        elif name == "blockers":
            value = "; ".join(render(b, template, word) for b in value)
        values[name] = value
    return template(msg.code).format(**values)
