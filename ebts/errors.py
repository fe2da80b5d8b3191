"""The one error the parser raises: what is wrong and where."""

from __future__ import annotations


class ParseError(ValueError):
    """The bytes are not a readable ANSI/NIST-ITL transaction.

    `offset` is the byte position in the input where the problem was found (None when not
    tied to one place), so a user can look at the file with a hex viewer.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message if offset is None else f"{message} (at byte {offset})")
        self.offset = offset
