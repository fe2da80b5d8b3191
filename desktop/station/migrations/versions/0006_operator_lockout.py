"""Operator lock-out after wrong passwords, password age and history (CJIS 5.5.3, 5.6.2.1.1).

Accounts that exist keep their passwords; their age counts from this migration (not from the
account's creation), so nobody is asked for a new one the day the station is upgraded.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("password_history_json", sa.Text(), server_default="[]", nullable=False))
    op.execute(sa.text("UPDATE operators SET password_changed_at = CURRENT_TIMESTAMP"))


def downgrade() -> None:
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_column("password_history_json")
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
