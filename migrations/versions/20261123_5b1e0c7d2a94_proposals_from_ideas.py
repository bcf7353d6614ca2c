"""proposals made from ideas (budgeting links to the ideas package)

Revision ID: 5b1e0c7d2a94
Revises: db606b82d1ca
Create Date: 2026-11-23 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d2a94'
down_revision = 'db606b82d1ca'
branch_labels = None
# The idea table comes from the ideas branch.
depends_on = '0baf601e91ee'


def upgrade():
    op.create_table('proposal_idea',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_proposal_idea_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_idea_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'idea_id', name=op.f('pk_proposal_idea'))
    )
    with op.batch_alter_table('proposal_idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_idea_idea_id'), ['idea_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_idea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_idea_idea_id'))

    op.drop_table('proposal_idea')
