"""staff verification keeps an identity key and the account details it checked

Revision ID: 4c7e2b9d1a53
Revises: 73f6eb67dfda
Create Date: 2026-12-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c7e2b9d1a53'
down_revision = '73f6eb67dfda'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('voter_verification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('birth_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('home_area_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_voter_verification_identity_key'),
                              ['identity_key'], unique=False)


def downgrade():
    with op.batch_alter_table('voter_verification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voter_verification_identity_key'))
        batch_op.drop_column('home_area_id')
        batch_op.drop_column('birth_year')
        batch_op.drop_column('identity_key')
