"""proposal statuses from draft to implemented, with a public reason for a cancellation

Revision ID: 5d1e8a3c9b27
Revises: 6d2f0a9c4e71
Create Date: 2026-12-03 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e8a3c9b27'
down_revision = '6d2f0a9c4e71'
branch_labels = None
depends_on = None

STATUSES = ("draft", "submitted", "in_review", "not_feasible", "on_ballot", "merged",
            "selected", "not_selected", "in_planning", "under_construction", "implemented",
            "cancelled")
KNOWN = "status IN (%s)" % ", ".join(f"'{status}'" for status in STATUSES)


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_changed_at', sa.DateTime(timezone=True),
                                      nullable=True))
        for code in ('fi', 'sv', 'en'):
            batch_op.add_column(sa.Column(f'status_reason_{code}', sa.Text(), nullable=False,
                                          server_default=''))
    # Old names to new ones; losing proposals of published rounds say so at last.
    op.execute("UPDATE proposal SET status = 'under_construction' "
               "WHERE status = 'in_implementation'")
    op.execute("UPDATE proposal SET status = 'implemented' WHERE status = 'done'")
    op.execute("UPDATE proposal SET status = 'not_selected' WHERE status = 'on_ballot' AND "
               "round_id IN (SELECT id FROM budget_round "
               "WHERE results_published_at IS NOT NULL)")
    op.execute("UPDATE proposal SET status = 'submitted' WHERE status = 'in_review' AND "
               "submitted_by_id IS NOT NULL AND reviewed_at IS NULL")
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_check_constraint('status_known', sa.text(KNOWN))


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_proposal_status_known'), type_='check')
    op.execute("UPDATE proposal SET status = 'in_implementation' "
               "WHERE status IN ('in_planning', 'under_construction')")
    op.execute("UPDATE proposal SET status = 'done' WHERE status = 'implemented'")
    op.execute("UPDATE proposal SET status = 'on_ballot' "
               "WHERE status IN ('not_selected', 'cancelled')")
    op.execute("UPDATE proposal SET status = 'in_review' WHERE status IN ('submitted', 'draft')")
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        for code in ('en', 'sv', 'fi'):
            batch_op.drop_column(f'status_reason_{code}')
        batch_op.drop_column('status_changed_at')
