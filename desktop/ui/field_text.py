"""The booking's field names as the core's messages name them ("date of birth"), in the UI's language."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CONTEXT = "FieldText"

# Keyed by the core's own name of the field (desktop/station/_booking_rules.py's labels).
FIELDS = {
    "surname": QT_TRANSLATE_NOOP("FieldText", "surname"),
    "given names": QT_TRANSLATE_NOOP("FieldText", "given names"),
    "date of birth": QT_TRANSLATE_NOOP("FieldText", "date of birth"),
    "sex": QT_TRANSLATE_NOOP("FieldText", "sex"),
    "race": QT_TRANSLATE_NOOP("FieldText", "race"),
    "place of birth": QT_TRANSLATE_NOOP("FieldText", "place of birth"),
    "eye colour": QT_TRANSLATE_NOOP("FieldText", "eye colour"),
    "hair colour": QT_TRANSLATE_NOOP("FieldText", "hair colour"),
    "date of arrest": QT_TRANSLATE_NOOP("FieldText", "date of arrest"),
    "offense date": QT_TRANSLATE_NOOP("FieldText", "offense date"),
    # the EBTS fields a built transaction is checked on (messages.ebts_problem)
    "name": QT_TRANSLATE_NOOP("FieldText", "name"),
    "height": QT_TRANSLATE_NOOP("FieldText", "height"),
    "weight": QT_TRANSLATE_NOOP("FieldText", "weight"),
    "charges": QT_TRANSLATE_NOOP("FieldText", "charges"),
}


def field_name(name: str) -> str:
    """A field the core names, in the UI's language (as the core wrote it when not listed)."""
    return QCoreApplication.translate(_CONTEXT, FIELDS[name]) if name in FIELDS else name
