"""Automatic help for moderators: word lists and spam patterns that send content to the queue.

The lists are data files. The shipped ones are in participation/data/moderation/; an admin's
edited copies live in instance/moderation/ and win over the shipped ones.
"""

from __future__ import annotations

import re
from datetime import timedelta
from importlib.resources import files
from pathlib import Path

from ..core.storage import shared_path
from ..core.types import utcnow

LIST_NAMES = ("wordlist_fi", "wordlist_sv", "wordlist_en", "spam_patterns")
NEW_ACCOUNT_AGE = timedelta(days=2)
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
REPEATED_CHARACTER = re.compile(r"(\S)\1{9,}")
REPEATED_WORD = re.compile(r"\b(\w{2,})\b(?:\W+\1\b){5,}", re.IGNORECASE)
WORD = re.compile(r"\w+", re.UNICODE)


def _instance_dir() -> Path:
    return shared_path("moderation")


def read_list(name: str) -> str:
    if name not in LIST_NAMES:
        raise KeyError(name)
    edited = _instance_dir() / f"{name}.txt"
    if edited.exists():
        return edited.read_text(encoding="utf-8")
    return files("participation.data").joinpath(f"moderation/{name}.txt").read_text("utf-8")


def validate_list(name: str, text: str) -> list[str]:
    """Problems in an edited list (bad regular expressions), as (line number: message)."""
    problems = []
    if name == "spam_patterns":
        for number, line in _entries_with_lines(text):
            try:
                re.compile(line)
            except re.error as error:
                problems.append(f"{number}: {error}")
    return problems


def save_list(name: str, text: str) -> None:
    if name not in LIST_NAMES:
        raise KeyError(name)
    folder = _instance_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text.replace("\r\n", "\n"), encoding="utf-8")


def _entries_with_lines(text: str):
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line


def _words(language: str) -> tuple[set[str], tuple[str, ...]]:
    name = f"wordlist_{language}"
    if name not in LIST_NAMES:
        return set(), ()
    entries = [line.lower() for _, line in _entries_with_lines(read_list(name))]
    exact = {entry for entry in entries if not entry.endswith("*")}
    prefixes = tuple(entry[:-1] for entry in entries if entry.endswith("*"))
    return exact, prefixes


def _language_of(code: str | None) -> str:
    return (code or "fi").split("_", 1)[0].lower()


def screen(text: str, language: str | None, author) -> str | None:
    """The reason code if the text needs a moderator's look, else None."""
    text = text or ""
    exact, prefixes = _words(_language_of(language))
    for word in WORD.findall(text.lower()):
        if word in exact or (prefixes and word.startswith(prefixes)):
            return "word_filter"
    for _, pattern in _entries_with_lines(read_list("spam_patterns")):
        try:
            if re.search(pattern, text, re.IGNORECASE):
                return "spam_pattern"
        except re.error:
            continue
    if REPEATED_CHARACTER.search(text) or REPEATED_WORD.search(text):
        return "spam_pattern"
    created = getattr(author, "created_at", None)
    if LINK.search(text) and created is not None and utcnow() - created < NEW_ACCOUNT_AGE:
        return "new_account_link"
    return None
