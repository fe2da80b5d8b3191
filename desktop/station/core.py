"""`Station`: the one object the UI and the commands hold: config, store and the services on it.

Other parts add their services here (outbox, responses, detainers, captures) as attributes built
from the same store and audit log, so every view reaches everything through one object.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.station import config as config_module
from desktop.station.audit import AuditLog
from desktop.station.bookings import Bookings
from desktop.station.config import Config
from desktop.station.db import Store
from desktop.station.operators import Operators


@dataclass
class Station:
    config: Config
    store: Store
    audit: AuditLog
    operators: Operators
    bookings: Bookings

    @classmethod
    def open(cls, config: Config | None = None) -> Station:
        """Read the config (unless given), open and migrate the database, build the services."""
        config = config or config_module.load()
        store = Store.open(config.resolved_database_url())
        audit = AuditLog(store)
        return cls(config, store, audit, Operators(store, audit), Bookings(store, audit))

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
        self.store.close()
