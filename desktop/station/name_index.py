"""Search by name over sealed names: a keyed index of normalised name-word prefixes.

Names are sealed in the database (see models.Subject), so SQL cannot look into them. Instead each
subject has rows in `name_tokens`: for every word of the surname and given names, and every
beginning of that word (up to 20 characters), an HMAC-SHA-256 (truncated to 128 bits) under a key
derived from the database's data key (never stored). A search word matches a subject when its
digest is among the subject's: words match by their beginning, in any order, in any case.

Each word is indexed in three forms, so that a clerk finds a name however it was typed:
Unicode NFC folded case ("łukasiewicz"), without accents ("łukasiewicz" → "lukasiewicz" where the
letter decomposes), and transliterated to ASCII by anyascii ("Иванов" → "ivanov", "Ørsted" →
"orsted"). Punctuation inside a word is dropped ("O'Brien" → "obrien") and its parts are indexed
too ("Smith-Jones" → "smithjones", "smith", "jones").

Without the key the digests tell nothing about the names; someone who reads the database sees how
many words a name has and which subjects share a word beginning, not what it is.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import delete, event, insert, inspect, intersect, select
from sqlalchemy.orm import Session

from booking_station.sealed_columns import sealer_of

MAX_PREFIX = 20
_DIGEST_BYTES = 16
_WORDS = re.compile(r"[\s,;/]+")
_PUNCTUATION = re.compile(r"[\W_]+")


def _forms(word: str) -> set[str]:
    """The normalised spellings of one word (punctuation removed)."""
    from anyascii import anyascii  # its tables load on the first search, not at start-up

    folded = unicodedata.normalize("NFC", word).casefold()
    plain = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    ascii_ = anyascii(folded).casefold()
    return {f for f in (_PUNCTUATION.sub("", x) for x in (folded, plain, ascii_)) if f}


def _words(text: str) -> list[str]:
    return [w for w in _WORDS.split(text) if _PUNCTUATION.sub("", w)]


def index_words(*names: str) -> set[str]:
    """Every normalised spelling a subject with these names is found by (words and their parts)."""
    spellings: set[str] = set()
    for word in _words(" ".join(names)):
        spellings |= _forms(word)
        parts = [p for p in _PUNCTUATION.split(word) if p]
        if len(parts) > 1:
            for part in parts:
                spellings |= _forms(part)
    return spellings


def _digest(key: bytes, prefix: str) -> bytes:
    return hmac.new(key, b"name-prefix\0" + prefix.encode("utf-8"), hashlib.sha256).digest()[:_DIGEST_BYTES]


def subject_digests(key: bytes, surname: str, given_names: str) -> set[bytes]:
    """The index rows of one subject: a digest of every beginning of every spelling."""
    return {
        _digest(key, spelling[:end])
        for spelling in index_words(surname, given_names)
        for end in range(1, min(len(spelling), MAX_PREFIX) + 1)
    }


def query_digests(key: bytes, text: str) -> list[set[bytes]]:
    """One set per word of `text`: a subject matches when it has a digest of every set."""
    return [{_digest(key, f[:MAX_PREFIX]) for f in _forms(word)} for word in _words(text)]


def index_key(session_or_dialect) -> bytes:  # type: ignore[no-untyped-def]
    """The index key of the database behind `session` (derived from its data key, cached)."""
    dialect = (
        session_or_dialect.get_bind().dialect
        if isinstance(session_or_dialect, Session)
        else session_or_dialect
    )
    key = getattr(dialect, "booking_name_key", None)
    if key is None:
        key = sealer_of(dialect).derive(b"name index")
        dialect.booking_name_key = key
    return key


def matching_subjects(session: Session, text: str):  # type: ignore[no-untyped-def]
    """A query of the subject ids whose names match every word of `text`; None when it has no words."""
    from desktop.station.models import NameToken

    groups = query_digests(index_key(session), text)
    if not groups:
        return None
    per_word = [select(NameToken.subject_id).where(NameToken.digest.in_(sorted(d))) for d in groups]
    return per_word[0] if len(per_word) == 1 else intersect(*per_word)


def reindex(session: Session, subjects: Iterable[tuple[int, str, str]]) -> None:
    """Replace the index rows of these (subject id, surname, given names)."""
    from desktop.station.models import NameToken

    key = index_key(session)
    rows = list(subjects)
    if not rows:
        return
    session.execute(delete(NameToken).where(NameToken.subject_id.in_([r[0] for r in rows])))
    values = [
        {"subject_id": sid, "digest": d}
        for sid, surname, given in rows
        for d in subject_digests(key, surname, given)
    ]
    if values:
        session.execute(insert(NameToken), values)


def keep_current(session_factory) -> None:  # type: ignore[no-untyped-def]
    """Re-index every subject whose names a flush of this factory's sessions wrote."""

    @event.listens_for(session_factory, "after_flush")
    def _after_flush(session: Session, _context) -> None:  # type: ignore[no-untyped-def]
        from desktop.station.models import Subject

        changed = []
        for obj in (*session.new, *session.dirty):
            if not isinstance(obj, Subject):
                continue
            state = inspect(obj)
            if obj in session.new or any(
                state.attrs[name].history.has_changes() for name in ("surname", "given_names")
            ):
                changed.append((obj.id, obj.surname or "", obj.given_names or ""))
        reindex(session, changed)
