"""indicators: participant_period roll-up (one row per person and year, quarter, month)

Revision ID: 94c2531c6e2d
Revises: 99040d6daf3e
Create Date: 2026-12-03 17:40:00

The table starts empty: until `participation indicators rollup` (or the monthly job) fills
it, the indicators see that it does not account for every event and read the events instead.
"""
import sqlalchemy as sa
from alembic import op

revision = '94c2531c6e2d'
down_revision = '99040d6daf3e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'participant_period',
        sa.Column('participant_key', sa.String(length=64), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=True),
        sa.Column('age_band', sa.String(length=16), nullable=True),
        sa.Column('language_group', sa.String(length=16), nullable=True),
        sa.Column('channels', sa.Integer(), nullable=False),
        sa.Column('kinds', sa.Integer(), nullable=False),
        sa.Column('events', sa.Integer(), nullable=False),
        sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('participant_key', 'period', name=op.f('pk_participant_period')),
    )
    op.create_index('ix_participant_period_cells', 'participant_period',
                    ['period', 'area_id', 'age_band', 'language_group', 'channels', 'kinds',
                     'first_at', 'events'])


def downgrade():
    op.drop_index('ix_participant_period_cells', table_name='participant_period')
    op.drop_table('participant_period')
