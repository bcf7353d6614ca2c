"""`participation translate extract|update|compile|init`: the gettext catalogue workflow."""

from __future__ import annotations

import click
from babel.messages.frontend import CommandLineInterface
from flask.cli import AppGroup

from .config import ROOT

TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
BABEL_CFG = TRANSLATIONS / "babel.cfg"
KEYWORDS = ["_", "_l", "gettext", "lazy_gettext", "ngettext:1,2", "lazy_ngettext:1,2",
            "pgettext:1c,2"]

translate_group = AppGroup("translate", help="Extract, update and compile translations.")


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
    """Compile the catalogues to .mo files the site reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS))
    click.echo("Translations compiled.")


@translate_group.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalogue for a new LANGUAGE (e.g. ru, et, ar, so)."""
    if (TRANSLATIONS / language).exists():
        raise click.ClickException(f"a catalogue for {language!r} exists already")
    extract_to(POT)
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language)
    click.echo(f"Created translations/{language}; translate it, then run compile.")
