"""ideas: search stems Finnish, Swedish and English words and ignores diacritics

Both databases fold first (lower case, ä->a, ö->o, å->a and the other Latin diacritics, by
one character table: participation/ideas/stemming.py FOLD_FROM/FOLD_TO) and then stem with
Snowball in the idea's language, keeping stop words, so "penkki" finds "penkkejä" and
"matinkyla" finds "Matinkylä" on either database.

SQLite: `fts_idea` becomes an FTS5 table of stems (no longer external content over `idea`),
filled by triggers that call fts_stems(language, text), a Python function registered on every
connection (participation/ideas/stemming.py); title weighs twice the description in bm25.
PostgreSQL: text search configurations fts_finnish/fts_swedish/fts_english (Snowball without
stop words), SQL functions fts_fold, fts_config, fts_document (the stored tsvector, title
weighted A) and fts_query (one search word: its stems in every language, as prefixes). A fixed
translate() table folds rather than the unaccent extension, so both databases fold alike and
no extension is needed.

Revision ID: 1ebbf40d75d9
Revises: 7d3e91a0c5b2
Create Date: 2026-12-03 14:20:00.000000

"""
from alembic import op

from participation.ideas.stemming import FOLD_FROM, FOLD_TO, register_sqlite_function

# revision identifiers, used by Alembic.
revision = '1ebbf40d75d9'
down_revision = '7d3e91a0c5b2'
branch_labels = None
depends_on = None

# Full-text search objects are named fts_* (the drift test leaves them alone).
_STEMS = "fts_stems({row}.language, {row}.title), fts_stems({row}.language, {row}.description_text)"
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS fts_idea_after_insert",
    "DROP TRIGGER IF EXISTS fts_idea_after_delete",
    "DROP TRIGGER IF EXISTS fts_idea_after_update",
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
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS fts_idea_after_insert",
    "DROP TRIGGER IF EXISTS fts_idea_after_delete",
    "DROP TRIGGER IF EXISTS fts_idea_after_update",
    "DROP TABLE IF EXISTS fts_idea",
    """CREATE VIRTUAL TABLE fts_idea USING fts5(
        title, description_text, content='idea', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER fts_idea_after_insert AFTER INSERT ON idea BEGIN
        INSERT INTO fts_idea(rowid, title, description_text)
        VALUES (new.id, new.title, new.description_text);
    END""",
    """CREATE TRIGGER fts_idea_after_delete AFTER DELETE ON idea BEGIN
        INSERT INTO fts_idea(fts_idea, rowid, title, description_text)
        VALUES ('delete', old.id, old.title, old.description_text);
    END""",
    """CREATE TRIGGER fts_idea_after_update AFTER UPDATE OF title, description_text ON idea BEGIN
        INSERT INTO fts_idea(fts_idea, rowid, title, description_text)
        VALUES ('delete', old.id, old.title, old.description_text);
        INSERT INTO fts_idea(rowid, title, description_text)
        VALUES (new.id, new.title, new.description_text);
    END""",
    "INSERT INTO fts_idea(fts_idea) VALUES ('rebuild')",
]

_MAPPED = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
_PG_LANGUAGES = {"fi": "finnish", "sv": "swedish", "en": "english"}
POSTGRESQL_UP = []
for _code, _name in _PG_LANGUAGES.items():
    POSTGRESQL_UP += [
        f"CREATE TEXT SEARCH DICTIONARY fts_{_name}_stem (TEMPLATE = snowball, "
        f"Language = {_name})",
        f"CREATE TEXT SEARCH CONFIGURATION fts_{_name} (COPY = simple)",
        f"ALTER TEXT SEARCH CONFIGURATION fts_{_name} ALTER MAPPING FOR {_MAPPED} "
        f"WITH fts_{_name}_stem",
    ]
POSTGRESQL_UP += [
    f"""CREATE FUNCTION fts_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE
        AS $$ SELECT translate(lower(coalesce(value, '')), '{FOLD_FROM}', '{FOLD_TO}') $$""",
    """CREATE FUNCTION fts_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE
        AS $$ SELECT CASE language WHEN 'fi' THEN 'fts_finnish'::regconfig
                                   WHEN 'sv' THEN 'fts_swedish'::regconfig
                                   WHEN 'en' THEN 'fts_english'::regconfig
                                   ELSE 'simple'::regconfig END $$""",
    """CREATE FUNCTION fts_document(language text, title text, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector(fts_config(language), fts_fold(title)), 'A')
            || setweight(to_tsvector(fts_config(language), fts_fold(body)), 'B') $$""",
    """CREATE FUNCTION fts_query(term text) RETURNS tsquery LANGUAGE sql IMMUTABLE AS $$
        SELECT to_tsquery('simple', fts_fold(term) || ':*')
            || to_tsquery('fts_finnish', fts_fold(term) || ':*')
            || to_tsquery('fts_swedish', fts_fold(term) || ':*')
            || to_tsquery('fts_english', fts_fold(term) || ':*') $$""",
    """CREATE OR REPLACE FUNCTION fts_idea_document_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO fts_idea_document (idea_id, document)
        VALUES (NEW.id, fts_document(NEW.language, NEW.title, NEW.description_text))
        ON CONFLICT (idea_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS fts_idea_document_after_write ON idea",
    """CREATE TRIGGER fts_idea_document_after_write
        AFTER INSERT OR UPDATE OF title, description_text, language ON idea
        FOR EACH ROW EXECUTE FUNCTION fts_idea_document_sync()""",
    """UPDATE fts_idea_document SET document = fts_document(idea.language, idea.title,
        idea.description_text) FROM idea WHERE idea.id = fts_idea_document.idea_id""",
]
POSTGRESQL_DOWN = [
    """CREATE OR REPLACE FUNCTION fts_idea_document_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO fts_idea_document (idea_id, document)
        VALUES (NEW.id, to_tsvector('simple', NEW.title || ' ' || NEW.description_text))
        ON CONFLICT (idea_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS fts_idea_document_after_write ON idea",
    """CREATE TRIGGER fts_idea_document_after_write
        AFTER INSERT OR UPDATE OF title, description_text ON idea
        FOR EACH ROW EXECUTE FUNCTION fts_idea_document_sync()""",
    """UPDATE fts_idea_document SET document = to_tsvector('simple', idea.title || ' ' ||
        idea.description_text) FROM idea WHERE idea.id = fts_idea_document.idea_id""",
    "DROP FUNCTION IF EXISTS fts_query(text)",
    "DROP FUNCTION IF EXISTS fts_document(text, text, text)",
    "DROP FUNCTION IF EXISTS fts_config(text)",
    "DROP FUNCTION IF EXISTS fts_fold(text)",
] + [statement for _name in _PG_LANGUAGES.values() for statement in (
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS fts_{_name}",
    f"DROP TEXT SEARCH DICTIONARY IF EXISTS fts_{_name}_stem")]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Connections made by the app have the function already; make sure this one does.
        register_sqlite_function(bind.connection.driver_connection)
        _run(SQLITE_UP)
    elif bind.dialect.name == "postgresql":
        _run(POSTGRESQL_UP)


def downgrade():
    dialect = op.get_bind().dialect.name
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}.get(dialect, []))
