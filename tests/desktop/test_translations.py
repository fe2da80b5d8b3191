"""The UI in Spanish: every string translated, the shipped .qm built from the .ts, the station in Spanish.

The catalogue checks run the real Qt tools (pyside6-lupdate / pyside6-lrelease, installed with
PySide6) on the real sources, so a string added without a Spanish translation fails here.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel

from booking_station.runtime import UserError
from desktop.station import config as config_module
from desktop.station import messages
from desktop.station.bookings import BookingForm, BookingInvalid, parse
from desktop.ui import message_text, translations
from desktop.ui.code_text import TABLES, code_table, marked_names
from ebts import codes

ROOT = Path(__file__).resolve().parents[2]
UI_SOURCES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop" / "ui").glob("*.py"))
LANGUAGES_SHIPPED = ("en", "es")


def _tool(name: str) -> str:
    """A PySide6 tool beside this Python (the venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} not found: it is installed with PySide6 (pip install pyside6-essentials)"
    return found


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name"), msg.findtext("source")): msg
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def _lupdate(tmp_path: Path, language: str) -> Path:
    """The shipped .ts brought up to date with the sources, in a temporary copy."""
    shipped = translations.TRANSLATIONS / f"booking_station_{language}.ts"
    fresh = tmp_path / shipped.name
    shutil.copy(shipped, fresh)
    extra = ["-pluralonly"] if language == "en" else []
    subprocess.run(
        [_tool("pyside6-lupdate"), "-locations", "none", *extra, *UI_SOURCES, "-ts", str(fresh)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return fresh


@pytest.mark.parametrize("language", LANGUAGES_SHIPPED)
def test_every_ui_string_has_a_finished_translation(tmp_path, language) -> None:
    fresh = _messages(_lupdate(tmp_path, language))
    shipped = _messages(translations.TRANSLATIONS / f"booking_station_{language}.ts")
    new = sorted(set(fresh) - set(shipped))
    assert not new, f"strings in desktop/ui with no translation in booking_station_{language}.ts: {new}"
    gone = sorted(
        k for k, m in fresh.items() if m.find("translation").get("type") in ("obsolete", "vanished")
    )
    assert not gone, f"translations of strings no longer in the sources (run lupdate -no-obsolete): {gone}"
    unfinished = sorted(k for k, m in fresh.items() if m.find("translation").get("type") == "unfinished")
    assert not unfinished, f"unfinished translations: {unfinished}"
    empty = sorted(k for k, m in fresh.items() if not "".join(m.find("translation").itertext()).strip())
    assert not empty, f"empty translations: {empty}"


@pytest.mark.parametrize("language", LANGUAGES_SHIPPED)
def test_the_shipped_qm_is_compiled_from_the_ts(tmp_path, language) -> None:
    ts = translations.TRANSLATIONS / f"booking_station_{language}.ts"
    built = tmp_path / "built.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(built)], check=True, capture_output=True)
    assert built.read_bytes() == translations.qm_file(language).read_bytes(), (
        f"{translations.qm_file(language).name} is stale: run pyside6-lrelease {ts.relative_to(ROOT)}"
    )


_PLACEHOLDER = re.compile(r"%\d|%n|\{\w+\}")


def test_spanish_keeps_placeholders_accelerators_and_plurals() -> None:
    accelerators: dict[str, dict[str, str]] = {}
    for (context, source), msg in _messages(translations.TRANSLATIONS / "booking_station_es.ts").items():
        forms = [f.text or "" for f in msg.iter("numerusform")] or [msg.findtext("translation") or ""]
        if msg.get("numerus") == "yes":
            assert len(forms) == 2, (context, source)  # Spanish: singular, plural
        for text in forms:
            want = sorted(set(_PLACEHOLDER.findall(source)))
            assert sorted(set(_PLACEHOLDER.findall(text))) == want, (context, source, text)
            has_key = re.search(r"&(?!&)\w", source) is not None
            key = re.search(r"&(?!&)(\w)", text)
            assert (key is not None) == has_key, (
                f"accelerator lost or added: {context}: {source!r} -> {text!r}"
            )
            if key:
                taken = accelerators.setdefault(context, {})
                letter = key.group(1).lower()
                assert taken.get(letter, text) == text, (
                    f"{context}: &{letter} in {taken[letter]!r} and {text!r}"
                )
                taken[letter] = text


def test_code_tables_mark_every_name_the_ebts_tables_hold() -> None:
    for table in TABLES:
        assert sorted(set(marked_names(table))) == sorted(set(getattr(codes, table).values())), table
        assert code_table(table).keys() == getattr(codes, table).keys()


def test_every_core_message_code_has_its_english_template_marked_for_translation() -> None:
    """The core's English (messages.ENGLISH) and the UI's marked templates are the same texts, so
    a code the core adds or rewords without the UI knowing fails here, not on a clerk's screen."""
    assert message_text.TEMPLATES == messages.ENGLISH


def test_a_message_untranslated_reads_as_the_core_wrote_it(qapp) -> None:
    samples = [
        messages.message("booking.enter", field="date of birth"),
        messages.message("booking.not-a-code", field="eye colour", value="'ZZ'"),
        messages.message("answer.retrying", attempts=3),
        messages.message(
            "capture.kept-best", attempts=3, attempt=2,
            problem=messages.message("capture.low-quality", threshold=40, qualities=[(2, 12), (7, 30)]),
        ),
        messages.message("capture.step-open", step=4, state="to do"),
        messages.message("sequence.misplaced", finger=4, other=5),
    ]  # fmt: skip
    for said in samples:
        assert message_text.text(said) == str(said)
    assert (
        str(samples[3])
        == "best of 3 attempts kept (attempt 2): quality below 40: right index 12, left index 30"
    )
    assert str(samples[4]) == "right ring (rolled): to do"


@pytest.fixture
def spanish(qapp):
    installed = translations.install(qapp, "es")
    yield
    translations.remove(qapp, installed)  # the session's English plural forms (conftest) stay


def test_every_booking_form_check_of_the_core_reads_in_spanish(spanish) -> None:
    """The core's field checks are codes; every one reaches the clerk in Spanish."""
    forms = [
        BookingForm(values={}, charges=[{"offense_date": "", "text": "", "level": ""}]),
        BookingForm(
            values={
                "surname": "A,B",
                "given_names": "#",
                "date_of_birth": "31.07.1990",
                "sex": "Z",
                "height": "5'13\"",
                "weight": "heavy",
                "arrested_on": "2999-01-01",
            },
            charges=[{"offense_date": "2999-01-01", "text": "x" * 400, "level": "petty"}],
        ),  # fmt: skip
        BookingForm(values={"date_of_birth": "1800-01-01", "height": "9'00\"", "weight": "9"}, charges=[]),
    ]
    seen = {}
    for form in forms:
        with pytest.raises(BookingInvalid) as caught:
            parse(form, dt.date(2026, 11, 22))
        seen.update({str(m): m for m in caught.value.problems.values()})
    assert len(seen) > 15
    english = sorted(english for english, m in seen.items() if message_text.text(m) == english)
    assert not english, f"core messages shown in English: {english}"
    assert message_text.text(messages.message("booking.enter", field="date of birth")) == (
        "ingrese la fecha de nacimiento"
    )


def test_outbox_detainer_operator_and_config_errors_read_in_spanish(spanish, station) -> None:
    """Real calls into the core that refuse: the clerk reads each in Spanish, the command line in
    English (the exception's own text)."""
    from desktop.station.detainers import clock
    from desktop.station.models import Role

    caught = []
    calls = [
        lambda: station.outbox.enqueue(987654, actor="t"),  # no such booking
        lambda: station.outbox.retry_now("NO-SUCH-TCN", actor="t"),
        lambda: station.detainers.set_releasable(987654, dt.datetime(2026, 1, 5, 9, 0), actor="t"),
        lambda: station.detainers.record_outcome(987654, "released", dt.datetime(2026, 1, 5), actor="t"),
        lambda: station.operators.add("x", "short", "janitor", actor="t"),
        lambda: station.operators.unlock("nobody", actor="t"),
    ]
    for call in calls:
        with pytest.raises(UserError) as error:
            call()
        caught.append(error.value)
    with pytest.raises(ValueError) as error:
        clock.parse_local("next Tuesday", clock.zone("America/Chicago"))
    caught.append(error.value)
    station.operators.add("boss", "a long supervisor passphrase", Role.SUPERVISOR, actor="t")
    with pytest.raises(UserError) as error:
        station.operators.set_active("boss", False, actor="t")  # the last supervisor
    caught.append(error.value)
    with pytest.raises(config_module.ConfigError) as error:
        config_module.from_mapping({"time_zone": "Mars/Base", "lockout_attempts": 0, "colour": "red"})
    config = error.value
    assert "unknown time zone 'Mars/Base'" in str(config)  # the command line's words
    shown = [message_text.error_text(exc) for exc in caught]
    shown += [message_text.text(m) for m in config.messages.values()]
    english = [(str(exc), said) for exc, said in zip(caught, shown, strict=False) if said == str(exc)]
    assert not english, f"shown in English: {english}"
    assert shown[0] == "el fichaje 987654 no existe"
    assert any(said.startswith("zona horaria desconocida 'Mars/Base'") for said in shown)
    assert any(said.startswith("no se puede añadir la cuenta: nombre de usuario") for said in shown)


def test_every_core_message_has_a_spanish_template(spanish) -> None:
    """Each code's template reads differently in Spanish (a few are only a value: shown as given)."""
    same = sorted(
        code
        for code, english in messages.ENGLISH.items()
        if QCoreApplication.translate("Messages", english) == english
        and re.sub(r"\{\w+\}", "", english).strip(" :")
    )
    assert not same, f"message templates with no Spanish: {same}"


def test_the_station_started_in_spanish_speaks_spanish(qtbot, tmp_path, monkeypatch, database_url) -> None:
    """language = "es" in the config file: the window, a form, a plural and a weekday are Spanish."""
    monkeypatch.setenv(config_module.CONFIG_ENV, str(tmp_path / "config.toml"))
    config_module.save(config_module.Config(language="es", database_url=database_url))
    from desktop.station.core import Station

    cfg = config_module.load()
    assert cfg.language == "es"
    station = Station.open(cfg)
    installed = translations.install(QCoreApplication.instance(), cfg.language)  # as app.run does
    try:
        from desktop.ui.main_window import MainWindow

        station.operators.add("jefa", "long enough pw", "supervisor", actor="test")
        window = MainWindow(station)
        qtbot.addWidget(window)
        window.show()
        assert window.windowTitle() == "Estación de fichaje — Demo County Jail"
        qtbot.keyClicks(window.login_page.username, "jefa")
        qtbot.keyClicks(window.login_page.password, "long enough pw")
        qtbot.keyClick(window.login_page.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
        texts = [a.text() for a in window.toolbar.actions()]
        assert "Fichajes (F2)" in texts and "Configuración (Ctrl+,)" in texts
        assert "(supervisor)" in window.who.text()

        from desktop.ui.booking_form import BookingFormWidget

        form = BookingFormWidget()
        qtbot.addWidget(form)
        labels = {w.text() for w in form.findChildren(QLabel)}
        assert {"&Apellidos", "Fec&ha de nacimiento", "&Estatura", "&Peso (lb)"} <= labels
        assert form.editors["sex"].itemText(form.editors["sex"].findData("F")) == "F — Femenino"

        plural = QCoreApplication.translate("Responses", "FBI: rejected, %n error(s) to fix", None, 1)
        assert plural == "FBI: rechazado, 1 error por corregir"
        assert QCoreApplication.translate("BookingsPage", "%n booking(s)", None, 3) == "3 fichajes"
        # Qt's locale follows the UI language: weekday names (the detainer deadline) are Spanish.
        assert translations.short_day(dt.date(2026, 11, 23)).lower().startswith("lun")
    finally:
        translations.remove(QCoreApplication.instance(), installed)
        station.close()


def test_config_accepts_spanish_and_still_refuses_other_languages() -> None:
    assert config_module.from_mapping({"language": "es"}).language == "es"
    with pytest.raises(config_module.ConfigError) as caught:
        config_module.from_mapping({"language": "fr"})
    assert caught.value.problems["language"] == "must be one of en, es, not 'fr'"


def test_a_missing_translation_file_is_named(qapp, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)
    with pytest.raises(FileNotFoundError, match="booking_station_en.qm"):
        translations.install(qapp, "es")


@pytest.mark.parametrize(
    ("code", "params", "english_word"),
    [
        ("detainer.clock-closed", {"detainer_status": "lapsed"}, "lapsed"),
        ("detainer.clock-closed", {"detainer_status": "transferred"}, "transferred"),
        ("detainer.has-outcome", {"detainer_outcome": "released"}, "released"),
        ("detainer.has-outcome", {"detainer_outcome": "cancelled"}, "cancelled"),
    ],
)
def test_a_detainer_s_status_and_outcome_inside_a_message_read_in_spanish(
    spanish, code, params, english_word
) -> None:
    """The status and outcome are the core's vocabulary, worded by the UI like finger names."""
    said = message_text.text(messages.message(code, detainer="d-0001", **params))
    assert "d-0001" in said and english_word not in said, said
    assert english_word in str(messages.message(code, detainer="d-0001", **params))  # the log's English
