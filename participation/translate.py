"""`participation translate extract|update|compile|init|report`: the gettext catalogue workflow.

The catalogues are merged with git's union driver, so entries are only ever appended: `init`
on a language that has a catalogue appends the messages it lacks at the end and touches nothing
else. `report` says how complete each language is per page group (participation/pagegroups.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask.cli import AppGroup

from .catalogues import KEYWORDS, build_manifest, compile_catalogues, completeness
from .config import ROOT
from .pagegroups import GROUPS, RESIDENT_GROUPS

TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
BABEL_CFG = TRANSLATIONS / "babel.cfg"

translate_group = AppGroup("translate", help="Extract, update, compile and report translations.")


def _pybabel(*args: str) -> None:
    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    except SystemExit as exit_:
        if exit_.code:
            raise click.ClickException(f"pybabel {args[0]} failed (exit {exit_.code})") from None


def extract_to(output) -> None:
    keywords = [item for keyword in KEYWORDS for item in ("-k", keyword)]
    # Babel skips folders starting with "_" or "." unless told otherwise: templates/_macros
    # holds messages too, so only hidden folders and bytecode caches are left out.
    _pybabel("extract", "-F", str(BABEL_CFG), "--no-location", "--sort-output",
             "--ignore-dirs", ".* __pycache__",
             "--project", "Osallistu Espoo", "--copyright-holder", "City of Espoo",
             *keywords, "-o", str(output), str(ROOT / "participation"), str(ROOT / "templates"))


@translate_group.command("extract")
def extract() -> None:
    """Collect every translatable string into translations/messages.pot."""
    extract_to(POT)
    click.echo(f"Wrote {POT.relative_to(ROOT)}")


@translate_group.command("update")
def update() -> None:
    """Extract, then merge new strings into every catalogue (no fuzzy guesses)."""
    extract_to(POT)
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
             "--ignore-obsolete")
    click.echo("Catalogues updated; translate the empty messages, then run compile.")


@translate_group.command("compile")
def compile_() -> None:
    """Compile every catalogue (the plain Finnish `selko` domain too) to the .mo files the site
    reads, and write the page-group manifest (translations/pagegroups.json)."""
    compile_catalogues(TRANSLATIONS, echo=lambda _line: None)
    click.echo("Translations compiled.")


def _po_entry(message) -> str:
    def quoted(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'

    lines = []
    if message.context:
        lines.append(f"msgctxt {quoted(message.context)}")
    if isinstance(message.id, tuple | list):
        lines += [f"msgid {quoted(message.id[0])}", f"msgid_plural {quoted(message.id[1])}",
                  'msgstr[0] ""', 'msgstr[1] ""']
    else:
        lines += [f"msgid {quoted(message.id)}", 'msgstr ""']
    return "\n".join(lines) + "\n"


def append_missing(po_path: Path, pot_path: Path) -> int:
    """Append the template's messages `po_path` lacks, at its end (union-merge safe)."""
    with open(po_path, "rb") as handle:
        existing = read_po(handle)
    with open(pot_path, "rb") as handle:
        template = read_po(handle)
    missing = [message for message in template
               if message.id and existing.get(message.id, context=message.context) is None]
    if missing:
        text = po_path.read_text(encoding="utf-8")
        entries = "\n".join(_po_entry(message) for message in missing)
        po_path.write_text(text.rstrip("\n") + "\n\n" + entries, encoding="utf-8")
    return len(missing)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


@translate_group.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalogue for a new LANGUAGE (e.g. ru, et, ar, so, or fi-x-selko for plain
    Finnish). Run again later: the messages added since are appended to its end."""
    from .i18n import VARIANTS

    folder, domain = VARIANTS.get(language, (language, "messages"))
    po_path = TRANSLATIONS / folder / "LC_MESSAGES" / f"{domain}.po"
    with tempfile.TemporaryDirectory() as scratch:
        pot = Path(scratch) / "messages.pot"
        extract_to(pot)
        if po_path.exists():
            added = append_missing(po_path, pot)
            click.echo(f"{_shown(po_path)}: {added} new messages appended; "
                       "translate them, then run compile.")
            return
        _pybabel("init", "-i", str(pot), "-d", str(TRANSLATIONS), "-l", folder, "-D", domain)
    click.echo(f"Created {_shown(po_path)}; translate it, then run compile.")


def report_rows(directory: Path, languages, manifest: dict) -> list[tuple]:
    """(language, group, translated, total, missing) for each language and page group."""
    rows = []
    for language in languages:
        table = completeness(directory, language, manifest, source="po")
        for group in GROUPS:
            done, total, missing = table[group]
            rows.append((language, group, done, total, missing))
    return rows


@translate_group.command("report")
@click.argument("language", required=False)
@click.option("--require-resident", is_flag=True,
              help="Exit with status 1 when a resident page group of a language is incomplete.")
@click.option("--missing", "show_missing", is_flag=True, help="List the untranslated messages.")
def report(language: str | None, require_resident: bool, show_missing: bool) -> None:
    """Completeness of each language (or LANGUAGE) per page group, from the .po files."""
    from .i18n import _catalogue_codes, describe

    codes = _catalogue_codes(TRANSLATIONS)
    if language:
        if language not in codes:
            raise click.ClickException(f"no catalogue for {language!r} (have: {', '.join(codes)})")
        codes = [language]
    languages = [describe(code) for code in codes]
    rows = report_rows(TRANSLATIONS, languages, build_manifest())
    incomplete = []
    for current, group, done, total, missing in rows:
        share = 100 * done // total if total else 100
        mark = "resident" if GROUPS[group].resident else "staff/other"
        state = "complete" if not missing else "NOT OFFERED"
        click.echo(f"{current.interface:11} {group:17} {done:5}/{total:<5} {share:3}%  "
                   f"{mark:11} {state}")
        if show_missing:
            for msgid in missing:
                click.echo(f"    missing: {msgid[:100]!r}")
        if missing and group in RESIDENT_GROUPS:
            incomplete.append(f"{current.interface}/{group}")
    if incomplete:
        click.echo(f"Resident page groups not complete: {', '.join(incomplete)}")
        if require_resident:
            raise SystemExit(1)
