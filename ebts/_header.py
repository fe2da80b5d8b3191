"""The Type-1 header every transaction we build shares."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from ebts._model import Record

VERSION = "0500"  # ANSI/NIST-ITL 1-2011, as EBTS 10+ requires
NATIVE_RESOLUTION = "19.69"  # pixels per mm (500 ppi) for NSR and NTR
FBI_ORI = "WVIAFISZ0"  # FBI CJIS Division, the destination of criminal tenprint submissions
DOMAIN = "NORAM"


def type1(
    *, tot: str, dai: str, ori: str, tcn: str, when: datetime, priority: int, tcr: str | None = None
) -> Record:
    when = when.astimezone(UTC)
    header = Record(1)
    header.set(2, VERSION)
    header.set(4, tot)
    header.set(5, when.strftime("%Y%m%d"))
    header.set(6, str(priority))
    header.set(7, dai)
    header.set(8, ori)
    header.set(9, tcn)
    if tcr:
        header.set(10, tcr)
    header.set(11, NATIVE_RESOLUTION)
    header.set(12, NATIVE_RESOLUTION)
    header.set(13, [DOMAIN])
    header.set(14, when.strftime("%Y%m%d%H%M%SZ"))
    return header


def new_tcn(ori: str, when: datetime | None = None) -> str:
    """A transaction control number unique to one submission: ORI, UTC time and a random part.

    Store it with the submission and reuse it on every resend: the receiver de-duplicates on it.
    """
    when = (when or datetime.now(UTC)).astimezone(UTC)
    return f"{ori}-{when:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:10].upper()}"
