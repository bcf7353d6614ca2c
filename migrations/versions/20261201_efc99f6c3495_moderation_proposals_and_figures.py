"""moderation: proposals are moderated, wider decision states, original titles, monthly figures

Revision ID: efc99f6c3495
Revises: 33c068b6327d
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "efc99f6c3495"
down_revision = "33c068b6327d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moderation_state", sa.String(length=16),
                                      server_default="published", nullable=False))
        batch_op.create_index(batch_op.f("ix_proposal_moderation_state"), ["moderation_state"],
                              unique=False)

    with op.batch_alter_table("moderation_decision", schema=None) as batch_op:
        batch_op.alter_column("state_before", existing_type=sa.String(length=16),
                              type_=sa.String(length=40), existing_nullable=True)
        batch_op.alter_column("state_after", existing_type=sa.String(length=16),
                              type_=sa.String(length=40), existing_nullable=True)
        batch_op.add_column(sa.Column("original_title", sa.Text(), nullable=True))

    op.create_table(
        "moderation_monthly_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("items_decided", sa.Integer(), nullable=False),
        sa.Column("median_hours", sa.Float(), nullable=True),
        sa.Column("p90_hours", sa.Float(), nullable=True),
        sa.Column("queue_length", sa.Integer(), nullable=False),
        sa.Column("per_reason", sa.JSON(), nullable=False),
        sa.Column("per_action", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_monthly_figures")),
        sa.UniqueConstraint("month", name=op.f("uq_moderation_monthly_figures_month")),
    )


def downgrade():
    op.drop_table("moderation_monthly_figures")
    with op.batch_alter_table("moderation_decision", schema=None) as batch_op:
        batch_op.drop_column("original_title")
        batch_op.alter_column("state_after", existing_type=sa.String(length=40),
                              type_=sa.String(length=16), existing_nullable=True)
        batch_op.alter_column("state_before", existing_type=sa.String(length=40),
                              type_=sa.String(length=16), existing_nullable=True)
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_moderation_state"))
        batch_op.drop_column("moderation_state")
