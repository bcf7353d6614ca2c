"""ideas: an idea's earlier versions keep their place too (the author can edit the place)

Revision ID: 4681f431671a
Revises: 3c862ebab9ac
Create Date: 2026-12-04 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4681f431671a'
down_revision = '3c862ebab9ac'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('idea_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_address', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('place_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('place_lon', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('idea_revision', schema=None) as batch_op:
        batch_op.drop_column('place_lon')
        batch_op.drop_column('place_lat')
        batch_op.drop_column('place_address')
