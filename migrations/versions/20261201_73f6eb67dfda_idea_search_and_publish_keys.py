"""ideas: search on stored documents (PostgreSQL), one-time publish keys

Publish keys: `idea.publish_key` holds the one-time key of the form an idea was published
from, unique per author, so a second "Publish" of the same form finds the idea already made.
Added without rebuilding the table on SQLite (plain ADD COLUMN and CREATE INDEX), so the FTS5
triggers stay in place.

Search: the ideas migration indexed the expression to_tsvector(title || ' ' ||
description_text), so matching used the index but ts_rank() parsed every matching idea's text
again (seconds at 100,000 ideas). Now each idea's tsvector is stored once in
`fts_idea_document` (kept in sync by a trigger, like SQLite's FTS5 table) with the GIN index
`fts_idea_tsv`, and search ranks on the stored value. A side table rather than a generated column on `idea`: the column would exist on
PostgreSQL only and the models describe both databases. SQLite keeps FTS5: nothing to do there.

Revision ID: 73f6eb67dfda
Revises: efc99f6c3495
Create Date: 2026-12-01 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '73f6eb67dfda'
down_revision = 'efc99f6c3495'
branch_labels = None
depends_on = None

# Full-text search objects are named fts_* (the drift test leaves them alone).
# The document expression is the one participation/ideas/search.py matched on before.
POSTGRESQL_UP = [
    "DROP INDEX IF EXISTS fts_idea_tsv",
    """CREATE TABLE fts_idea_document (
        idea_id INTEGER PRIMARY KEY REFERENCES idea (id) ON DELETE CASCADE,
        document TSVECTOR NOT NULL)""",
    """CREATE FUNCTION fts_idea_document_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO fts_idea_document (idea_id, document)
        VALUES (NEW.id, to_tsvector('simple', NEW.title || ' ' || NEW.description_text))
        ON CONFLICT (idea_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER fts_idea_document_after_write
        AFTER INSERT OR UPDATE OF title, description_text ON idea
        FOR EACH ROW EXECUTE FUNCTION fts_idea_document_sync()""",
    """INSERT INTO fts_idea_document (idea_id, document)
       SELECT id, to_tsvector('simple', title || ' ' || description_text) FROM idea""",
    "CREATE INDEX fts_idea_tsv ON fts_idea_document USING gin (document)",
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER IF EXISTS fts_idea_document_after_write ON idea",
    "DROP FUNCTION IF EXISTS fts_idea_document_sync()",
    "DROP TABLE IF EXISTS fts_idea_document",
    """CREATE INDEX fts_idea_tsv ON idea
       USING gin (to_tsvector('simple', title || ' ' || description_text))""",
]


def upgrade():
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_key', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_idea_author_publish_key', ['author_id', 'publish_key'],
                              unique=True)
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_UP:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DOWN:
            op.execute(statement)
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_index('ix_idea_author_publish_key')
        batch_op.drop_column('publish_key')
