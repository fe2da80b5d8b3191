"""Problems kept as message codes: why a submission or a claim did not go through (issue 17).

`transactions.problem` and `detainer_claims.problem`: the station's message (code, parameters and
its English, `messages.Message.stored()`), so an old row is shown in the clerk's language. Rows
written before keep their English sentence in `last_error`; the station shows it as it is, marked
as recorded by an earlier version (a sentence cannot be turned back into a code).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TABLES = ("transactions", "detainer_claims")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("problem", sa.JSON(), nullable=True))


def downgrade() -> None:
    # The older version reads only `last_error`: leave it the English of each problem.
    bind = op.get_bind()
    for table in _TABLES:
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("problem", sa.JSON),
                        sa.column("last_error", sa.Text))  # fmt: skip
        for pk, problem in bind.execute(sa.select(rows.c.id, rows.c.problem).where(rows.c.problem.is_not(None))):
            english = str((problem or {}).get("english") or (problem or {}).get("code") or "")
            bind.execute(rows.update().where(rows.c.id == pk).values(last_error=english))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("problem")
