"""Seal why a submission or a claim did not go through (`problem`, `last_error`).

A problem is a message code with its parameters, and parameters can quote what the booking holds:
the station's own EBTS check names the field and its value (2.018 NAM is '…'), an older row's
English sentence may too. Criminal-justice information is never in clear at rest, so both columns
of `transactions` and `detainer_claims` are now sealed like the rest (`problem` as sealed JSON,
`last_error` as sealed text). Rows are sealed in place, in the upgrade's one transaction; the
downgrade opens them again (the key is at hand), so 0009 reads what it wrote.

Revision ID: 0010
Revises: 0009
"""

import json

import sqlalchemy as sa
from alembic import context, op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: (table, column, the sealed text's kind)
SEALED = (
    ("transactions", "problem", "json"),
    ("transactions", "last_error", "text"),
    ("detainer_claims", "problem", "json"),
    ("detainer_claims", "last_error", "text"),
)


def _sealer(connection):  # type: ignore[no-untyped-def]
    from desktop.station import keys

    where = context.config.attributes.get("kek") or keys.KekLocation()
    return keys.open_data_key(connection, where) or keys.create_data_key(connection, where)


def _rows(connection, table: str, column: str):  # type: ignore[no-untyped-def]
    t = sa.table(table, sa.column("id"), sa.column(column, sa.Text))
    found = connection.execute(sa.select(t.c.id, t.c[column]).where(t.c[column].is_not(None)))
    return t, found.all()


def upgrade() -> None:
    from booking_station.sealed_columns import seal_text

    connection = op.get_bind()
    sealer = _sealer(connection)
    if connection.dialect.name == "postgresql":  # JSON cannot hold the sealed text
        for table, column, kind in SEALED:
            if kind == "json":
                op.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE TEXT USING "{column}"::text')
    for table, column, kind in SEALED:
        t, rows = _rows(connection, table, column)
        for row_id, value in rows:
            # SQLite hands back the JSON column's text as stored; keep the JSON canonical and whole.
            clear = json.dumps(json.loads(value), ensure_ascii=False, sort_keys=True) if kind == "json" else value
            sealed = seal_text(sealer, clear, f"station:{table}.{column}")
            connection.execute(t.update().where(t.c.id == row_id).values({column: sealed}))


def downgrade() -> None:
    from booking_station.sealed_columns import open_text

    connection = op.get_bind()
    sealer = _sealer(connection)
    for table, column, _kind in SEALED:
        t, rows = _rows(connection, table, column)
        for row_id, value in rows:
            clear = open_text(sealer, value, f"station:{table}.{column}")
            connection.execute(t.update().where(t.c.id == row_id).values({column: clear}))
    if connection.dialect.name == "postgresql":
        for table, column, kind in SEALED:
            if kind == "json":
                op.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE JSON USING "{column}"::json')
