"""ideas: search work that does not grow with the matches (SQLite: filter tokens in the index,
a vocabulary of stems)

SQLite: `fts_idea` gains a `tags` column of filter tokens (zzpub for published ideas,
zzarea<id> or zzareacity, zztheme<id>, zzstatus<status>, zzlang<code>), so the index alone
applies the list's filters and hands matches over newest first, lazily; `fts_idea_term`
holds every stem ever indexed, so a search word's prefix becomes a few exact terms (FTS5
reads a prefix query's whole doclist before the first row, an exact term only as far as
needed). The search reads the newest 1,001 matches at most (participation/ideas/search.py).
PostgreSQL: unchanged.

Revision ID: 3c862ebab9ac
Revises: 7855bfc10354
Create Date: 2026-12-03 17:45:00.000000

"""
from alembic import op

from participation.ideas.stemming import register_sqlite_function

# revision identifiers, used by Alembic.
revision = '3c862ebab9ac'
down_revision = '7855bfc10354'
branch_labels = None
depends_on = None

_STEMS = "fts_stems({row}.language, {row}.title), fts_stems({row}.language, {row}.description_text)"
# Keep in step with participation/ideas/search.py filter_tokens().
_TAGS = ("CASE {row}.moderation_state WHEN 'published' THEN 'zzpub ' ELSE '' END"
         " || 'zzarea' || coalesce({row}.area_id, 'city')"
         " || ' zztheme' || {row}.theme_id"
         " || ' zzstatus' || replace({row}.status, '_', '')"
         " || ' zzlang' || replace(replace({row}.language, '_', ''), '-', '')")
_TERMS = ("INSERT OR IGNORE INTO fts_idea_term(term) SELECT value FROM "
          "json_each(fts_terms({row}.language, {row}.title, {row}.description_text))")
_DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS fts_idea_after_{name}"
                  for name in ("insert", "delete", "update", "update_tags")]
SQLITE_UP = _DROP_TRIGGERS + [
    "DROP TABLE IF EXISTS fts_idea",
    """CREATE VIRTUAL TABLE fts_idea USING fts5(
        title, description_text, tags, tokenize='unicode61 remove_diacritics 2')""",
    "INSERT INTO fts_idea(fts_idea, rank) VALUES ('rank', 'bm25(2.0, 1.0, 0.0)')",
    "CREATE TABLE fts_idea_term (term TEXT PRIMARY KEY) WITHOUT ROWID",
    f"""CREATE TRIGGER fts_idea_after_insert AFTER INSERT ON idea BEGIN
        INSERT INTO fts_idea(rowid, title, description_text, tags)
        VALUES (new.id, {_STEMS.format(row='new')}, {_TAGS.format(row='new')});
        {_TERMS.format(row='new')};
    END""",
    """CREATE TRIGGER fts_idea_after_delete AFTER DELETE ON idea BEGIN
        DELETE FROM fts_idea WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER fts_idea_after_update
        AFTER UPDATE OF title, description_text, language ON idea BEGIN
        DELETE FROM fts_idea WHERE rowid = old.id;
        INSERT INTO fts_idea(rowid, title, description_text, tags)
        VALUES (new.id, {_STEMS.format(row='new')}, {_TAGS.format(row='new')});
        {_TERMS.format(row='new')};
    END""",
    f"""CREATE TRIGGER fts_idea_after_update_tags
        AFTER UPDATE OF moderation_state, area_id, theme_id, status ON idea BEGIN
        UPDATE fts_idea SET tags = {_TAGS.format(row='new')} WHERE rowid = new.id;
    END""",
    f"""INSERT INTO fts_idea(rowid, title, description_text, tags)
        SELECT id, {_STEMS.format(row='idea')}, {_TAGS.format(row='idea')} FROM idea""",
    f"{_TERMS.format(row='idea').replace('FROM json_each', 'FROM idea, json_each')}",
]
SQLITE_DOWN = _DROP_TRIGGERS + [
    "DROP TABLE IF EXISTS fts_idea_term",
    "DROP TABLE IF EXISTS fts_idea",
    """CREATE VIRTUAL TABLE fts_idea USING fts5(
        title, description_text, tokenize='unicode61 remove_diacritics 2')""",
    "INSERT INTO fts_idea(fts_idea, rank) VALUES ('rank', 'bm25(2.0, 1.0)')",
    f"""CREATE TRIGGER fts_idea_after_insert AFTER INSERT ON idea BEGIN
        INSERT INTO fts_idea(rowid, title, description_text)
        VALUES (new.id, {_STEMS.format(row='new')});
    END""",
    """CREATE TRIGGER fts_idea_after_delete AFTER DELETE ON idea BEGIN
        DELETE FROM fts_idea WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER fts_idea_after_update
        AFTER UPDATE OF title, description_text, language ON idea BEGIN
        DELETE FROM fts_idea WHERE rowid = old.id;
        INSERT INTO fts_idea(rowid, title, description_text)
        VALUES (new.id, {_STEMS.format(row='new')});
    END""",
    f"""INSERT INTO fts_idea(rowid, title, description_text)
        SELECT id, {_STEMS.format(row='idea')} FROM idea""",
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        register_sqlite_function(bind.connection.driver_connection)
        _run(SQLITE_UP)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        register_sqlite_function(bind.connection.driver_connection)
        _run(SQLITE_DOWN)
