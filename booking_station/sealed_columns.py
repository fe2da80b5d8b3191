"""SQLAlchemy column types whose values are kept sealed (booking_station.envelope) in the database.

The backend and the station declare their criminal-justice columns with these types; the ORM then
reads and writes plain values while the database only ever holds AES-256-GCM ciphertext:

    body: Mapped[bytes] = mapped_column(Sealed("backend:transactions.body"))
    surname: Mapped[str] = mapped_column(SealedText("station:subjects.surname"))
    born: Mapped[date] = mapped_column(SealedText("station:subjects.date_of_birth", kind="date"))

Each engine carries its own data key (`attach(engine, sealer)`): the types are shared by every
engine in the process, the key is not. The column's name is authenticated with each value, so a
value copied into another column does not open. `SealedText` keeps text columns TEXT ("sealed:" +
base64), so a database written before encryption can be sealed in place (`seal_text`).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, LargeBinary, Text
from sqlalchemy.types import TypeDecorator

from booking_station.envelope import Sealer, WrongKey

PREFIX = "sealed:"

#: How a text column's Python value becomes the text that is sealed, and back.
_ENCODE: dict[str, Callable[[Any], str]] = {
    "text": str,
    "json": lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True),
    "date": lambda value: value.isoformat(),
    "int": lambda value: str(int(value)),
}
_DECODE: dict[str, Callable[[str], Any]] = {
    "text": str,
    "json": json.loads,
    "date": dt.date.fromisoformat,
    "int": int,
}


def attach(engine: Engine | Connection, sealer: Sealer) -> None:
    """Give `engine` (or a connection's engine) the data key its sealed columns use."""
    engine.dialect.booking_sealer = sealer  # type: ignore[attr-defined]


def sealer_of(dialect) -> Sealer:  # type: ignore[no-untyped-def]
    sealer = getattr(dialect, "booking_sealer", None)
    if sealer is None:
        raise RuntimeError("this engine has no data key (open the database through its Store)")
    return sealer


def seal_text(sealer: Sealer, text: str, context: str) -> str:
    """The stored form of a sealed text value (for migrations that seal clear rows)."""
    return PREFIX + base64.b64encode(sealer.seal(text.encode("utf-8"), context.encode())).decode("ascii")


def open_text(sealer: Sealer, stored: str, context: str) -> str:
    if not stored.startswith(PREFIX):
        raise WrongKey(f"a value of {context} is not encrypted")
    return sealer.open_value(base64.b64decode(stored[len(PREFIX) :]), context.encode()).decode("utf-8")


class Sealed(TypeDecorator):
    """Bytes, stored sealed."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context
        self._context = context.encode()

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else sealer_of(dialect).seal(bytes(value), self._context)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else sealer_of(dialect).open_value(bytes(value), self._context)


class SealedText(TypeDecorator):
    """A text, JSON, date or integer value, sealed and kept as base64 text."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str, kind: str = "text") -> None:
        super().__init__()
        if kind not in _ENCODE:
            raise ValueError(f"kind must be one of {', '.join(_ENCODE)}")
        self.context = context
        self.kind = kind

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return seal_text(sealer_of(dialect), _ENCODE[self.kind](value), self.context)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return _DECODE[self.kind](open_text(sealer_of(dialect), value, self.context))
