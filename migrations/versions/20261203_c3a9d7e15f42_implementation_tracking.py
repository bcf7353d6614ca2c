"""implementation tracking: progress, milestones, dates and cost on updates; follows

Revision ID: c3a9d7e15f42
Revises: 8b4f2e6a1c35
Create Date: 2026-12-03 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a9d7e15f42'
down_revision = '8b4f2e6a1c35'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('percent_done', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('milestone', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('planned_finish', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('actual_finish', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cost_to_date', sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint('percent_in_range',
                                         sa.text('percent_done BETWEEN 0 AND 100'))
        batch_op.create_check_constraint('cost_not_negative', sa.text('cost_to_date >= 0'))
    op.create_table(
        'proposal_follow',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=True),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('(proposal_id IS NULL) <> (round_id IS NULL)',
                           name=op.f('ck_proposal_follow_one_target')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'],
                                name=op.f('fk_proposal_follow_proposal_id_proposal'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['budget_round.id'],
                                name=op.f('fk_proposal_follow_round_id_budget_round'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_proposal_follow_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_follow')),
        sa.UniqueConstraint('user_id', 'proposal_id',
                            name=op.f('uq_proposal_follow_user_id_proposal_id')),
        sa.UniqueConstraint('user_id', 'round_id',
                            name=op.f('uq_proposal_follow_user_id_round_id')),
    )
    with op.batch_alter_table('proposal_follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_follow_user_id'), ['user_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_follow_proposal_id'), ['proposal_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_follow_round_id'), ['round_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('proposal_follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_follow_round_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_follow_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_follow_user_id'))
    op.drop_table('proposal_follow')
    with op.batch_alter_table('proposal_update', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_proposal_update_cost_not_negative'),
                                 type_='check')
        batch_op.drop_constraint(batch_op.f('ck_proposal_update_percent_in_range'),
                                 type_='check')
        batch_op.drop_column('cost_to_date')
        batch_op.drop_column('actual_finish')
        batch_op.drop_column('planned_finish')
        batch_op.drop_column('milestone')
        batch_op.drop_column('percent_done')
