"""The table of EBTS files imported as bookings (see desktop.station.ebts_import, which fills it).

Kept apart from the import logic so that models.py can register it without importing the station's
services.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from booking_station.sealed_columns import Sealed, SealedText
from desktop.station.models import Base, UTCDateTime, utcnow


class ImportedTransaction(Base):
    """An EBTS file imported as a booking: the file as it came and what did not fit the booking."""

    __tablename__ = "imported_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    source_tcn: Mapped[str] = mapped_column(String(40))
    source_ori: Mapped[str] = mapped_column(String(9))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(64))
    ebts: Mapped[bytes] = mapped_column(
        Sealed("station:imported_transactions.ebts")
    )  # the file, byte for byte
    kept_json: Mapped[str] = mapped_column(
        SealedText("station:imported_transactions.kept_json"), default="[]"
    )  # [Kept.as_dict()]
    prints: Mapped[int] = mapped_column(Integer, default=0)
