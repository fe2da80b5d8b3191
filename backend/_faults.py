"""ASGI middleware that makes `/v1/*` misbehave on demand: 503s, slow answers, lost answers.

A "dropped" request is handled in full (a submission is stored) and then its answer is lost: the
connection closes after the status line, before the body. That is the case a client's
store-and-forward must survive without sending twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random

from backend.config import Faults

log = logging.getLogger("backend.faults")


class FaultInjector:
    def __init__(self, app, faults: Faults, seed: int = 0) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.faults = faults  # the live object: the admin API changes it in place
        self._rng = random.Random(seed)

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        faults = self.faults
        if faults.slow_seconds:
            await asyncio.sleep(faults.slow_seconds)
        if faults.unavailable_rate and self._rng.random() < faults.unavailable_rate:
            log.info("fault: 503 for %s %s", scope["method"], scope["path"])
            body = json.dumps({"detail": "service unavailable (injected fault); retry later"}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [(b"content-type", b"application/json"), (b"retry-after", b"1")],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        if faults.drop_rate and self._rng.random() < faults.drop_rate:
            log.info("fault: answer to %s %s will be dropped", scope["method"], scope["path"])
            await self.app(scope, receive, _dropping(send))
            return
        await self.app(scope, receive, send)


def _dropping(send):  # type: ignore[no-untyped-def]
    """Send a status line that promises a body, swallow the body: the server then closes the connection.

    The promised length makes even a bodiless answer (204) incomplete, so the client sees a broken
    connection rather than an answer.
    """

    async def wrapped(message) -> None:  # type: ignore[no-untyped-def]
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
            status = 200 if message["status"] in (204, 304) else message["status"]
            await send({**message, "status": status, "headers": [*headers, (b"content-length", b"1048576")]})

    return wrapped
