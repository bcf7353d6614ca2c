"""Catalogues and page groups: which messages each page group shows (the manifest), which
groups each language translates completely (the offering), and compiling the catalogues.

The manifest (translations/pagegroups.json, written by `participation translate compile`, not
kept in git) maps every message to the page groups that show it: the group of each file the
message is in, and the group of every template that includes, imports or extends that file.
The app reads it and the compiled catalogues once at start (`offering`); a request only looks
the answer up. Without a manifest the app extracts one itself (a few seconds, once).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, meta
from jinja2.exceptions import TemplateSyntaxError

from .config import ROOT
from .pagegroups import GROUPS, group_of, reach, source_files

log = logging.getLogger(__name__)
MANIFEST_NAME = "pagegroups.json"
KEYWORDS = ["_", "_l", "gettext", "lazy_gettext", "ngettext:1,2", "lazy_ngettext:1,2",
            "pgettext:1c,2"]
METHODS = {".py": "python", ".html": "jinja2", ".txt": "jinja2"}
_manifests: dict[str, dict] = {}


# --- The manifest: message -> page groups -------------------------------------------------

def babel_keywords() -> dict:
    """KEYWORDS ("ngettext:1,2", "pgettext:1c,2") in the form Babel's extract takes."""
    keywords = {}
    for spec in KEYWORDS:
        name, _, args = spec.partition(":")
        positions = []
        for arg in filter(None, args.split(",")):
            positions.append((int(arg[:-1]), "c") if arg.endswith("c") else int(arg))
        keywords[name] = tuple(positions) or None
    return keywords


def message_key(message, context: str | None = None) -> tuple[str, str | None] | None:
    """(msgid, plural msgid or None); a context is joined to the msgid as gettext stores it."""
    if isinstance(message, tuple | list):
        parts = [part for part in message if part]
        if not parts:
            return None
        singular, plural = parts[0], (parts[1] if len(parts) > 1 else None)
    else:
        singular, plural = message, None
    if not singular:
        return None
    return (f"{context}\x04{singular}" if context else singular), plural


def file_messages(root: Path, path: str) -> set[tuple[str, str | None]]:
    method = METHODS.get(os.path.splitext(path)[1])
    found = set()
    with open(root / path, "rb") as handle:
        for _line, message, _comments, context in extract(
                method, handle, keywords=babel_keywords(), comment_tags=()):
            key = message_key(message, context)
            if key:
                found.add(key)
    return found


def _template_references(root: Path, templates: list[str]) -> dict[str, set[str]]:
    """Template name -> the template names it includes, imports or extends (statically)."""
    environment = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.loopcontrols",
                                          "jinja2.ext.do"])
    references = {}
    for path in templates:
        name = path.removeprefix("templates/")
        try:
            tree = environment.parse((root / path).read_text(encoding="utf-8"))
        except TemplateSyntaxError:
            references[name] = set()
            continue
        references[name] = {ref for ref in meta.find_referenced_templates(tree) if ref}
    return references


def build_manifest(root: Path = ROOT) -> dict:
    """Extract every message with its files' page groups (see the module's docstring)."""
    files = source_files(root)
    messages = {path: file_messages(root, path) for path in files}
    templates = [path for path in files if path.startswith("templates/")]
    references = _template_references(root, templates)
    groups: dict[tuple[str, str | None], set[str]] = {}
    for path in files:
        group = group_of(path) or "common"
        reached, todo = {path}, [path]
        while todo:  # the template and everything it pulls in
            current = todo.pop()
            for name in references.get(current.removeprefix("templates/"), ()):
                target = f"templates/{name}"
                if target in messages and target not in reached:
                    reached.add(target)
                    todo.append(target)
        for source in reached:
            for key in messages[source]:
                groups.setdefault(key, set()).add(group)
    return {"format": 1, "messages": sorted(
        [msgid, plural, sorted(found)] for (msgid, plural), found in groups.items())}


def write_manifest(directory: Path, root: Path = ROOT) -> Path:
    manifest = build_manifest(root)
    path = directory / MANIFEST_NAME
    lines = [json.dumps(entry, ensure_ascii=False) for entry in manifest["messages"]]
    path.write_text('{"format": 1, "messages": [\n' + ",\n".join(lines) + "\n]}\n",
                    encoding="utf-8")
    _manifests.pop(str(path), None)
    return path


def load_manifest(directory: Path) -> dict:
    """The compiled manifest, or (none written yet) a fresh extraction, once per process."""
    path = directory / MANIFEST_NAME
    key = str(path)
    if key not in _manifests:
        if path.exists():
            _manifests[key] = json.loads(path.read_text(encoding="utf-8"))
        else:
            log.warning("%s missing: extracting page groups now (run `participation "
                        "translate compile`)", path)
            _manifests[key] = build_manifest()
    return _manifests[key]


def messages_by_group(manifest: dict) -> dict[str, dict[str, str | None]]:
    """Group -> {msgid: plural} of every message a page of that group can show (its reach)."""
    own: dict[str, dict[str, str | None]] = {key: {} for key in GROUPS}
    for msgid, plural, groups in manifest["messages"]:
        for group in groups:
            own.setdefault(group, {})[msgid] = plural
    result = {}
    for group in GROUPS:
        combined: dict[str, str | None] = {}
        for reached in reach(group):
            combined.update(own.get(reached, {}))
        result[group] = combined
    return result


# --- What a language translates -----------------------------------------------------------

def _nplurals(header: str | None) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header or "")
    return int(match.group(1)) if match else 2


def mo_translated(path: Path) -> set[str]:
    """Msgids a compiled catalogue translates (a plural: every form)."""
    if not path.exists():
        return set()
    with open(path, "rb") as handle:
        translations = Translations(handle)
    forms = _nplurals(translations.info().get("plural-forms"))
    singular, plural = set(), {}
    for key, value in translations._catalog.items():
        if isinstance(key, tuple):
            if value:
                plural.setdefault(key[0], set()).add(key[1])
        elif key and value:
            singular.add(key)
    return singular | {msgid for msgid, found in plural.items() if len(found) >= forms}


def po_translated(path: Path) -> set[str]:
    """Msgids a catalogue's .po translates (not fuzzy; a plural: every form)."""
    if not path.exists():
        return set()
    with open(path, "rb") as handle:
        catalogue = read_po(handle)
    done = set()
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple | list) \
            else (message.string,)
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if message.context:
            msgid = f"{message.context}\x04{msgid}"
        if strings and all(strings):
            done.add(msgid)
    return done


def catalogue_paths(directory: Path, language, suffix: str) -> list[Path]:
    """The files a language reads, its own domain first (a variant: then the base)."""
    folder = directory / language.locale / "LC_MESSAGES"
    paths = [folder / f"{language.domain}{suffix}"]
    if language.domain != "messages":
        paths.append(folder / f"messages{suffix}")
    return paths


def translated_keys(directory: Path, language, source: str = "mo") -> set[str]:
    read = mo_translated if source == "mo" else po_translated
    done: set[str] = set()
    for path in catalogue_paths(directory, language, "." + source):
        done |= read(path)
    return done


def completeness(directory: Path, language, manifest: dict | None = None,
                 source: str = "mo") -> dict[str, tuple[int, int, list[str]]]:
    """Group -> (translated, total, missing msgids) for one language."""
    manifest = manifest or load_manifest(directory)
    done = translated_keys(directory, language, source)
    result = {}
    for group, messages in messages_by_group(manifest).items():
        missing = sorted(msgid for msgid in messages if msgid not in done)
        result[group] = (len(messages) - len(missing), len(messages), missing)
    return result


def offering(directory: Path, languages: Iterable,
             manifest: dict | None = None) -> dict[str, frozenset[str]]:
    """Interface code -> the page groups the language translates completely."""
    manifest = manifest or load_manifest(directory)
    result = {}
    for language in languages:
        table = completeness(directory, language, manifest)
        result[language.interface] = frozenset(
            group for group, (_done, _total, missing) in table.items() if not missing)
    return result


# --- Compiling ----------------------------------------------------------------------------

def compile_catalogues(directory: Path, echo: Callable[[str], None] = print,
                       page_groups: bool = True) -> list[Path]:
    """Every translations/<lang>/LC_MESSAGES/<domain>.po to its .mo, leaving out fuzzy and
    untranslated messages (a plural with an empty form too: gettext would show it empty and
    not fall back), then the page-group manifest."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        with open(po_path, "rb") as handle:
            catalogue = read_po(handle, locale=po_path.parent.parent.name,
                                domain=po_path.stem)
        for message in list(catalogue):
            if message.id and isinstance(message.string, tuple | list) \
                    and not all(message.string):
                catalogue.delete(message.id, context=message.context)
        mo_path = po_path.with_suffix(".mo")
        with open(mo_path, "wb") as handle:
            write_mo(handle, catalogue)
        written.append(mo_path)
        echo(f"compiled {mo_path.relative_to(directory)}")
    if page_groups:
        write_manifest(directory)
    return written
