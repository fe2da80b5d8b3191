"""The audit head at the backend, for the command line: read the heads it keeps, anchor one now.

The submission worker anchors as it goes (every submission carries the head, and it sends the
head when it moved: outbox.py). `booking-station audit verify` and `audit anchor` need the backend
without a window: a backend at a URL is asked directly; the embedded one is used where the
running station started it (its ready file answers), otherwise it is started for the question and
stopped again.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import TypeVar

from desktop.station.audit import AuditHead
from desktop.station.config import EMBEDDED, Config, data_dir
from desktop.station.outbox_client import AuditAnchor, BackendClient, BackendUnavailable, link_problem

T = TypeVar("T")


@contextlib.contextmanager
def _client(config: Config, start_embedded: bool = True) -> Iterator[BackendClient]:
    if config.backend_url != EMBEDDED:
        client = BackendClient(config.backend_url, config.backend_tls())
        try:
            yield client
        finally:
            client.close()
        return
    from desktop.station.outbox_launcher import EmbeddedBackend

    embedded = EmbeddedBackend(data_dir() / "backend")
    tls = embedded.station_tls(config.agency_ori)
    ready = embedded.folder / "backend.ready.json"
    if ready.exists():  # the station's own embedded backend, when it is running
        try:
            client = BackendClient(str(json.loads(ready.read_text())["url"]), tls)
        except (ValueError, KeyError):
            client = None
        if client is not None:
            try:
                client.health()
            except BackendUnavailable:
                client.close()
            else:
                try:
                    yield client
                finally:
                    client.close()
                return
    if not start_embedded:
        raise BackendUnavailable("embedded.not-running")
    url = embedded.start()
    client = BackendClient(url, tls)
    try:
        yield client
    finally:
        client.close()
        embedded.stop()


def _ask(config: Config, question: Callable[[BackendClient], T], start_embedded: bool = True) -> T:
    with _client(config, start_embedded) as client:
        return question(client)


def backend_anchors(config: Config, *, start_embedded: bool = True) -> list[AuditAnchor]:
    """The heads the backend keeps for this station's agency, newest first. `start_embedded`: start
    the embedded backend for the question when it is not running (the command line does; the
    window does not, its duties run it)."""
    return _ask(config, lambda client: client.audit_anchors(config.agency_ori, limit=1000), start_embedded)


def anchor_now(config: Config, head: AuditHead) -> AuditAnchor:
    return _ask(config, lambda client: client.anchor_audit_head(config.agency_ori, head))


def verify(audit, config: Config, *, offline: bool = False, start_embedded: bool = True):  # type: ignore[no-untyped-def]
    """The audit log checked, then (when the chain itself holds) checked against the heads the
    backend keeps: (Verification, why the backend could not be asked, or None). Used by
    `audit verify` and the Audit page alike."""
    local = audit.verify(zone=config.zone)
    if not local.ok or offline:
        return local, None
    try:
        anchors = backend_anchors(config, start_embedded=start_embedded)
    except Exception as exc:  # every reason the backend could not be asked is said, not raised
        return local, link_problem(exc)
    return audit.verify(anchors, zone=config.zone), None
