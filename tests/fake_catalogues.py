"""Tiny and pseudo catalogues in a temporary translations folder, so the language machinery is
tested without the translators' files: "[ru] Front page" is the fake Russian of "Front page"."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from participation.catalogues import MANIFEST_NAME, compile_catalogues, load_manifest
from participation.translate import TRANSLATIONS


def write_catalogue(directory: Path, locale: str, strings: dict, domain: str = "messages"):
    """strings: msgid -> msgstr, or (msgid, plural) -> tuple of forms ('' leaves one empty)."""
    catalogue = Catalog(locale=locale, domain=domain)
    for msgid, msgstr in strings.items():
        catalogue.add(msgid, msgstr)
    folder = directory / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{domain}.po", "wb") as handle:
        write_po(handle, catalogue)
    return folder / f"{domain}.po"


def pseudo_strings(manifest: dict, tag: str, forms: int, skip=lambda groups: False) -> dict:
    """Every message of the manifest as "[tag] message", except those `skip(groups)` drops."""
    strings = {}
    for msgid, plural, groups in manifest["messages"]:
        if skip(set(groups)):
            continue
        if plural:
            strings[(msgid, plural)] = tuple(f"[{tag}] {plural if i else msgid}"
                                             for i in range(forms))
        else:
            strings[msgid] = f"[{tag}] {msgid}"
    return strings


def translations_with(tmp_path: Path, base=("fi", "sv", "en")) -> Path:
    """A translations folder holding copies of the project's own fi, sv and en catalogues
    (ours, not the translators') and the page-group manifest; add fakes with write_catalogue,
    then call compile_here."""
    directory = tmp_path / "translations"
    directory.mkdir()
    for code in base:
        folder = directory / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        shutil.copy(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", folder)
    manifest_path = TRANSLATIONS / MANIFEST_NAME
    if not manifest_path.exists():
        load_manifest(TRANSLATIONS)
        from participation.catalogues import write_manifest

        write_manifest(TRANSLATIONS)
    shutil.copy(manifest_path, directory / MANIFEST_NAME)
    return directory


def compile_here(directory: Path) -> None:
    compile_catalogues(directory, echo=lambda _line: None, page_groups=False)


def only_in(*groups: str):
    """skip= for pseudo_strings: drop the messages shown only by pages of these groups."""
    wanted = set(groups)
    return lambda found: found <= wanted
