"""comments on budgeting proposals, moderated like idea comments

Revision ID: 8b4f2e6a1c35
Revises: 5d1e8a3c9b27
Create Date: 2026-12-03 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b4f2e6a1c35'
down_revision = '5d1e8a3c9b27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'proposal_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('moderation_state', sa.String(length=16), server_default='published',
                  nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'],
                                name=op.f('fk_proposal_comment_author_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'],
                                name=op.f('fk_proposal_comment_proposal_id_proposal'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_comment')),
    )
    with op.batch_alter_table('proposal_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_comment_author_id'), ['author_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_comment_moderation_state'),
                              ['moderation_state'], unique=False)
        batch_op.create_index('ix_proposal_comment_proposal_created',
                              ['proposal_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_comment', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_comment_proposal_created')
        batch_op.drop_index(batch_op.f('ix_proposal_comment_moderation_state'))
        batch_op.drop_index(batch_op.f('ix_proposal_comment_author_id'))
    op.drop_table('proposal_comment')
