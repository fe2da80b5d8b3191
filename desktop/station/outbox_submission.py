"""A booking and its accepted prints, mapped onto ebts's own input dataclass (the one place)."""

from __future__ import annotations

import json
from datetime import datetime

import cv2
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

import ebts
from booking_station.fingers import SLAP_FINGERS
from desktop.station.messages import StationError
from desktop.station.models import Booking, Capture

_SUPERSEDED = "superseded"


def submission_for(s: Session, booking: Booking, *, ori: str, tcn: str, created: datetime) -> ebts.Submission:
    """The CAR input for `booking`: its subject, charges and accepted captures (XX/UP as AMP)."""
    subject = booking.subject
    rows = s.scalars(
        select(Capture)
        .where(Capture.booking_id == booking.id, Capture.accepted.is_(True))
        .order_by(Capture.position, Capture.id)
    ).all()
    rows = [r for r in rows if r.annotation != _SUPERSEDED]
    annotated = {
        r.position: r.annotation for r in rows if r.image_png is None and r.annotation in ("XX", "UP")
    }
    images = []
    for row in rows:
        if row.image_png is None:
            continue  # an amputation, an unable-to-print, or a supervisor's skip: no image to send
        image = cv2.imdecode(np.frombuffer(row.image_png, np.uint8), cv2.IMREAD_GRAYSCALE)
        if image is None:
            raise StationError("outbox.image-unreadable", step=row.position)
        flat = row.impression != "rolled"
        segments: tuple[ebts.Segment, ...] = ()
        missing: dict[int, str] = {}
        if flat and row.position in SLAP_FINGERS:
            segments = _segments(row.segmentation_json, image.shape)
            missing = {f: annotated[f] for f in SLAP_FINGERS[row.position] if f in annotated}
        images.append(
            ebts.FingerImage(
                fgp=row.position,
                image=image,
                ppi=float(row.ppi or 500),
                rolled=not flat,
                quality=row.quality,
                segments=segments,
                captured=row.captured_at.date() if row.captured_at else None,
                missing=missing,
            )
        )
    if not images:
        raise StationError("outbox.no-prints", booking=booking.number)
    return ebts.Submission(
        tcn=tcn,
        ori=ori,
        last_name=subject.surname,
        first_name=subject.given_names,
        date_of_birth=subject.date_of_birth,
        sex=subject.sex,
        race=subject.race,
        place_of_birth=subject.place_of_birth,
        height_inches=subject.height_inches,
        weight_pounds=subject.weight_pounds,
        eye_color=subject.eye_color,
        hair_color=subject.hair_color,
        arrest_date=booking.arrested_on,
        charges=[ebts.Charge(c.text, c.offense_date) for c in booking.charges],
        images=images,
        amputated={f: code for f, code in annotated.items() if 1 <= f <= 10},
        created=created,
    )


def _segments(segmentation_json: str | None, shape: tuple[int, ...]) -> tuple[ebts.Segment, ...]:
    """14.021 SEG boxes from the capture's stored segmentation ({"fingers": [{"fgp", "box": x, y, w, h}]})."""
    if not segmentation_json:
        return ()
    height, width = shape[:2]
    out = []
    for finger in json.loads(segmentation_json).get("fingers", []):
        if not finger.get("fgp"):
            continue  # a blob the segmenter could not name is not sent as a finger
        x, y, w, h = (int(round(v)) for v in finger["box"])
        left, top = max(0, x), max(0, y)
        right, bottom = min(width, x + w), min(height, y + h)
        if right > left and bottom > top:
            out.append(ebts.Segment(int(finger["fgp"]), left, right, top, bottom, finger.get("quality")))
    return tuple(out)
