"""ideas: the author edits (earlier versions kept in idea_revision) and withdraws with a reason

Columns are added with plain ADD COLUMN on SQLite (no table rebuild), so the FTS5 triggers
on `idea` stay in place.

Revision ID: 6d2f0a9c4e71
Revises: 1ebbf40d75d9
Create Date: 2026-12-03 14:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6d2f0a9c4e71'
down_revision = '1ebbf40d75d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=False,
                                      server_default=''))
    op.create_table(
        'idea_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idea_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('description_text', sa.Text(), nullable=False),
        sa.Column('description_html', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['idea_id'], ['idea.id'],
                                name=op.f('fk_idea_revision_idea_id_idea'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_revision')),
    )
    op.create_index('ix_idea_revision_idea_replaced', 'idea_revision',
                    ['idea_id', 'replaced_at'], unique=False)


def downgrade():
    op.drop_index('ix_idea_revision_idea_replaced', table_name='idea_revision')
    op.drop_table('idea_revision')
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('edited_at')
