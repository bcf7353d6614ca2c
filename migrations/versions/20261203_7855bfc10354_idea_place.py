"""ideas: an optional place (free-text address and/or a WGS84 point in Espoo)

Columns are added with plain ADD COLUMN on SQLite (no table rebuild), so the FTS5 triggers
on `idea` stay in place.

Revision ID: 7855bfc10354
Revises: 94c2531c6e2d
Create Date: 2026-12-03 17:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7855bfc10354'
down_revision = '94c2531c6e2d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_address', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('place_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('place_lon', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_column('place_lon')
        batch_op.drop_column('place_lat')
        batch_op.drop_column('place_address')
