"""The generic transaction model: records of numbered fields, fields of subfields of items.

Text values are kept as `str` (decoded per the transaction's DCS), binary values (image data,
binary-record headers' payload) as `bytes`. Nothing read from a file is dropped: a field we do not
understand is still a field. A parsed record also remembers the bytes it was read from (its
`_origin`, private to the codec), so writing it back gives the same bytes, and an edit changes
only the fields it touches.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

# Records whose layout is a fixed binary header followed by image data (ANSI/NIST-ITL 1-2011, 8).
BINARY_RECORD_TYPES = frozenset({3, 4, 5, 6, 7, 8})

# A text field's value: subfields (RS-separated), each a list of items (US-separated).
Subfields = list[list[str]]
Value = Subfields | bytes


@dataclass
class Record:
    """One logical record: its type and its fields, keyed by field number, in file order."""

    type: int
    fields: dict[int, Value] = field(default_factory=dict)
    # What the codec read this record from (ebts._codec.Origin), None for a record built here.
    _origin: Any = field(default=None, repr=False, compare=False)

    # --- reading -----------------------------------------------------------------------------
    def __contains__(self, tag: int) -> bool:
        return tag in self.fields

    def get(self, tag: int, default: str | None = None) -> str | None:
        """The first item of the first subfield of field `tag` (the whole value of a simple field)."""
        value = self.fields.get(tag)
        if value is None or isinstance(value, bytes) or not value or not value[0]:
            return default
        return value[0][0]

    def subfields(self, tag: int) -> Subfields:
        """Every subfield of a text field as a list of items ([] when absent)."""
        value = self.fields.get(tag)
        if value is None:
            return []
        if isinstance(value, bytes):
            raise TypeError(f"field {self.type}.{tag:03d} holds binary data, not text")
        return value

    def binary(self, tag: int) -> bytes | None:
        value = self.fields.get(tag)
        return value if isinstance(value, bytes) else None

    @property
    def idc(self) -> str:
        """Information designation character (field 2 of every record type but Type-1)."""
        return self.get(2, "") or ""

    # --- writing ------------------------------------------------------------------------------
    def set(
        self, tag: int, value: str | int | Sequence[str] | Sequence[Sequence[str]] | bytes | None
    ) -> None:
        """Set a field. A str/int is one item; a sequence of str is the items of ONE subfield;
        a sequence of sequences is several subfields; bytes is binary data; None removes it."""
        if value is None:
            self.fields.pop(tag, None)
        elif isinstance(value, bytes):
            self._put(tag, value)
        elif isinstance(value, str | int):
            self._put(tag, [[str(value)]])
        else:
            items = list(value)
            if all(isinstance(v, str) for v in items):
                self._put(tag, [list(items)])  # type: ignore[arg-type]
            else:
                self._put(tag, [[str(i) for i in sub] for sub in items])  # type: ignore[union-attr]

    def add_subfield(self, tag: int, *items: str | int) -> None:
        """Append one subfield (a repeated value such as an alias or a charge)."""
        if tag not in self.fields:
            self._put(tag, [])
        current = self.fields[tag]
        if isinstance(current, bytes):
            raise TypeError(f"field {self.type}.{tag:03d} holds binary data, not text")
        current.append([str(i) for i in items])

    def _put(self, tag: int, value: Value) -> None:
        """Replace a field in place, or add a new one before the first field numbered above it
        (fields a file held keep their order: an edit moves nothing else)."""
        if tag in self.fields or not any(t > tag for t in self.fields):
            self.fields[tag] = value
            return
        placed: dict[int, Value] = {}
        for t, v in self.fields.items():
            if t > tag and tag not in placed:
                placed[tag] = value
            placed[t] = v
        self.fields = placed

    def __repr__(self) -> str:
        return f"Record(type={self.type}, fields={sorted(self.fields)})"


@dataclass
class Transaction:
    """A whole ANSI/NIST-ITL file: the Type-1 header record first, then the others in order.

    `encoding` is how text was (or will be) decoded; the writer chooses UTF-8 and declares it in
    1.015 DCS whenever any text is not ASCII.
    """

    records: list[Record] = field(default_factory=list)
    encoding: str = "ascii"

    @property
    def header(self) -> Record:
        if not self.records or self.records[0].type != 1:
            raise ValueError("transaction has no Type-1 record")
        return self.records[0]

    @property
    def tot(self) -> str:
        return self.header.get(4, "") or ""

    @property
    def tcn(self) -> str:
        return self.header.get(9, "") or ""

    @property
    def tcr(self) -> str:
        """Transaction control reference: in a response, the TCN of the submission it answers."""
        return self.header.get(10, "") or ""

    @property
    def ori(self) -> str:
        return self.header.get(8, "") or ""

    def of_type(self, record_type: int) -> list[Record]:
        return [r for r in self.records if r.type == record_type]

    def first(self, record_type: int) -> Record | None:
        return next((r for r in self.records if r.type == record_type), None)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)
