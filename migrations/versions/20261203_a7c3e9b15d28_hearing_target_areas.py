"""youth hearings target several areas (hearing_area); hearing.area_id moves there

Revision ID: a7c3e9b15d28
Revises: 5f1d2c3b4a6e
Create Date: 2026-12-03 16:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c3e9b15d28'
down_revision = '5f1d2c3b4a6e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hearing_area',
        sa.Column('hearing_id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'],
                                name=op.f('fk_hearing_area_hearing_id_hearing'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['area_id'], ['area.id'],
                                name=op.f('fk_hearing_area_area_id_area'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('hearing_id', 'area_id', name=op.f('pk_hearing_area')),
    )
    op.execute('INSERT INTO hearing_area (hearing_id, area_id) '
               'SELECT id, area_id FROM hearing WHERE area_id IS NOT NULL')
    with op.batch_alter_table('hearing') as batch:
        batch.drop_constraint('fk_hearing_area_id_area', type_='foreignkey')
        batch.drop_column('area_id')


def downgrade():
    with op.batch_alter_table('hearing') as batch:
        batch.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_hearing_area_id_area', 'area', ['area_id'], ['id'])
    # A hearing with several areas keeps one of them (the lowest id): the old schema had one.
    op.execute('UPDATE hearing SET area_id = (SELECT MIN(area_id) FROM hearing_area '
               'WHERE hearing_area.hearing_id = hearing.id)')
    op.drop_table('hearing_area')
