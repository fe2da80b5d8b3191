"""The station core, free of Qt: config, store (SQLAlchemy + Alembic), bookings, operators, audit.

Start from `desktop.station.core.Station.open()`; it reads the config, migrates the database and
holds every service. The UI only calls these objects; it never opens the database itself.
"""
