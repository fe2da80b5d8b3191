"""Alembic migrations of the station database, run by `db.Store.open()` at every start.

To change the schema: edit `desktop/station/models.py`, then generate a revision against a
database at the current head and read it before committing:

    .venv/bin/python scripts/new_migration.py "add the foo column"

`tests/desktop/test_station_store.py` fails while models and migrations disagree.
"""
