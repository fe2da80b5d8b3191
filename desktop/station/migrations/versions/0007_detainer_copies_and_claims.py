"""The detainee's copies as made and as handed over, and the claims a detainee makes

`detainer_copies`: each copy of the notice really made (print job accepted, or PDF written and read
back). `detainer_services`: each hand-over the clerk recorded (handed, read by an interpreter in
person or by telephone, refused), in the language the notice was given in. `detainer_claims`: a
claim of U.S. citizenship or of being a crime victim, kept until ICE's LESC has it and answered.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "detainer_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("detainer_pk", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("how", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["detainer_pk"], ["detainers.id"], name=op.f("fk_detainer_copies_detainer_pk_detainers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detainer_copies")),
    )
    with op.batch_alter_table("detainer_copies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detainer_copies_detainer_pk"), ["detainer_pk"], unique=False)
    op.create_table(
        "detainer_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("copy_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("method", sa.String(length=24), nullable=False),
        sa.Column("interpreter", sa.Text(), nullable=False),  # sealed (booking_station.sealed_columns)
        sa.Column("served_at", sa.DateTime(), nullable=False),
        sa.Column("served_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["copy_id"], ["detainer_copies.id"], name=op.f("fk_detainer_services_copy_id_detainer_copies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detainer_services")),
    )
    with op.batch_alter_table("detainer_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detainer_services_copy_id"), ["copy_id"], unique=False)
    op.create_table(
        "detainer_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=False),
        sa.Column("detainer_pk", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),  # sealed
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("outcome_at", sa.DateTime(), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),  # sealed
        sa.ForeignKeyConstraint(["detainer_pk"], ["detainers.id"], name=op.f("fk_detainer_claims_detainer_pk_detainers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detainer_claims")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_detainer_claims_claim_id")),
    )
    with op.batch_alter_table("detainer_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detainer_claims_detainer_pk"), ["detainer_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_detainer_claims_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("detainer_claims")
    op.drop_table("detainer_services")
    op.drop_table("detainer_copies")
