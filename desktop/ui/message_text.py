"""The station core's messages (codes with parameters) in the UI's language.

`text(message)` words a `desktop.station.messages.Message` with Qt's translation functions: the
template of its code (marked here for lupdate, in the "Messages" context) and the station's
vocabulary for its parameters (finger names, step states, field names). The English templates are
the core's own (`messages.ENGLISH`); tests/desktop/test_translations.py keeps the two equal, so a
code the core adds without a template here fails a test instead of reaching a clerk in English.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from booking_station.runtime import UserError
from desktop.station.messages import Message, Recorded, alternatives, problem_of, render

_CONTEXT = "Messages"
_OR = QT_TRANSLATE_NOOP("Messages", "or")  # between the last two values a rule accepts
# An OS error's errno name -> words (messages.OS_ERRORS holds the same English; a test keeps them equal).
_OS_ERRORS = {
    "ENOENT": QT_TRANSLATE_NOOP("Messages", "the folder does not exist"),
    "ENOTDIR": QT_TRANSLATE_NOOP("Messages", "the folder does not exist"),
    "EACCES": QT_TRANSLATE_NOOP("Messages", "no permission to write there"),
    "EPERM": QT_TRANSLATE_NOOP("Messages", "no permission to write there"),
    "EROFS": QT_TRANSLATE_NOOP("Messages", "no permission to write there"),
    "ENOSPC": QT_TRANSLATE_NOOP("Messages", "the disk is full"),
    "EDQUOT": QT_TRANSLATE_NOOP("Messages", "the disk is full"),
    "EIO": QT_TRANSLATE_NOOP("Messages", "a read or write error"),
}
_OS_ERROR_OTHER = QT_TRANSLATE_NOOP("Messages", "a system error")
_log = logging.getLogger(__name__)

TEMPLATES: dict[str, str] = {
    "booking.enter": QT_TRANSLATE_NOOP("Messages", "enter the {field}"),
    "booking.no-commas": QT_TRANSLATE_NOOP(
        "Messages", "no commas in the {field} (the comma separates surname and given names)"
    ),
    "booking.name-characters": QT_TRANSLATE_NOOP(
        "Messages", "the {field} may hold letters of any script, spaces, - ' and ., not {value}"
    ),
    "booking.name-letter": QT_TRANSLATE_NOOP("Messages", "the {field} needs at least one letter"),
    "booking.date-format": QT_TRANSLATE_NOOP(
        "Messages", "the {field} must be a date like 1990-07-31 or 07/31/1990, not {value}"
    ),
    "booking.date-month": QT_TRANSLATE_NOOP(
        "Messages", "the {field} has no month {number}: months are 1 to 12"
    ),
    "booking.date-day": QT_TRANSLATE_NOOP(
        "Messages", "the {field} has no day {day}: {month} {year} has {days} days"
    ),
    "booking.choose": QT_TRANSLATE_NOOP("Messages", "choose the {field}"),
    "booking.not-a-code": QT_TRANSLATE_NOOP("Messages", "{value} is not a {field} code"),
    "booking.height-enter": QT_TRANSLATE_NOOP("Messages", "enter the height, e.g. 5'10\""),
    "booking.height-format": QT_TRANSLATE_NOOP(
        "Messages", "height as feet and inches, e.g. 5'10\" or 510, not {value}"
    ),
    "booking.inches": QT_TRANSLATE_NOOP("Messages", "inches must be 0 to 11, not {value}"),
    "booking.height-range": QT_TRANSLATE_NOOP("Messages", "height must be from {low} to {high} (EBTS)"),
    "booking.weight-enter": QT_TRANSLATE_NOOP("Messages", "enter the weight in pounds"),
    "booking.weight-format": QT_TRANSLATE_NOOP("Messages", "weight in whole pounds, e.g. 170, not {value}"),
    "booking.weight-range": QT_TRANSLATE_NOOP(
        "Messages", "weight must be from {low} to {high} pounds (EBTS)"
    ),
    "booking.name-length": QT_TRANSLATE_NOOP(
        "Messages", "surname and given names together are {length} characters; EBTS allows {limit}"
    ),
    "booking.arrest-future": QT_TRANSLATE_NOOP("Messages", "the date of arrest cannot be in the future"),
    "booking.birth-future": QT_TRANSLATE_NOOP("Messages", "the date of birth cannot be in the future"),
    "booking.birth-too-old": QT_TRANSLATE_NOOP(
        "Messages", "the date of birth is more than {years} years ago"
    ),
    "booking.birth-after-arrest": QT_TRANSLATE_NOOP(
        "Messages", "the date of birth is after the date of arrest"
    ),
    "booking.no-charges": QT_TRANSLATE_NOOP("Messages", "enter at least one charge"),
    "booking.offense-future": QT_TRANSLATE_NOOP("Messages", "the offense date cannot be in the future"),
    "booking.offense-after-arrest": QT_TRANSLATE_NOOP(
        "Messages", "the offense date is after the date of arrest"
    ),
    "booking.describe-charge": QT_TRANSLATE_NOOP("Messages", "describe the charge"),
    "booking.charge-length": QT_TRANSLATE_NOOP("Messages", "at most {limit} characters (now {length})"),
    "booking.choose-level": QT_TRANSLATE_NOOP("Messages", "choose felony or misdemeanor"),
    "answer.retrying": QT_TRANSLATE_NOOP("Messages", "not sent yet ({attempts} attempt(s)), retrying"),
    "answer.refused": QT_TRANSLATE_NOOP("Messages", "refused by the backend"),
    "answer.detainer": QT_TRANSLATE_NOOP("Messages", "ICE detainer"),
    "answer.immigration": QT_TRANSLATE_NOOP("Messages", "immigration response"),
    "answer.resubmitted": QT_TRANSLATE_NOOP("Messages", "corrected, resubmitted"),
    "answer.rejected": QT_TRANSLATE_NOOP("Messages", "rejected: {count} error(s) to fix"),
    "answer.identified": QT_TRANSLATE_NOOP("Messages", "identified, FBI {fbi}"),
    "answer.no-record": QT_TRANSLATE_NOOP("Messages", "no FBI record"),
    "answer.unknown-kind": QT_TRANSLATE_NOOP(
        "Messages",
        "the backend sent an answer of a kind this station does not know ({kind}); it is kept as received",
    ),
    "answer.unreadable": QT_TRANSLATE_NOOP(
        "Messages", "the {kind} answer cannot be read ({error}); it is kept as received"
    ),
    "capture.finger-count": QT_TRANSLATE_NOOP(
        "Messages", "found {found} finger(s) where {expected} were expected"
    ),
    "capture.low-quality": QT_TRANSLATE_NOOP("Messages", "quality below {threshold}: {qualities}"),
    "capture.dirty-platen": QT_TRANSLATE_NOOP(
        "Messages", "clean the platen: residue of earlier prints beside the finger(s)"
    ),
    "capture.kept-best": QT_TRANSLATE_NOOP(
        "Messages", "best of {attempts} attempts kept (attempt {attempt}): {problem}"
    ),
    "capture.not-found": QT_TRANSLATE_NOOP("Messages", "{fingers} not found"),
    "capture.kept-best-now-good": QT_TRANSLATE_NOOP(
        "Messages", "attempt {attempt} kept; it passes today's threshold"
    ),
    "capture.override-note": QT_TRANSLATE_NOOP("Messages", "supervisor override: {reason}"),
    "capture.all-annotated": QT_TRANSLATE_NOOP("Messages", "all fingers annotated"),
    "capture.reason": "{reason}",  # a person's own words, shown as written
    "capture.not-in-plan": QT_TRANSLATE_NOOP("Messages", "the {position} is not part of this capture plan"),
    "capture.mode-not-in-plan": QT_TRANSLATE_NOOP(
        "Messages", "a {mode} capture is not part of this capture plan"
    ),
    "capture.rolled-one-finger": QT_TRANSLATE_NOOP(
        "Messages", "a rolled capture holds one finger, not {count}"
    ),
    "capture.annotation-code": QT_TRANSLATE_NOOP(
        "Messages", "the annotation must be XX (amputated) or UP (unable to print), not {code}"
    ),
    "capture.annotation-finger": QT_TRANSLATE_NOOP(
        "Messages", "only fingers 1–10 can be annotated, not position {value}"
    ),
    "capture.annotation-reason": QT_TRANSLATE_NOOP(
        "Messages", "give a reason for marking the {finger} {code}"
    ),
    "capture.override-reason": QT_TRANSLATE_NOOP("Messages", "give a reason for the override"),
    "capture.sequence-override-reason": QT_TRANSLATE_NOOP(
        "Messages", "give a reason for overriding the sequence check"
    ),
    "capture.not-supervisor": QT_TRANSLATE_NOOP(
        "Messages", "{name} is not a supervisor: an override needs a supervisor"
    ),
    "capture.supervisor-refused": QT_TRANSLATE_NOOP("Messages", "not a supervisor's name and password"),
    "capture.bad-image": QT_TRANSLATE_NOOP(
        "Messages", "the scanner returned an image that is not 8-bit grayscale"
    ),
    "capture.encode-failed": QT_TRANSLATE_NOOP("Messages", "the captured image could not be stored as PNG"),
    "capture.judge-failed": QT_TRANSLATE_NOOP(
        "Messages", "the capture could not be judged (technical detail: {detail})"
    ),
    "compute.crashed": QT_TRANSLATE_NOOP(
        "Messages", "the check stopped because its worker process ended unexpectedly; try again"
    ),
    "capture.step-open": QT_TRANSLATE_NOOP("Messages", "{step}: {state}"),
    "capture.sequence-not-run": QT_TRANSLATE_NOOP("Messages", "the sequence check has not been run"),
    "capture.nothing-to-override": QT_TRANSLATE_NOOP(
        "Messages", "the sequence check found nothing that needs an override"
    ),
    "capture.sequence-finding": QT_TRANSLATE_NOOP("Messages", "sequence: {finding}"),
    "capture.not-ready": QT_TRANSLATE_NOOP("Messages", "the prints cannot be submitted yet: {blockers}"),
    "capture.queue-failed": QT_TRANSLATE_NOOP(
        "Messages", "the prints are complete and saved, but could not be queued: {detail}"
    ),
    "capture.queued": QT_TRANSLATE_NOOP("Messages", "prints complete; queued for submission ({tcn})"),
    "capture.plan-tenprint": QT_TRANSLATE_NOOP(
        "Messages", "tenprint: right slap, left slap, both thumbs, then ten rolled prints"
    ),
    "capture.plan-flats": QT_TRANSLATE_NOOP(
        "Messages", "flats only (4-4-2): right slap, left slap and both thumbs, no rolled prints"
    ),
    "sequence.swapped": QT_TRANSLATE_NOOP("Messages", "rolled {first} and {second} appear swapped"),
    "sequence.wrong-hand": QT_TRANSLATE_NOOP(
        "Messages",
        "rolled prints of the {hand} hand match the other hand's flat fingers ({fingers}): wrong hand rolled",
    ),
    "sequence.duplicate": QT_TRANSLATE_NOOP(
        "Messages", "rolled {first} and {second} are the same finger captured twice"
    ),
    "sequence.misplaced": QT_TRANSLATE_NOOP(
        "Messages", "rolled {finger} matches the flat {other}, not its own"
    ),
    "sequence.unconfirmed": QT_TRANSLATE_NOOP(
        "Messages", "rolled {finger} could not be confirmed against its flat finger"
    ),
    "sequence.other-person": QT_TRANSLATE_NOOP(
        "Messages",
        "rolled {fingers} match none of the slap fingers: the slaps and the rolled prints may be of "
        "different people; retake them, or a supervisor overrides with a reason",
    ),
    "alert.note-required": QT_TRANSLATE_NOOP(
        "Messages", "write what you checked before acknowledging the alert"
    ),
    "alert.note-length": QT_TRANSLATE_NOOP("Messages", "the note is {length} characters; at most {limit}"),
    "alert.unknown": QT_TRANSLATE_NOOP("Messages", "this alert no longer exists"),
    "alert.already-acknowledged": QT_TRANSLATE_NOOP(
        "Messages", "the alert was already acknowledged by {who}"
    ),
    "sequence.passed": QT_TRANSLATE_NOOP("Messages", "sequence confirmed for {count} finger(s)"),
    "sequence.failed": QT_TRANSLATE_NOOP("Messages", "the sequence check could not run"),
    "scanner.none": QT_TRANSLATE_NOOP("Messages", "no scanner is connected"),
    "scanner.open-failed": QT_TRANSLATE_NOOP("Messages", "the scanner could not be opened: {detail}"),
    "scanner.failed": QT_TRANSLATE_NOOP("Messages", "the capture failed: {detail}"),
    "scanner.device": "{detail}",  # the device's own words
    "scanner.gone": QT_TRANSLATE_NOOP("Messages", "scanner disconnected: {detail}"),
    "scanner.mode-unsupported": QT_TRANSLATE_NOOP("Messages", "{device} cannot take {mode} captures"),
    "scanner.stopped": QT_TRANSLATE_NOOP("Messages", "the capture did not finish within {seconds} s"),
    "detainer.unknown": QT_TRANSLATE_NOOP("Messages", "detainer {id} does not exist"),
    "claim.kind": QT_TRANSLATE_NOOP(
        "Messages", "a claim is that the person is a U.S. citizen or a crime victim, not {value}"
    ),
    "claim.statement": QT_TRANSLATE_NOOP("Messages", "write down what the person said"),
    "claim.statement-length": QT_TRANSLATE_NOOP(
        "Messages", "what the person said is at most {limit} characters (now {length})"
    ),
    "claim.closed": QT_TRANSLATE_NOOP(
        "Messages", "detainer {detainer} is closed: a claim can no longer change it"
    ),
    "claim.already": QT_TRANSLATE_NOOP(
        "Messages",
        "this claim is already recorded for detainer {detainer}; tell the ICE Law Enforcement Support Center anything more by telephone",
    ),
    "copy.save-failed": QT_TRANSLATE_NOOP(
        "Messages", "the copy was not saved as {path}: {os_error} (technical detail: {detail})"
    ),
    "copy.method": QT_TRANSLATE_NOOP(
        "Messages",
        "record how the copy was given (handed over, read by an interpreter, or refused), not {value}",
    ),
    "copy.interpreter": QT_TRANSLATE_NOOP("Messages", "enter the interpreter's name or ID number"),
    "copy.interpreter-length": QT_TRANSLATE_NOOP(
        "Messages", "the interpreter's name or ID number is at most {limit} characters"
    ),
    "copy.unknown": QT_TRANSLATE_NOOP("Messages", "copy {id} was not made for this detainer"),
    "copy.language-not-listed": QT_TRANSLATE_NOOP(
        "Messages", "{language} is not a language of this detainer"
    ),
    "copy.needs-interpreter": QT_TRANSLATE_NOOP(
        "Messages", "{language} has no written copy: an interpreter must give the notice in it"
    ),
    "booking.unknown": QT_TRANSLATE_NOOP("Messages", "booking {id} does not exist"),
    "outbox.waiting": QT_TRANSLATE_NOOP(
        "Messages", "booking {booking} already has a submission that is not answered yet ({tcn})"
    ),
    "outbox.build-failed": QT_TRANSLATE_NOOP(
        "Messages", "the submission for booking {booking} cannot be built (technical detail: {detail})"
    ),
    "outbox.not-waiting": QT_TRANSLATE_NOOP("Messages", "submission {tcn} is not waiting to be sent"),
    "outbox.image-unreadable": QT_TRANSLATE_NOOP("Messages", "the stored image of the {step} cannot be read"),
    "outbox.no-prints": QT_TRANSLATE_NOOP("Messages", "booking {booking} has no accepted prints to submit"),
    "import.unreadable": QT_TRANSLATE_NOOP(
        "Messages",
        "the file is not a readable EBTS transaction: the problem is at byte {offset} (technical detail: {detail})",
    ),
    "import.unreadable-anywhere": QT_TRANSLATE_NOOP(
        "Messages", "the file is not a readable EBTS transaction (technical detail: {detail})"
    ),
    "import.no-person": QT_TRANSLATE_NOOP("Messages", "the {tot} has no Type-2 record: no one to book"),
    "import.not-a-booking": QT_TRANSLATE_NOOP(
        "Messages", "the file's Type-2 record does not make a booking: {problems}"
    ),
    "import.charges": QT_TRANSLATE_NOOP("Messages", "the file's charges cannot be read"),
    "detainer.releasable-zone": QT_TRANSLATE_NOOP("Messages", "the releasable time needs its time zone"),
    "detainer.outcome-zone": QT_TRANSLATE_NOOP("Messages", "the time of the outcome needs its time zone"),
    "detainer.time-format": QT_TRANSLATE_NOOP(
        "Messages", "{value} is not an ISO 8601 date and time such as 2012-12-21T17:00"
    ),
    "detainer.time-skipped": QT_TRANSLATE_NOOP(
        "Messages",
        "{value} does not exist in {zone} (the clocks skip it for daylight saving); give the time with its UTC offset",
    ),
    "detainer.implausible-date": QT_TRANSLATE_NOOP(
        "Messages", "{date} is not a plausible date for a detainer (check the year)"
    ),
    "detainer.deadline-failed": QT_TRANSLATE_NOOP(
        "Messages", "the deadline cannot be worked out (technical detail: {detail})"
    ),
    "detainer.clock-closed": QT_TRANSLATE_NOOP(
        "Messages", "detainer {detainer} is closed ({detainer_status}); its clock cannot change"
    ),
    "detainer.has-outcome": QT_TRANSLATE_NOOP(
        "Messages", "detainer {detainer} already has an outcome: {detainer_outcome}"
    ),
    "copy.no-deadline": QT_TRANSLATE_NOOP(
        "Messages", "record when the person becomes releasable first: the copy states the deadline"
    ),
    "copy.failed": QT_TRANSLATE_NOOP("Messages", "the copy cannot be made (technical detail: {detail})"),
    "operator.invalid": QT_TRANSLATE_NOOP("Messages", "the account cannot be added: {blockers}"),
    "operator.user-name-rule": QT_TRANSLATE_NOOP(
        "Messages",
        "user name: 2-64 characters, lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
    ),
    "operator.role": QT_TRANSLATE_NOOP("Messages", "role: one of {roles}, not {value}"),
    "operator.taken": QT_TRANSLATE_NOOP("Messages", "user name {user} is already taken"),
    "operator.unknown": QT_TRANSLATE_NOOP("Messages", "no account named {user}"),
    "operator.last-supervisor": QT_TRANSLATE_NOOP(
        "Messages", "this is the last active supervisor account; add another supervisor first"
    ),
    "config.ori-format": QT_TRANSLATE_NOOP(
        "Messages", "an ORI is 9 characters: 2 letters for the state, then 7 letters or digits"
    ),
    "config.ori-state": QT_TRANSLATE_NOOP("Messages", "an ORI starts with a US state code, not {value}"),
    "config.text": QT_TRANSLATE_NOOP("Messages", "must be text, not {kind}"),
    "config.empty": QT_TRANSLATE_NOOP("Messages", "must not be empty"),
    "config.time-zone": QT_TRANSLATE_NOOP(
        "Messages", "unknown time zone {value} (use an IANA name such as America/Chicago)"
    ),
    "config.state": QT_TRANSLATE_NOOP("Messages", "unknown US state code {value} (two letters, e.g. TX)"),
    "config.backend": QT_TRANSLATE_NOOP(
        "Messages",
        "must be {embedded} or an https:// URL (criminal-justice information never travels in clear), not {value}",
    ),
    "config.file": QT_TRANSLATE_NOOP("Messages", "no such file: {path}"),
    "config.tls-files": QT_TRANSLATE_NOOP(
        "Messages",
        "a backend at a URL needs the station's certificate files: backend_ca, backend_certificate and backend_key (make them with `booking-station pki issue --ori ORI`)",
    ),
    "config.certificate": QT_TRANSLATE_NOOP("Messages", "the certificate files do not work: {problem}"),
    "config.certificate-ori": QT_TRANSLATE_NOOP(
        "Messages", "the certificate is for ORI {ori}, but agency_ori is {agency}"
    ),
    "config.backend-certificate": QT_TRANSLATE_NOOP(
        "Messages", "this backend needs the station's certificate: {problem}"
    ),
    "config.bool": QT_TRANSLATE_NOOP("Messages", "must be true or false"),
    "config.threshold": QT_TRANSLATE_NOOP("Messages", "must be a whole number from 0 to 100"),
    "config.threshold-range": QT_TRANSLATE_NOOP("Messages", "must be from 0 to 100, not {value}"),
    "config.database": QT_TRANSLATE_NOOP("Messages", "not a SQLAlchemy database URL: {value}"),
    "config.alerts": QT_TRANSLATE_NOOP("Messages", "must be a list of hours, e.g. [12, 2]"),
    "config.alerts-entry": QT_TRANSLATE_NOOP(
        "Messages", "every entry must be a positive number of hours, not {value}"
    ),
    "config.one-of": QT_TRANSLATE_NOOP("Messages", "must be one of {choices}, not {value}"),
    "config.whole": QT_TRANSLATE_NOOP("Messages", "must be a whole number from {low} to {high}, not {value}"),
    "config.unknown-key": QT_TRANSLATE_NOOP("Messages", "unknown key (known keys: {keys})"),
    "config.toml": QT_TRANSLATE_NOOP("Messages", "not valid TOML (technical detail: {detail})"),
    "config.toml-at": QT_TRANSLATE_NOOP(
        "Messages", "not valid TOML at line {line}, column {column} (technical detail: {detail})"
    ),
    "capture.plan-unknown": QT_TRANSLATE_NOOP(
        "Messages", "capture_plan must be 'tenprint' or 'flats', not {value}"
    ),
    "operator.locked": QT_TRANSLATE_NOOP(
        "Messages",
        "the account {user} is locked after too many wrong passwords, until {until}; a supervisor can unlock it",
    ),
    "operator.wrong-current-password": QT_TRANSLATE_NOOP(
        "Messages", "the current password is wrong; nothing was changed"
    ),
    "password.rules": QT_TRANSLATE_NOOP("Messages", "the password does not follow the rules: {blockers}"),
    "password.too-short": QT_TRANSLATE_NOOP("Messages", "at least {min} characters"),
    "password.too-long": QT_TRANSLATE_NOOP("Messages", "at most {max} characters"),
    "password.common": QT_TRANSLATE_NOOP("Messages", "not a common password, dictionary word or name"),
    "password.user-name": QT_TRANSLATE_NOOP("Messages", "not the user name or a variation of it"),
    "password.reused": QT_TRANSLATE_NOOP("Messages", "not one of the last {count} passwords"),
    "outbox.invalid": QT_TRANSLATE_NOOP("Messages", "booking {booking} is not ready to submit: {blockers}"),
    "ebts.field": QT_TRANSLATE_NOOP("Messages", "{field} ({tag}): {ebts_error}, error code {code}"),
    "ebts.field-value": QT_TRANSLATE_NOOP(
        "Messages", "{field} ({tag}) is {value}: {ebts_error}, error code {code}"
    ),
    "ebts.record": QT_TRANSLATE_NOOP("Messages", "{tag}: {ebts_error}, error code {code}"),
    "ebts.record-value": QT_TRANSLATE_NOOP("Messages", "{tag} is {value}: {ebts_error}, error code {code}"),
    "ebts.field-allowed": QT_TRANSLATE_NOOP(
        "Messages", "{field} ({tag}) is {value}: {ebts_error}; accepted: {allowed}, error code {code}"
    ),
    "ebts.record-allowed": QT_TRANSLATE_NOOP(
        "Messages", "{tag} is {value}: {ebts_error}; accepted: {allowed}, error code {code}"
    ),
    "link.needs-certificate": QT_TRANSLATE_NOOP(
        "Messages",
        "{url} needs the station's certificate: set backend_ca, backend_certificate and backend_key in the station's settings",
    ),
    "link.host-mismatch": QT_TRANSLATE_NOOP(
        "Messages",
        "refused {url}: its certificate is not for the host in the address; the station talks only to the service its CA vouches for",
    ),
    "link.untrusted": QT_TRANSLATE_NOOP(
        "Messages",
        "refused {url}: its certificate does not chain to the station's CA ({ca}); the station talks only to the service its CA vouches for",
    ),
    "link.timeout": QT_TRANSLATE_NOOP("Messages", "{url} did not answer in time"),
    "link.refused": QT_TRANSLATE_NOOP(
        "Messages",
        "{url} cannot be reached (the connection was refused or the host is unknown)",
    ),
    "link.no-answer": QT_TRANSLATE_NOOP("Messages", "{url} did not answer ({error})"),
    "link.access-denied": QT_TRANSLATE_NOOP(
        "Messages",
        "{url} refused this station's certificate for {request} ({status}): {detail}",
    ),
    "link.unavailable": QT_TRANSLATE_NOOP(
        "Messages", "{url} cannot answer now: {status} to {request}: {detail}"
    ),
    "link.refused-request": QT_TRANSLATE_NOOP("Messages", "{request} was refused ({status}): {detail}"),
    "link.mailbox-unreadable": QT_TRANSLATE_NOOP("Messages", "mailbox message {id} has no readable body"),
    "link.database": QT_TRANSLATE_NOOP(
        "Messages",
        "the station's database cannot be used now ({database}); the station tries again by itself",
    ),
    "link.failed": QT_TRANSLATE_NOOP(
        "Messages",
        "the link stopped on an unexpected error ({error}); the station's log has the details",
    ),
    "outbox.fbi-rejected": QT_TRANSLATE_NOOP("Messages", "the FBI rejected it: {errors}"),
    "audit.start-missing": QT_TRANSLATE_NOOP(
        "Messages", "the record of where the keyed chain starts is missing or was altered"
    ),
    "audit.missing": QT_TRANSLATE_NOOP(
        "Messages", "expected event {expected} here but found {found} (events missing)"
    ),
    "audit.out-of-order": QT_TRANSLATE_NOOP(
        "Messages", "expected event {expected} here but found {found} (events out of order)"
    ),
    "audit.not-following": QT_TRANSLATE_NOOP("Messages", "does not follow the event before it"),
    "audit.changed": QT_TRANSLATE_NOOP("Messages", "its content was changed after it was written"),
    "audit.cut": QT_TRANSLATE_NOOP(
        "Messages", "the log ends at event {last} but {written} were written (events removed at the end)"
    ),
    "audit.removed": QT_TRANSLATE_NOOP(
        "Messages",
        "events {start} to {last} were removed: the backend holds the head of event {last}, anchored at {anchored}, and the log now ends at event {count}",
    ),
    "audit.rewritten": QT_TRANSLATE_NOOP(
        "Messages",
        "the log no longer matches the head the backend anchored for event {event}; it still matches the anchors through event {good}, so an event from {start} to {event} was changed and the chain recomputed (newest anchor not matched: {anchored})",
    ),
    "embedded.no-folder": QT_TRANSLATE_NOOP(
        "Messages", "the embedded FBI/DHS service needs a folder for its database"
    ),
    "embedded.stopped": QT_TRANSLATE_NOOP(
        "Messages",
        "the embedded FBI/DHS service stopped while starting (exit status {status}); its log is {log}",
    ),
    "embedded.timeout": QT_TRANSLATE_NOOP(
        "Messages",
        "the embedded FBI/DHS service did not start within {seconds} s; its log is {log}",
    ),
    "embedded.not-running": QT_TRANSLATE_NOOP(
        "Messages",
        "the embedded FBI/DHS service is not running (it runs while the station's duties do)",
    ),
    "pki.not-an-ori": QT_TRANSLATE_NOOP(
        "Messages", "{value} is not an ORI: 9 letters or digits, e.g. VA0000000"
    ),
    "pki.certificate-missing": QT_TRANSLATE_NOOP("Messages", "the certificate {path} does not exist"),
    "pki.key-missing": QT_TRANSLATE_NOOP("Messages", "the key {path} does not exist"),
    "pki.not-a-certificate": QT_TRANSLATE_NOOP("Messages", "{path} is not a PEM certificate"),
    "pki.not-a-key": QT_TRANSLATE_NOOP("Messages", "{path} is not a PEM private key"),
    "pki.pair-unusable": QT_TRANSLATE_NOOP(
        "Messages",
        "the certificate {certificate} and the key {key} cannot be used together ({reason}); issue a new pair with `booking-station pki issue`",
    ),
    "pki.not-issued-by": QT_TRANSLATE_NOOP(
        "Messages", "the certificate {certificate} was not issued by the CA {ca}"
    ),
    "pki.key-mismatch": QT_TRANSLATE_NOOP(
        "Messages", "the key {key} is not the key of the certificate {certificate}"
    ),
    "pki.expired": QT_TRANSLATE_NOOP("Messages", "the certificate {certificate} expired on {date}"),
    "pki.no-identity": QT_TRANSLATE_NOOP(
        "Messages",
        "the certificate {certificate} does not name a station, an administrator or the backend as this CA writes them",
    ),
    "pki.ca-exists": QT_TRANSLATE_NOOP(
        "Messages", "{folder} already holds a CA; use another folder or the existing CA"
    ),
    "pki.no-ca": QT_TRANSLATE_NOOP(
        "Messages",
        "{folder} holds no certificate authority (ca.pem and private/ca.key); make one with: booking-station pki init --dir {folder}",
    ),
    "pki.ca-key-kind": QT_TRANSLATE_NOOP("Messages", "{path} is not this CA's kind of key (ECDSA)"),
    "pki.no-hosts": QT_TRANSLATE_NOOP(
        "Messages", "the backend's certificate needs at least one host name or address"
    ),
    "pki.admin-name": QT_TRANSLATE_NOOP(
        "Messages", "an administrator's certificate needs a name of 1 to 64 characters"
    ),
    "pki.unknown-serial": QT_TRANSLATE_NOOP(
        "Messages",
        "this CA issued no certificate with serial {serial} (see `booking-station pki list`)",
    ),
    "pki.crl-missing": QT_TRANSLATE_NOOP("Messages", "the revocation list {path} is missing"),
    "pki.crl-unreadable": QT_TRANSLATE_NOOP("Messages", "the revocation list {path} is not a PEM CRL"),
    "pki.crl-forged": QT_TRANSLATE_NOOP(
        "Messages", "the revocation list {path} is not signed by the backend's CA"
    ),
}

# Parameter values that are words of the core's vocabulary.
_HANDS = {"right": QT_TRANSLATE_NOOP("Messages", "right"), "left": QT_TRANSLATE_NOOP("Messages", "left")}
_MODES = {
    "rolled": QT_TRANSLATE_NOOP("Messages", "rolled"),
    "plain": QT_TRANSLATE_NOOP("Messages", "plain"),
    "right-slap": QT_TRANSLATE_NOOP("Messages", "right-slap"),
    "left-slap": QT_TRANSLATE_NOOP("Messages", "left-slap"),
    "two-thumbs": QT_TRANSLATE_NOOP("Messages", "two-thumbs"),
}


# A detainer's status (DetainerStatus) and the outcome that closed it (detainers.service.Outcome).
_DETAINER_STATUS = {
    "active": QT_TRANSLATE_NOOP("Messages", "active"),
    "cancelled": QT_TRANSLATE_NOOP("Messages", "cancelled"),
    "lapsed": QT_TRANSLATE_NOOP("Messages", "lapsed"),
    "released": QT_TRANSLATE_NOOP("Messages", "released"),
    "transferred": QT_TRANSLATE_NOOP("Messages", "transferred"),
}
_DETAINER_OUTCOME = {
    "released": QT_TRANSLATE_NOOP("Messages", "released"),
    "transferred": QT_TRANSLATE_NOOP("Messages", "transferred to ICE custody"),
    "cancelled": QT_TRANSLATE_NOOP("Messages", "cancelled by ICE"),
}


def detainer_status_text(status: str) -> str:
    """A detainer's status (`DetainerStatus` value) in the UI's language."""
    return QCoreApplication.translate(_CONTEXT, _DETAINER_STATUS.get(str(status), str(status)))


_MONTHS = (
    QT_TRANSLATE_NOOP("Messages", "January"),
    QT_TRANSLATE_NOOP("Messages", "February"),
    QT_TRANSLATE_NOOP("Messages", "March"),
    QT_TRANSLATE_NOOP("Messages", "April"),
    QT_TRANSLATE_NOOP("Messages", "May"),
    QT_TRANSLATE_NOOP("Messages", "June"),
    QT_TRANSLATE_NOOP("Messages", "July"),
    QT_TRANSLATE_NOOP("Messages", "August"),
    QT_TRANSLATE_NOOP("Messages", "September"),
    QT_TRANSLATE_NOOP("Messages", "October"),
    QT_TRANSLATE_NOOP("Messages", "November"),
    QT_TRANSLATE_NOOP("Messages", "December"),
)


# The core's own short names for its settings and roles, keyed by their codes.
_ROLES = {
    "clerk": QT_TRANSLATE_NOOP("Messages", "clerk"),
    "supervisor": QT_TRANSLATE_NOOP("Messages", "supervisor"),
    "hardware-tester": QT_TRANSLATE_NOOP("Messages", "hardware-tester"),
}
_PLANS = {  # desktop/station/config.py CAPTURE_PLANS
    "tenprint": QT_TRANSLATE_NOOP("Messages", "slaps, thumbs and ten rolled prints"),
    "flats": QT_TRANSLATE_NOOP("Messages", "flats only (4-4-2 slaps and thumbs)"),
}


def role_text(role: str) -> str:
    """An operator's role (`Role` value) in the UI's language."""
    return QCoreApplication.translate(_CONTEXT, _ROLES.get(str(role), str(role)))


def plan_text(code: str) -> str:
    """A capture plan's short description (config key `capture_plan`) in the UI's language."""
    return QCoreApplication.translate(_CONTEXT, _PLANS.get(code, code))


def _template(code: str) -> str:
    return QCoreApplication.translate(_CONTEXT, TEMPLATES[code])


def _word(kind: str, value: Any) -> str:
    from desktop.ui import capture_text

    if kind == "finger":
        return capture_text.finger_name(int(value))
    if kind == "step":
        return capture_text.position_label(int(value))
    if kind == "state":
        return capture_text.state_text(value)
    if kind == "hand":
        return QCoreApplication.translate(_CONTEXT, _HANDS.get(value, value))
    if kind == "mode":
        return QCoreApplication.translate(_CONTEXT, _MODES.get(value, value))
    if kind == "field":
        from desktop.ui.field_text import field_name

        return field_name(str(value))
    if kind == "month":
        return QCoreApplication.translate(_CONTEXT, _MONTHS[int(value) - 1])
    if kind == "detainer-status":
        return detainer_status_text(value)
    if kind == "detainer-outcome":
        return QCoreApplication.translate(_CONTEXT, _DETAINER_OUTCOME.get(str(value), str(value)))
    if kind == "ebts-error":  # an EBTS error code's meaning, from the translated code table
        from desktop.ui.code_text import code_table

        meaning = code_table("ERROR_CODES").get(str(value), str(value))
        return meaning[:1].lower() + meaning[1:]
    if kind == "os-error":
        return QCoreApplication.translate(_CONTEXT, _OS_ERRORS.get(str(value), _OS_ERROR_OTHER))
    if kind == "alternatives":  # "500 ppi or 1000 ppi"
        return alternatives([str(v) for v in value], QCoreApplication.translate(_CONTEXT, _OR))
    return str(value)


def text(message: Message) -> str:
    """`message` in the UI's language."""
    return render(message, _template, _word)


def recorded_text(recorded: Recorded) -> str:
    """A problem kept with a record, in the UI's language; one stored as a sentence by an earlier
    version of the station (before problems were codes) is shown as it was written, and says so."""
    if recorded.message is not None:
        return text(recorded.message)
    return QCoreApplication.translate("Messages", "{text} (as recorded by an earlier version)").format(
        text=recorded.text
    )


def sentence(text: str) -> str:
    """A message of the core's standing alone (a message box, a page's status line): the templates
    are written to sit inside other sentences too, so the capital is added here."""
    return text[:1].upper() + text[1:]


def error_text(exc: BaseException) -> str:
    """An exception from the core as the clerk reads it: its Message when it has one."""
    msg = problem_of(exc)
    if msg is not None:
        return text(msg)
    if isinstance(exc, UserError):
        return str(exc)
    # A bug, not something the clerk can act on: say so in their language; the log has the details.
    _log.error("unexpected error shown to the operator", exc_info=exc)
    return QCoreApplication.translate("Messages", "something went wrong; the station's log has the details")
