"""Helpers for the outbox/mailbox tests: a booking with accepted prints, and an in-memory backend
that follows docs/backend-api.md (served through httpx.MockTransport, so no socket is needed)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
import uuid

import cv2
import httpx
import numpy as np

import ebts
from desktop.station.bookings import parse as parse_booking
from desktop.station.capture import LEFT_SLAP, RIGHT_SLAP, THUMBS
from desktop.station.models import Capture
from desktop.station.outbox_client import BackendClient
from drivers.api import EXPECTED_FINGERS, CaptureMode, CaptureResult, FingerPosition

SLAPS = {13: (2, 3, 4, 5), 14: (7, 8, 9, 10), 15: (1, 6)}


def ridges(width: int, height: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    wave = np.sin(np.hypot(x - width * 0.45, y - height * 0.55) / 1.6 + seed)
    return (150 + 90 * wave + rng.normal(0, 8, (height, width))).clip(0, 255).astype(np.uint8)


def _png(image: np.ndarray) -> bytes:
    return cv2.imencode(".png", image)[1].tobytes()


def add_booking_with_prints(station, form, *, size: int = 64, amputated: dict[int, str] | None = None) -> int:
    """A saved booking whose ten rolled prints, two slaps and thumbs are accepted captures."""
    record = station.bookings.create(parse_booking(form, dt.date.today()), actor="clerk")
    amputated = amputated or {}
    with station.store.session() as s:
        for fgp in range(1, 11):
            if fgp in amputated:
                s.add(Capture(booking_id=record.id, position=fgp, impression="rolled", image_png=None,
                              accepted=True, annotation=amputated[fgp], annotation_reason="test"))  # fmt: skip
            else:
                s.add(Capture(booking_id=record.id, position=fgp, impression="rolled", accepted=True,
                              image_png=_png(ridges(size, size, fgp)), ppi=500.0, quality=60 + fgp))  # fmt: skip
        for position, fingers in SLAPS.items():
            seg = {"fingers": [{"fgp": f, "box": [i * size, 0, size, size], "quality": 50 + i}
                               for i, f in enumerate(fingers) if f not in amputated]}  # fmt: skip
            s.add(Capture(booking_id=record.id, position=position, impression="plain", accepted=True,
                          image_png=_png(ridges(len(fingers) * size, size, position)), ppi=500.0, quality=50,
                          segmentation_json=json.dumps(seg)))  # fmt: skip
    return record.id


class FakeBackend:
    """Follows the HTTP contract; `down` makes the next N requests fail to connect, `fail_5xx`
    answers 503 to the next N. `searched` counts how often each TCN was really processed."""

    def __init__(self) -> None:
        self.down = 0
        self.fail_5xx = 0
        self.searched: dict[str, int] = {}
        self.messages: list[dict] = []
        self.acked = 0
        self.agencies: dict[str, dict] = {}
        self.requests: list[str] = []
        self.health = "ok"
        self.health_extra: dict = {}  # more /health fields (activity, done, total, seconds_left, ...)
        self.anchors: list[dict] = []  # audit heads kept, oldest first (docs/backend-api.md)

    def client(self) -> BackendClient:
        return BackendClient("http://backend.test", transport=httpx.MockTransport(self._handle))

    def post(self, tcn: str, kind: str, body: bytes, media_type: str = "application/x-ebts") -> dict:
        message = {"cursor": len(self.messages) + 1, "id": str(uuid.uuid4()), "tcn": tcn, "kind": kind,
                   "created_at": "2026-11-21T15:00:00Z", "media_type": media_type,
                   "body_b64": base64.b64encode(body).decode()}  # fmt: skip
        self.messages.append(message)
        return message

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        if self.down:
            self.down -= 1
            raise httpx.ConnectError("connection refused", request=request)
        if self.fail_5xx:
            self.fail_5xx -= 1
            return httpx.Response(503, json={"detail": "busy"})
        path = request.url.path
        if request.method == "POST" and path == "/v1/transactions":
            try:
                tx = ebts.parse(request.content)
            except ebts.ParseError as exc:
                return httpx.Response(400, json={"detail": str(exc)})
            duplicate = tx.tcn in self.searched
            if not duplicate:
                self.searched[tx.tcn] = 1
            if "x-audit-head" in request.headers:
                sequence, head = request.headers["x-audit-head"].split(":")
                self._anchor(int(sequence), head, tx.tcn)
            return httpx.Response(202, json={"tcn": tx.tcn, "duplicate": duplicate})
        if request.method == "GET" and path.startswith("/v1/mailbox/"):
            after = int(request.url.params.get("after", 0))
            limit = int(request.url.params.get("limit", 100))
            listed = [m for m in self.messages if m["cursor"] > max(after, self.acked)][:limit]
            return httpx.Response(
                200, json={"messages": listed, "next_cursor": listed[-1]["cursor"] if listed else after}
            )
        if request.method == "POST" and path.endswith("/ack"):
            self.acked = max(self.acked, json.loads(request.content)["through"])
            return httpx.Response(204)
        if request.method == "PUT" and path.startswith("/v1/agencies/"):
            self.agencies[path.rsplit("/", 1)[1]] = json.loads(request.content)
            return httpx.Response(200, json=json.loads(request.content))
        if path.startswith("/v1/audit-anchors/"):
            if request.method == "POST":
                doc = json.loads(request.content)
                return httpx.Response(201, json=self._anchor(doc["sequence"], doc["head"], None))
            return httpx.Response(200, json={"anchors": self.anchors[::-1]})
        if request.method == "GET" and path == "/health":
            return httpx.Response(
                200,
                json={
                    "status": self.health,
                    "progress": 0.5 if self.health == "starting" else 1.0,
                    **self.health_extra,
                },
            )
        return httpx.Response(404, json={"detail": "no such route"})

    def _anchor(self, sequence: int, head: str, tcn: str | None) -> dict:
        at = f"2026-11-21T15:{len(self.anchors) // 60:02d}:{len(self.anchors) % 60:02d}Z"
        doc = {"sequence": sequence, "head": head, "anchored_at": at, "tcn": tcn, "certificate": "1f",
               "regressed": any(a["sequence"] > sequence for a in self.anchors)}  # fmt: skip
        self.anchors.append(doc)
        return doc


def synthetic_capture(subject: int, position: int) -> CaptureResult:
    """What the virtual scanner would return for `position` (a capture step) of virtual subject
    `subject`: a slap or the thumbs for the flat steps, otherwise that finger rolled."""
    from matcher import synth

    flats = {
        RIGHT_SLAP: CaptureMode.RIGHT_SLAP,
        LEFT_SLAP: CaptureMode.LEFT_SLAP,
        THUMBS: CaptureMode.TWO_THUMBS,
    }
    if position in flats:
        mode = flats[position]
        if position == THUMBS:
            slap = synth.thumbs(subject, seed=3)
        else:
            slap = synth.slap(subject, "right" if position == RIGHT_SLAP else "left", seed=3)
        return CaptureResult(slap.image, slap.ppi, mode, tuple(EXPECTED_FINGERS[mode]), time.monotonic())
    imp = synth.impression(subject, position, seed=3, kind="rolled")
    return CaptureResult(
        imp.image, imp.ppi, CaptureMode.ROLLED, (FingerPosition(position),), time.monotonic()
    )
