"""A broken rule, as the validator reports it and an ERRT carries it."""

from __future__ import annotations

from dataclasses import dataclass

from ebts.responses import ErrorItem


@dataclass(frozen=True)
class Problem:
    """One broken rule: `field` as "T.NNN MNEMONIC" (e.g. "2.024 SEX"), the value found
    ("" when missing), the rule in words, and the code an ERRT would carry. `allowed`: what the
    rule accepts, as values or ranges without words ("500 ppi", "0-100"), so a reader can say it
    in the clerk's language (`rule` is English, for the log and the ERRT)."""

    field: str
    value: str
    rule: str
    code: str
    allowed: tuple[str, ...] = ()

    def to_error(self) -> ErrorItem:
        """The ERRT line for this problem."""
        shown = f"{self.value!r}: " if self.value else ""
        return ErrorItem(self.code, self.field, shown + self.rule)

    def __str__(self) -> str:
        shown = f" = {self.value!r}" if self.value else ""
        return f"{self.code} {self.field}{shown}: {self.rule}"


def ascii_int(text: str | None) -> int | None:
    """The value of a short string of ASCII digits; None for anything else ("", "²", "٣", "1e5",
    a 5 000-digit number): untrusted text never reaches int() unchecked."""
    if not text or len(text) > 18 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
