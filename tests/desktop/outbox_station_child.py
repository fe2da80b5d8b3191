"""A station process for the crash test: queue the booking's submission if it is not queued yet,
then send and poll until its answers are in. CRASH names a step at which the process dies on the
spot (os._exit: no clean-up, no commit of anything in flight), the first time it gets there:

  before-send      the CAR is queued, the POST has not been made
  after-send       the backend accepted the POST, the station has not recorded it
  after-store      a response is stored, the mailbox has not been acknowledged
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

from desktop.station.config import Config
from desktop.station.core import Station
from desktop.station.models import Transaction
from desktop.station.outbox_client import BackendClient, BackendUnavailable
from desktop.station.outbox_worker import SubmissionWorker
from desktop.station.responses import Responses


def _die_around(cls, name: str, when: str) -> None:
    original = getattr(cls, name)

    def wrapper(*args, **kwargs):
        if when == "before":
            os._exit(9)
        result = original(*args, **kwargs)
        if when == "after" and result != 0:
            os._exit(9)
        return result

    setattr(cls, name, wrapper)


def main(db: str, url: str, booking_id: int, crash: str, ca: str, certificate: str, key: str) -> int:
    if crash == "before-send":
        _die_around(BackendClient, "submit", "before")
    elif crash == "after-send":
        _die_around(BackendClient, "submit", "after")
    elif crash == "after-store":
        _die_around(Responses, "_store_message", "after")
    station = Station.open(Config(database_url=db, backend_url=url, agency_ori="NY0303000", backend_ca=ca,
                                  backend_certificate=certificate, backend_key=key))  # fmt: skip
    with station.store.session() as s:
        queued = s.query(Transaction).filter_by(booking_id=booking_id).count()
    if not queued:
        station.outbox.enqueue(booking_id, actor="clerk")
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config)
    deadline = time.monotonic() + 200
    while time.monotonic() < deadline:
        with contextlib.suppress(BackendUnavailable):  # between runs the backend may be busy
            worker.run_once()
        kinds = {v.kind for v in station.responses.for_booking(booking_id)}
        if {"SRE", "IAR", "DETAINER"} <= kinds:
            return 0
        time.sleep(0.3)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:8]))
