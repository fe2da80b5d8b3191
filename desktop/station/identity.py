"""Does an answer name the person booked? Names in any script, compared across transliteration.

The FBI's identification, an IDENT response and an ICE detainer each name the person they are
about. When that name or date of birth disagrees with the booking, the answer may be about
someone else (a fingerprint mix-up, a wrong record), and the clerk must look before anyone is
held on it. `disagreements(booked, named)` says which facts disagree: ("name",), ("date_of_birth",),
both, or none.

Names are compared word by word, in any order (surname-first or given-first, with or without the
comma), after folding: Unicode NFC, case, accents and script (`anyascii`: "Иванов" → "ivanov",
"Nguyễn" → "nguyen", "王" → "wang"). Two words written in Latin letters must then be equal (so
"José" is "JOSE", but "Hernández" is not "Fernández"); a word that had to be transliterated from
another script is allowed the spelling differences of transliteration (a close spelling,
"Papadopoylos" / "PAPADOPOULOS", at most one letter longer or shorter; or, from a script that writes no vowels, the same consonants,
"محمد" / "MOHAMMED"). The names agree when every word of the booked surname is in the answer and,
when both sides give names, at least one given name is too: "GARCIA LOPEZ, JOSE" agrees with
"García, José"; "GARCIA, MARIA" does not. A missing fact is not a disagreement.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass

NAME, DATE_OF_BIRTH = "name", "date_of_birth"
_SPLIT = re.compile(r"[\s,;/\-]+")
_NOT_LETTER = re.compile(r"[^a-z0-9]+")
_CLOSE = 0.8  # difflib ratio at which two transliterations of one word count as the same word
_ABJADS = ("ARABIC", "HEBREW", "SYRIAC")  # scripts that usually write no vowels


@dataclass(frozen=True)
class Person:
    """A person as a booking or an answer names them. `given_names` may be empty, e.g. when the
    answer gives the whole name in one string ("NGUYEN,VAN AN" is surname "NGUYEN", given "VAN AN"
    once split by `from_full_name`)."""

    surname: str
    given_names: str = ""
    date_of_birth: dt.date | None = None

    @classmethod
    def from_full_name(cls, name: str, date_of_birth: str | dt.date | None = None) -> Person:
        """An answer's name: "SURNAME,GIVEN" (EBTS 2.018), "Surname, Given" or words in any order."""
        surname, comma, given = (name or "").partition(",")
        if not comma:
            surname, given = name or "", ""
        return cls(surname.strip(), given.strip(), parse_date(date_of_birth))


@dataclass(frozen=True)
class _Word:
    folded: str  # ASCII, lower case, letters and digits only
    latin: bool  # written in Latin letters (or digits) to begin with
    abjad: bool  # written in a script without vowels


def disagreements(booked: Person, named: Person) -> tuple[str, ...]:
    """The facts on which `named` (an answer) disagrees with `booked`: "name", "date_of_birth"."""
    out = []
    if not names_agree(booked, named):
        out.append(NAME)
    if booked.date_of_birth and named.date_of_birth and booked.date_of_birth != named.date_of_birth:
        out.append(DATE_OF_BIRTH)
    return tuple(out)


def names_agree(booked: Person, named: Person) -> bool:
    surname, given = _words(booked.surname), _words(booked.given_names)
    theirs = _words(named.surname) + _words(named.given_names)
    if not theirs or not (surname or given):
        return True  # nothing to compare
    if not all(any(_same(w, t) for t in theirs) for w in surname):
        return False
    rest = [t for t in theirs if not any(_same(w, t) for w in surname)]
    return not given or not rest or any(_same(w, t) for w in given for t in rest)


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """A date as answers write it: ISO ("1975-03-02") or EBTS ("19750302"); None when unreadable."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def fold(text: str) -> str:
    """A name in lower-case ASCII letters, words kept apart by spaces (for display and tests)."""
    return " ".join(w.folded for w in _words(text))


def _words(text: str) -> list[_Word]:
    from anyascii import anyascii  # its tables load on the first comparison, not at start-up

    out = []
    for raw in _SPLIT.split(unicodedata.normalize("NFC", text or "").casefold()):
        letters = [c for c in raw if c.isalnum()]
        if not letters:
            continue
        folded = _NOT_LETTER.sub("", anyascii(raw).casefold())
        if not folded:
            continue
        scripts = {unicodedata.name(c, "").split(" ")[0] for c in letters}
        latin = scripts <= {"LATIN", "DIGIT"}
        out.append(_Word(folded, latin, bool(scripts & set(_ABJADS))))
    return out


def _same(a: _Word, b: _Word) -> bool:
    if a.folded == b.folded:
        return True
    if a.latin and b.latin:
        return False  # both written in Latin letters: only accents and case may differ
    if a.abjad or b.abjad:
        return _consonants(a.folded) == _consonants(b.folded)
    # Transliterations of one word differ in a letter or two ("Pyotr"/"Petr"), not in a syllable:
    # "Ivanov" is not "Ivan", though most of its letters are.
    if abs(len(a.folded) - len(b.folded)) > 1:
        return False
    return difflib.SequenceMatcher(None, a.folded, b.folded).ratio() >= _CLOSE


def _consonants(word: str) -> str:
    """The consonants of a word with doubled letters once: "mohammed" and "mhmd" give "mhmd"."""
    bare = re.sub(r"[aeiouy]", "", word)
    return re.sub(r"(.)\1+", r"\1", bare)


__all__ = ["DATE_OF_BIRTH", "NAME", "Person", "disagreements", "fold", "names_agree", "parse_date"]
