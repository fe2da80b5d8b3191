"""Every problem the station core raises for a person to read is a message code the UI can word.

The core says what is wrong as a code with parameters (desktop/station/messages.py) and the UI turns
it into the clerk's language (desktop/ui/message_text.py). An English sentence raised as a plain
`UserError` would reach the Spanish station in English; this scan of desktop/station's source finds
one the day it is written. A few stay English on purpose (listed below, each with why).
"""

from __future__ import annotations

import ast
from pathlib import Path

from desktop.station import messages
from desktop.ui import message_text

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "desktop" / "station"

# Files whose UserErrors stay English sentences, and why.
ENGLISH_BY_DESIGN = {
    "db.py": "the database opens before the settings (and so the language) are read; the window "
    "says the station cannot start, in English",
    "demo.py": "the `demo bookings` command's own arguments (the command line is English)",
    "reports/cli.py": "the `report` command's arguments and output file (the command line)",
}
# UserError subclasses whose problems are Messages (or worded by the UI from their fields).
WORDED_ELSEWHERE = {
    "BookingInvalid": "each field's problem is a Message",
    "ConfigError": "each key's problem is a Message (`messages`)",
    "StoreUnavailable": "the window words it from its kind and database (app._database_problem_text)",
}
# Calls that make a Message from a code given as their first argument.
MESSAGE_MAKERS = {"message", "_Wrong", "_Invalid", "TimeInputError"}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _sources() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(CORE)): ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(CORE.rglob("*.py"))
    }


def _subclasses(trees: dict[str, ast.Module], root: str) -> set[str]:
    """Class names defined in the core that derive from `root` (by name, through the core's classes)."""
    bases = {
        node.name: {_name(b) for b in node.bases}
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    found = {root}
    while True:
        more = {name for name, of in bases.items() if of & found} - found
        if not more:
            return found
        found |= more


def _problems(trees: dict[str, ast.Module]) -> list[str]:
    coded = _subclasses(trees, "StationError") | _subclasses(trees, "CodedError")
    user_errors = _subclasses(trees, "UserError") | {"UserError"}
    problems = []
    for file, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in coded | MESSAGE_MAKERS and node.args:
                code = node.args[0]  # a variable: a helper passing a code on (checked where it is written)
                written = isinstance(code, ast.Constant) and isinstance(code.value, str)
                if written and code.value not in message_text.TEMPLATES:
                    problems.append(f"{file}:{node.lineno}: code {code.value!r} has no UI template")
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            raised = _name(node.exc.func)
            worded = raised in coded or raised in WORDED_ELSEWHERE or file in ENGLISH_BY_DESIGN
            if raised in user_errors and not worded:
                problems.append(f"{file}:{node.lineno}: raises {raised} with a sentence, not a code")
            sentence = node.exc.args and isinstance(node.exc.args[0], ast.JoinedStr)
            if raised in coded and sentence:
                problems.append(f"{file}:{node.lineno}: raises {raised} with a sentence, not a code")
    return problems


def test_every_user_error_the_core_raises_is_a_code_the_ui_words() -> None:
    problems = _problems(_sources())
    assert not problems, "\n".join(problems)


def test_the_scan_finds_an_english_sentence_and_an_unknown_code() -> None:
    """The scan itself: an English UserError and a code with no template are both caught."""
    sample = ast.parse(
        "from booking_station.runtime import UserError\n"
        "from desktop.station.messages import StationError\n"
        "class Refused(StationError):\n"
        "    pass\n"
        "def f(n):\n"
        "    if n:\n"
        "        raise UserError(f'booking {n} does not exist')\n"
        "    raise Refused('no.such-code')\n"
    )
    found = _problems({"sample.py": sample})
    assert len(found) == 2, found
    assert "raises UserError with a sentence" in found[0] or "raises UserError with a sentence" in found[1]
    assert any("'no.such-code'" in p for p in found)


def test_every_code_the_core_knows_the_ui_can_word() -> None:
    assert set(messages.ENGLISH) == set(message_text.TEMPLATES)


def test_the_link_to_the_backend_fails_with_codes() -> None:
    """The backend client's failures reach the clerk (a submission's last attempt, the status bar):
    each is a CodedError, so none is an English sentence (the scan then checks every raise)."""
    from desktop.station import outbox_client

    for failure in ("BackendUnavailable", "BackendRejected", "BackendUntrusted", "BackendAccessDenied"):
        assert issubclass(getattr(outbox_client, failure), messages.CodedError), failure


def test_every_certificate_problem_is_a_code_the_station_words() -> None:
    """booking_station.pki (the ground floor, also the backend's) raises PkiError with a code and the
    file it is about; the station's catalogue holds the same codes, so the Spanish station names the
    certificate in Spanish."""
    from booking_station import pki_errors

    source = ROOT / "booking_station" / "pki.py"
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _name(node.func) == "PkiError":
            code = node.args[0] if node.args else None
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                if code.value not in pki_errors.ENGLISH:
                    found.append(f"pki.py:{node.lineno}: unknown code {code.value!r}")
            elif not (isinstance(code, ast.Name | ast.Attribute)):  # a code passed on (self._error)
                found.append(f"pki.py:{node.lineno}: PkiError with a sentence, not a code")
    assert not found, "\n".join(found)
    assert set(pki_errors.ENGLISH) <= set(message_text.TEMPLATES)
    assert all(messages.ENGLISH[code] == english for code, english in pki_errors.ENGLISH.items())


def test_a_stored_message_comes_back_the_same_with_its_nested_messages() -> None:
    """What the database keeps (Message.stored(), JSON) reads back as the same Message, nested
    messages included; a code this version does not know reads back as nothing (its English is shown)."""
    import json

    inner = messages.message("capture.step-open", step=2, state="retake")
    outer = messages.message(
        "capture.not-ready", blockers=[inner, messages.message("capture.sequence-not-run")]
    )
    doc = json.loads(json.dumps(outer.stored()))
    assert messages.from_stored(doc) == messages.Message(
        "capture.not-ready", {"blockers": [inner, outer.params["blockers"][1]]}
    )
    assert doc["english"] == str(outer)
    assert messages.from_stored({"code": "no.such-code", "params": {}, "english": "x"}) is None
    assert messages.from_stored({"code": "booking.enter", "params": {}}) is None  # a parameter missing
