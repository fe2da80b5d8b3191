"""Alembic migrations of the station database, run by db.Store at start."""
