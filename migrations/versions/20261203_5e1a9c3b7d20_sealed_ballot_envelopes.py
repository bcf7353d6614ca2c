"""sealed ballot envelopes while voting is open; no voter hash on ballots; drafts in the session

Revision ID: 5e1a9c3b7d20
Revises: 4c7e2b9d1a53
Create Date: 2026-12-03 14:30:00.000000

A round that is still open keeps its ballots findable only through `ballot.voter_hash`, which
this revision drops: upgrade with every round's voting closed (`participation pb close-voting`),
or the upgrade stops with a message and changes nothing.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1a9c3b7d20'
down_revision = '4c7e2b9d1a53'
branch_labels = None
depends_on = None


def upgrade():
    open_ballots = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM ballot WHERE voter_hash IS NOT NULL")).scalar()
    if open_ballots:
        raise RuntimeError("Close voting of every round (participation pb close-voting) "
                           "before this upgrade: ballots of an open vote would lose their link.")
    op.create_table('ballot_envelope',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('lookup', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('sheet_number', sa.Integer(), nullable=True),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budget.id'], name=op.f('fk_ballot_envelope_budget_id_budget'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['budget_round.id'], name=op.f('fk_ballot_envelope_round_id_budget_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_envelope')),
    sa.UniqueConstraint('budget_id', 'lookup', name=op.f('uq_ballot_envelope_budget_id_lookup')),
    sa.UniqueConstraint('round_id', 'sheet_number', name=op.f('uq_ballot_envelope_round_id_sheet_number'))
    )
    with op.batch_alter_table('ballot_envelope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_envelope_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_envelope_round_id'), ['round_id'], unique=False)
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_ballot_budget_id_voter_hash'), type_='unique')
        batch_op.drop_column('voter_hash')
    with op.batch_alter_table('ballot_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_draft_round_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_draft_user_id'))
    op.drop_table('ballot_draft')


def downgrade():
    op.create_table('ballot_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budget.id'], name=op.f('fk_ballot_draft_budget_id_budget'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['budget_round.id'], name=op.f('fk_ballot_draft_round_id_budget_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_ballot_draft_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_draft')),
    sa.UniqueConstraint('budget_id', 'user_id', name=op.f('uq_ballot_draft_budget_id_user_id'))
    )
    with op.batch_alter_table('ballot_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_draft_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_draft_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voter_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_ballot_budget_id_voter_hash'), ['budget_id', 'voter_hash'])
    with op.batch_alter_table('ballot_envelope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_envelope_round_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_envelope_budget_id'))
    op.drop_table('ballot_envelope')
