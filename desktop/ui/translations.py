"""The UI's translations: Qt .qm files in resources/translations, one per language.

English is the source language; its .qm holds only the plural forms ("1 error", "2 errors"), so it
is installed too. The Spanish .qm is compiled from booking_station_es.ts with pyside6-lrelease and
committed beside it (tests/desktop/test_translations.py checks the two agree).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
# Each UI language by its own name, as the Settings page lists it.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def qm_file(language: str) -> Path:
    return TRANSLATIONS / f"booking_station_{language}.qm"


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the English plural forms and, for another language, its translation.

    Returns the translators installed (kept alive by `app` as their parent). A missing or
    unreadable .qm raises FileNotFoundError naming it: a station set to Spanish must not come up
    silently in English.
    """
    installed = []
    for code in dict.fromkeys(("en", language)):
        translator = QTranslator(app)
        if not translator.load(str(qm_file(code))):
            raise FileNotFoundError(f"the UI translation {qm_file(code)} is missing or unreadable")
        app.installTranslator(translator)
        installed.append(translator)
    # Dates and numbers Qt formats (QLocale()) follow the UI language, in US conventions.
    QLocale.setDefault(
        QLocale(
            QLocale.Language.Spanish if language == "es" else QLocale.Language.English,
            QLocale.Country.UnitedStates,
        )
    )
    return installed


def remove(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def short_day(moment: dt.date) -> str:
    """The weekday's short name in the UI's language ("Mon", "lun"): strftime's %a is always English."""
    return QLocale().dayName(moment.isoweekday(), QLocale.FormatType.ShortFormat)
