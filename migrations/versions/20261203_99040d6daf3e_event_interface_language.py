"""participation events record the interface language in use (participation_event.interface_language)

Revision ID: 99040d6daf3e
Revises: a7c3e9b15d28
Create Date: 2026-12-03 17:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '99040d6daf3e'
down_revision = 'a7c3e9b15d28'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participation_event') as batch:
        batch.add_column(sa.Column('interface_language', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('participation_event') as batch:
        batch.drop_column('interface_language')
