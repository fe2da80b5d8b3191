"""Seal criminal-justice information at rest and key the audit chain.

Makes the database's data key (wrapped by the key-encryption key outside the database: keys.py)
and seals, row by row and in place, every value models.py now declares sealed: the person's
identifying fields, charges, fingerprint images and notes, the EBTS transactions, imported files,
responses and detainer outcomes. Builds the keyed name index from the clear names before they are
sealed. On PostgreSQL the columns that held dates, numbers or short strings become TEXT (SQLite
keeps its declared types: its columns hold any value).

The audit chain: events written so far keep their plain SHA-256 hashes; an `audit.keyed` event,
the first one hashed with the key, follows them (its previous hash is the plain chain's head), and
where the keyed chain starts is kept sealed. Nothing is lost; it all happens in one transaction.

Revision ID: 0005
Revises: 0004
"""

import json

import sqlalchemy as sa
from alembic import context, op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: (table, column, how it is kept now): "bytes" sealed binary, otherwise sealed text of that kind.
SEALED = (
    ("subjects", "surname", "text"),
    ("subjects", "given_names", "text"),
    ("subjects", "date_of_birth", "date"),
    ("subjects", "sex", "text"),
    ("subjects", "race", "text"),
    ("subjects", "place_of_birth", "text"),
    ("subjects", "height_inches", "int"),
    ("subjects", "weight_pounds", "int"),
    ("subjects", "eye_color", "text"),
    ("subjects", "hair_color", "text"),
    ("charges", "text", "text"),
    ("captures", "image_png", "bytes"),
    ("captures", "annotation_reason", "text"),
    ("transactions", "ebts", "bytes"),
    ("responses", "body", "bytes"),
    ("responses", "summary_json", "text"),
    ("detainers", "outcome", "text"),
    ("imported_transactions", "ebts", "bytes"),
    ("imported_transactions", "kept_json", "text"),
)


def upgrade() -> None:
    from booking_station.sealed_columns import attach, seal_text
    from desktop.station import keys, name_index
    from desktop.station.audit import append_event, record_keyed_from

    op.create_table(
        "station_keys",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_station_keys")),
    )
    op.create_table(
        "name_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.LargeBinary(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_name_tokens_subject_id_subjects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_tokens")),
    )
    with op.batch_alter_table("name_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_name_tokens_digest"), ["digest"], unique=False)
        batch_op.create_index(batch_op.f("ix_name_tokens_subject_id"), ["subject_id"], unique=False)

    connection = op.get_bind()
    where = context.config.attributes.get("kek") or keys.KekLocation()
    sealer = keys.open_data_key(connection, where) or keys.create_data_key(connection, where)
    attach(connection, sealer)

    # The name index, from the names while they are still clear.
    subjects = sa.table("subjects", sa.column("id"), sa.column("surname", sa.Text), sa.column("given_names", sa.Text))
    key = name_index.index_key(connection.dialect)
    tokens = sa.table("name_tokens", sa.column("subject_id"), sa.column("digest", sa.LargeBinary))
    for sid, surname, given in connection.execute(sa.select(subjects.c.id, subjects.c.surname, subjects.c.given_names)):
        digests = name_index.subject_digests(key, surname or "", given or "")
        if digests:
            connection.execute(tokens.insert(), [{"subject_id": sid, "digest": d} for d in digests])

    if connection.dialect.name == "postgresql":
        for table_name, column, kind in SEALED:
            if kind != "bytes":
                op.execute(
                    f'ALTER TABLE {table_name} ALTER COLUMN "{column}" TYPE TEXT USING "{column}"::text'
                )

    for table_name, column, kind in SEALED:
        raw = sa.LargeBinary() if kind == "bytes" else sa.Text()
        t = sa.table(table_name, sa.column("id"), sa.column(column, raw))
        context_name = f"station:{table_name}.{column}"
        ids = connection.execute(sa.select(t.c.id).where(t.c[column].is_not(None)).order_by(t.c.id)).scalars().all()
        for row_id in ids:  # one row at a time: images and transactions can be large
            value = connection.execute(sa.select(t.c[column]).where(t.c.id == row_id)).scalar_one()
            if kind == "bytes":
                sealed = sealer.seal(bytes(value), context_name.encode())
            else:
                sealed = seal_text(sealer, _as_text(value, kind), context_name)
            connection.execute(t.update().where(t.c.id == row_id).values({column: sealed}))

    # The audit chain: keyed from the next event on; the plain events before it stay as they are.
    head = connection.execute(sa.text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
    plain_events = head[0] if head else 0
    record_keyed_from(connection, plain_events + 1)
    if plain_events:
        from sqlalchemy.orm import Session

        with Session(bind=connection) as session:
            append_event(
                session, sealer.derive(b"audit chain"), "system", "audit.keyed", "audit",
                {"plain_events": plain_events, "plain_head": head[1]},
            )  # fmt: skip
            session.flush()


def _as_text(value, kind: str) -> str:  # type: ignore[no-untyped-def]
    """A clear value as the sealed column's text: dates ISO 8601, numbers in decimal."""
    if kind == "date":
        return value.isoformat() if hasattr(value, "isoformat") else str(value)[:10]
    if kind == "int":
        return str(int(value))
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def downgrade() -> None:
    raise RuntimeError(
        "the station's data cannot be un-sealed by a migration: restore the backup made before the upgrade"
    )
