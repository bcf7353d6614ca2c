"""Words as search compares them: lower case, diacritics folded, Snowball-stemmed per language.

Both databases apply the same steps. SQLite's FTS5 table holds the stems this module makes
(the triggers call `fts_stems(language, text)`, registered on every SQLite connection);
PostgreSQL folds with translate() over the same FOLD_FROM/FOLD_TO characters and stems with
its own Snowball dictionaries (configurations `fts_finnish`, `fts_swedish`, `fts_english`,
stop words kept, as here). Folding comes first, so "matinkyla" and "Matinkylä" are one word
(Finnish keyboards on phones and abroad often lack ä and ö).
"""

from __future__ import annotations

import json
import re
import sqlite3
from functools import lru_cache

import snowballstemmer
import sqlalchemy as sa
from markupsafe import Markup, escape

# One table for both databases (PostgreSQL: translate(lower(text), FOLD_FROM, FOLD_TO)).
FOLD_FROM = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøŠšÙÚÛÜùúûüÝýÿŽžÆæ"
FOLD_TO = "aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooooossuuuuuuuuyyyzzaa"
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)
assert len(FOLD_FROM) == len(FOLD_TO)

# Idea language -> Snowball algorithm; other languages are only folded.
ALGORITHMS = {"fi": "finnish", "sv": "swedish", "en": "english"}
WORD = re.compile(r"[^\W_]+")
SQL_FUNCTION = "fts_stems"
SQL_TERMS_FUNCTION = "fts_terms"

_stemmers = {language: snowballstemmer.stemmer(name) for language, name in ALGORITHMS.items()}


def fold(text: str) -> str:
    return (text or "").lower().translate(_FOLD)


def words(text: str) -> list[str]:
    return WORD.findall(text or "")


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of one word (folded first) in `language`; unknown languages only fold."""
    folded = fold(word)
    stemmer = _stemmers.get(language)
    return stemmer.stemWord(folded) if stemmer else folded


def stems(language: str | None, text: str | None) -> str:
    """A text as the space-separated stems the SQLite index stores."""
    return " ".join(stem(word, language or "") for word in words(text or ""))


def distinct_stems(language: str | None, *texts: str | None) -> str:
    """The distinct stems of some texts as a JSON array (SQLite's vocabulary trigger reads it
    with json_each)."""
    found = {stem(word, language or "") for text in texts for word in words(text or "")}
    return json.dumps(sorted(found), ensure_ascii=False)


def query_alternatives(term: str) -> list[str]:
    """What one search word may match: its stem in every language, and the word itself.

    The searcher's language says nothing about the ideas', so every language is tried."""
    found = [fold(term)]
    for language in ALGORITHMS:
        candidate = stem(term, language)
        if candidate and candidate not in found:
            found.append(candidate)
    return found


def _matches(word: str, language: str, alternatives: list[list[str]]) -> bool:
    word_stem = stem(word, language)
    folded = fold(word)
    return any(word_stem.startswith(option) or folded.startswith(option)
               for options in alternatives for option in options)


def highlight(text: str, terms: list[str], language: str, *, width: int = 0) -> Markup:
    """`text` escaped, with the words the search matched in <mark>; with `width`, an excerpt
    of about that many characters that starts near the first match."""
    text = text or ""
    alternatives = [query_alternatives(term) for term in terms]
    spans = [match.span() for match in WORD.finditer(text)
             if alternatives and _matches(match.group(), language, alternatives)]
    start, end, prefix, suffix = 0, len(text), "", ""
    if width and len(text) > width:
        first = spans[0][0] if spans else 0
        if first > width - 40:
            start = text.rfind(" ", 0, first - 30) + 1
            prefix = "…"
        end = start + width
        if end < len(text):
            end = max(text.rfind(" ", start, end), start + width // 2)
            suffix = "…"
    pieces, position = [], start
    for left, right in spans:
        if left < start or right > end:
            continue
        pieces.append(escape(text[position:left]))
        pieces.append(Markup("<mark>%s</mark>") % text[left:right])
        position = right
    pieces.append(escape(text[position:end]))
    return Markup(escape(prefix) + Markup("").join(pieces) + escape(suffix))


def register_sqlite_function(connection: sqlite3.Connection) -> None:
    connection.create_function(SQL_FUNCTION, 2, stems, deterministic=True)
    connection.create_function(SQL_TERMS_FUNCTION, 3, distinct_stems, deterministic=True)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _on_connect(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        register_sqlite_function(dbapi_connection)
