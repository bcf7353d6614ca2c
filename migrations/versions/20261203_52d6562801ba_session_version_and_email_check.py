"""accounts: a session version (logging out ends every session) and a checked email address

`user.session_version` is part of the login the session cookie carries; raising it (logout,
password change or reset, a ban) makes every earlier cookie of that person fail. It lives in
the database, so several app servers agree without sharing any memory.

`user.email_verified_at`: when the person followed the link mailed to them. Accounts that
existed before are taken as checked (they were created under the old rules).

Revision ID: 52d6562801ba
Revises: 5e1a9c3b7d20
Create Date: 2026-12-03 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '52d6562801ba'
down_revision = '5e1a9c3b7d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True),
                                      nullable=True))
    op.execute('UPDATE "user" SET email_verified_at = created_at WHERE deleted_at IS NULL')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
        batch_op.drop_column('session_version')
