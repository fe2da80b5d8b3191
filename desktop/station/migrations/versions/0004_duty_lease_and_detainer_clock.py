"""Who runs the station's duties (a lease row with an expiry), and what the detainer clock recorded.

`duty_leases`: one row per duty group ("station": outbox, mailbox, detainer clock); the process
holding an unexpired lease does the work, so a window and a `station serve` on the same database
never do it twice. `detainers.lapse_recorded_at`: when the clock recorded the lapse (the lapse
itself is at the deadline); `detainers.alerted_hours`: the most urgent alert already raised for the
current deadline (12, 2, … hours before), so each alert is raised once, whichever process runs.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_leases",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_duty_leases")),
    )
    with op.batch_alter_table("detainers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lapse_recorded_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("alerted_hours", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("detainers", schema=None) as batch_op:
        batch_op.drop_column("alerted_hours")
        batch_op.drop_column("lapse_recorded_at")
    op.drop_table("duty_leases")
