"""The submission worker: one background thread that registers the agency, sends the outbox and
polls the mailbox, with a status the UI can show. Qt-free; each change of `status()` is published
as a "link.status" event, and the worker wakes on "submission.queued", "submission.retry" and
"settings.update" events (from this process or, through the journal, from another), and sends the
detainees' claims (detainers/claims.py) on "claim.recorded".

With `backend_url = "embedded"` it first starts the embedded backend (outbox_launcher). While the
backend cannot be reached it keeps trying at the outbox's back-off; nothing is lost meanwhile,
because the outbox and the mailbox state live in the database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from booking_station.runtime import UserError
from desktop.station.config import EMBEDDED, Config
from desktop.station.db_errors import StoreUnavailable
from desktop.station.events import LINK, Event
from desktop.station.messages import Message, StationError, message
from desktop.station.models import utcnow
from desktop.station.outbox import Outbox, backoff
from desktop.station.outbox_client import BackendClient, BackendRejected, BackendUnavailable, link_problem
from desktop.station.outbox_launcher import EmbeddedBackend
from desktop.station.responses import Responses

if TYPE_CHECKING:
    from booking_station.pki import TlsFiles
    from desktop.station.detainers.claims import Claims

log = logging.getLogger(__name__)

POLL_INTERVAL = 5.0
#: While the backend prepares, its progress (and the first answers) are fetched this often.
PREPARING_POLL_INTERVAL = 2.0


@dataclass(frozen=True)
class WorkerStatus:
    connected: bool
    url: str | None
    queued: int
    problem: Message | None  # why the last round did not finish (the UI words it)
    last_contact: datetime | None
    backend_state: str = ""  # the backend's /health status: "starting" while it builds its population
    backend_progress: float = 1.0
    backend: BackendPreparation | None = None  # what the backend is doing while it prepares


@dataclass(frozen=True)
class BackendPreparation:
    """The backend's /health while it prepares its population, as codes and figures (words are the UI's)."""

    activity: str  # starting | loading | enrolling | ready | failed
    done: int  # prints enrolled so far
    total: int
    seconds_left: float | None
    searchable: bool  # identifications are already answered

    @classmethod
    def from_health(cls, health: dict) -> BackendPreparation | None:
        if health.get("status") != "starting":
            return None

        def number(key: str, kind: type) -> object:
            try:
                value = health.get(key)
                return None if value is None else kind(value)
            except (TypeError, ValueError):  # an older or foreign backend: show what can be read
                return None

        return cls(
            activity=str(health.get("activity") or "starting"),
            done=number("done", int) or 0,
            total=number("total", int) or 0,
            seconds_left=number("seconds_left", float),
            searchable=bool(health.get("searchable", False)),
        )


class SubmissionWorker:
    def __init__(
        self,
        outbox: Outbox,
        responses: Responses,
        config: Callable[[], Config],
        *,
        embedded_folder: Path | None = None,
        embedded: EmbeddedBackend | None = None,
        poll_interval: float = POLL_INTERVAL,
        client_factory: Callable[[str, TlsFiles | None], BackendClient] = BackendClient,
        claims: Claims | None = None,
    ) -> None:
        self._outbox = outbox
        self._claims = claims  # detainees' claims for ICE, sent with the submissions
        self._responses = responses
        self._config = config
        self._poll_interval = poll_interval
        self._client_factory = client_factory
        self._embedded = embedded or (EmbeddedBackend(embedded_folder) if embedded_folder else None)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client: BackendClient | None = None
        self._registered: tuple[str, str, bool, str] | None = None
        self._failures = 0
        self._lock = threading.Lock()
        self._status = WorkerStatus(False, None, 0, None, None)
        self._events = outbox.events
        self._unsubscribe: Callable[[], None] | None = None

    # --- control ------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._unsubscribe = self._events.subscribe(
            lambda _event: self.wake(),
            "submission.queued",
            "submission.retry",
            "settings.update",
            "claim.recorded",
        )
        self._thread = threading.Thread(target=self._run, name="submission-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
        if self._client:
            self._client.close()
            self._client = None
        if self._embedded:
            self._embedded.stop()

    def wake(self) -> None:
        """Work now (a submission was queued, the settings changed, the clerk pressed Retry)."""
        self._wake.set()

    def status(self) -> WorkerStatus:
        with self._lock:
            return self._status

    # --- one round, also used directly by tests ------------------------------------------------
    def run_once(self) -> None:
        """Register the agency if needed, send what is due, fetch the mailbox."""
        config = self._config()
        client = self._connect(config)
        key = (client.base_url, config.agency_ori, config.immigration_responses, config.agency_name)
        if self._registered != key:
            client.put_agency(config.agency_ori, config.agency_name, config.immigration_responses)
            self._registered = key
        self._outbox.send_due(client)
        if self._claims is not None:
            self._claims.send_due(client, config.agency_ori)
        self._responses.poll(client, config.agency_ori)
        self._outbox.anchor_audit_head(client, config.agency_ori)
        health = client.health()
        # send_due records a refused/unreachable submission itself; a round that got here has talked
        # to the backend, so the connection is fine even if some submission waits for its turn.
        self._set_status(
            True,
            client.base_url,
            None,
            str(health.get("status", "")),
            float(health.get("progress", 1.0)),
            BackendPreparation.from_health(health),
        )

    # --- internals ----------------------------------------------------------------------------
    def _connect(self, config: Config) -> BackendClient:
        url = config.backend_url
        if url == EMBEDDED:
            if self._embedded is None:
                raise StationError("embedded.no-folder")
            url = self._embedded.start() if not self._embedded.running else self._embedded.url
            tls = self._embedded.station_tls(config.agency_ori)
        else:
            tls = config.backend_tls()
        if self._client is None or self._client.base_url != url.rstrip("/") or self._client.tls != tls:
            if self._client:
                self._client.close()
                self._client = None
            self._client = self._client_factory(url, tls)
            self._registered = None
        return self._client

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self._poll_interval
            try:
                self.run_once()
                self._failures = 0
                if self.status().backend is not None:
                    wait = min(wait, PREPARING_POLL_INTERVAL)
            except (BackendUnavailable, BackendRejected, UserError) as exc:
                self._failures += 1
                wait = max(wait, backoff(self._failures).total_seconds())
                self._set_status(False, self._client.base_url if self._client else None, link_problem(exc))
                log.info("submission round did not finish: %s", exc)
            except Exception as exc:  # keep the worker alive; the error is shown and logged
                self._failures += 1
                wait = max(wait, backoff(self._failures).total_seconds())
                self._set_status(False, None, message("link.failed", error=exc.__class__.__name__))
                log.exception("submission worker round failed")
            due = self._next_due() if self._failures == 0 else None
            if due is not None:
                wait = min(wait, max((due - utcnow()) / timedelta(seconds=1), 0.05))
            self._wake.wait(wait)
            self._wake.clear()

    def _next_due(self) -> datetime | None:
        try:
            due = [self._outbox.next_due(), self._claims.next_due() if self._claims else None]
            return min((d for d in due if d is not None), default=None)
        except StoreUnavailable:  # the database is down: the next round waits the back-off
            return None

    def _set_status(
        self,
        connected: bool,
        url: str | None,
        error: Message | None,
        state: str = "",
        progress: float = 1.0,
        preparation: BackendPreparation | None = None,
    ) -> None:
        # Called from the error path too: a database that is down must not end the worker thread
        # (it did: the queued submissions then waited for a restart). Keep the last count instead.
        try:
            queued = len(self._outbox.pending())
        except StoreUnavailable as exc:
            queued = self._status.queued
            error = error or link_problem(exc)
        with self._lock:
            last = utcnow() if connected else self._status.last_contact
            before = self._status
            self._status = WorkerStatus(connected, url, queued, error, last, state, progress, preparation)
        if (before.connected, before.url, before.queued, before.problem, before.backend_state,
                round(before.backend_progress, 2), before.backend) != (
                connected, url, queued, error, state, round(progress, 2), preparation):  # fmt: skip
            self._events.publish(Event(LINK, "link", {"connected": connected, "queued": queued}))
