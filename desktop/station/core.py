"""`Station`: the one object the UI and the commands hold: config, store and the services on it.

`events` is the hub every committed change is published on (events.py); the UI subscribes to it
through its Qt bridge, the station's own duties (service.py) through plain callbacks.

Other parts add their services here (outbox, responses, detainers, captures) as attributes built
from the same store and audit log, so every view reaches everything through one object.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from desktop.station import compute
from desktop.station import config as config_module
from desktop.station.alerts import Alerts
from desktop.station.audit import AuditLog
from desktop.station.bookings import Bookings
from desktop.station.config import Config
from desktop.station.db import Store
from desktop.station.detainers.service import Detainers
from desktop.station.events import EventHub
from desktop.station.operators import Operators
from desktop.station.outbox import Outbox
from desktop.station.responses import Responses


@dataclass
class Station:
    config: Config
    store: Store
    audit: AuditLog
    operators: Operators
    bookings: Bookings
    events: EventHub = field(init=False, repr=False)  # what changed, after each commit (events.py)
    outbox: Outbox = field(init=False, repr=False)  # submissions (D)
    responses: Responses = field(init=False, repr=False)  # the mailbox's answers (D)
    detainers: Detainers = field(init=False, repr=False)  # the 48-hour clock and the rights copy (G)
    alerts: Alerts = field(init=False, repr=False)  # answers naming another person, to acknowledge

    @classmethod
    def open(cls, config: Config | None = None) -> Station:
        """Read the config (unless given), open and migrate the database, build the services."""
        config = config or config_module.load()
        store = Store.open(config.resolved_database_url(), kek=config.kek_location())
        audit = AuditLog(store, EventHub())
        operators = Operators(store, audit, lambda: station.config)  # the lock-out rules as they are now
        station = cls(config, store, audit, operators, Bookings(store, audit))
        station.events = audit.events_hub
        station.outbox = Outbox(store, audit, station.bookings, lambda: station.config)
        station.detainers = Detainers(store, audit, lambda: station.config)
        station.alerts = Alerts(store, audit)
        station.responses = Responses(
            store, audit, station.bookings, station.detainers.on_response, station.alerts
        )
        compute.opened()  # the worker processes of the print checks and the copy (compute.py)
        return station

    def warm(self) -> None:
        """Do now what the duties otherwise do on first use: load the holiday tables of the hold's
        calendar and the rights notices' texts (about a second of imports and parsing that holds
        the interpreter lock). The window runs it before it shows (desktop/ui/app.py), so that work
        never competes with the UI thread while a clerk works."""
        from desktop.station.detainers import rights

        self.config.hold_calendar.load()
        rights.language_codes()

    def update_config(self, new: Config, *, actor: str) -> None:
        """Save changed settings and record which keys changed."""
        old = self.config.to_toml_dict()
        changed = {k: v for k, v in new.to_toml_dict().items() if old.get(k) != v}
        if not changed:
            return
        config_module.save(new)
        self.config = new
        self.audit.append(actor, "settings.update", "config", {"changed": changed})

    def close(self) -> None:
        """Close the store once every capture session has finished with it and released the
        scanner (a booking closed mid-capture ends its capture off the UI thread: capture_session.py)."""
        # None if this process never captured (or is still importing it: then no session exists yet).
        close_all = getattr(sys.modules.get("desktop.station.capture_session"), "close_all", None)
        if close_all is not None:
            close_all(self)
        self.store.close()
        compute.closed()
