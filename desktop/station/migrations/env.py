"""Alembic environment: run against the connection the station hands over (see db.migrate)."""

from __future__ import annotations

from alembic import context

from desktop.station.models import Base, UTCDateTime


def _render_item(type_, obj, autogen_context):
    # UTCDateTime is stored as a plain DATETIME: migrations stay free of our Python types.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    render_item=_render_item,
)
with context.begin_transaction():
    context.run_migrations()
