"""Completeness per language and page group from tiny catalogues in tmp_path (a planted gap
makes a group incomplete), and the `participation translate report|init|compile` commands."""

from __future__ import annotations

import json

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from participation import translate
from participation.catalogues import (
    MANIFEST_NAME,
    compile_catalogues,
    completeness,
    load_manifest,
    offering,
)
from participation.i18n import describe
from participation.pagegroups import GROUPS
from tests.fake_catalogues import compile_here, write_catalogue

MANIFEST = {"format": 1, "messages": [
    ["Hello", None, ["common"]],
    ["Vote", None, ["budgeting"]],
    ["%(num)d idea", "%(num)d ideas", ["ideas"]],
    ["Manage rounds", None, ["budgeting_manage"]],
]}
RUSSIAN = {
    "Hello": "Привет",
    "Vote": "Голосовать",
    ("%(num)d idea", "%(num)d ideas"): ("%(num)d идея", "%(num)d идеи", "%(num)d идей"),
    "Manage rounds": "Управлять",
}


@pytest.fixture
def tiny(tmp_path):
    directory = tmp_path / "translations"
    directory.mkdir()
    (directory / MANIFEST_NAME).write_text(json.dumps(MANIFEST), encoding="utf-8")
    return directory


def _offered(directory, code="ru"):
    compile_here(directory)
    manifest = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    return offering(directory, [describe(code)], manifest)[code]


def test_a_complete_catalogue_is_offered_in_every_group(tiny):
    write_catalogue(tiny, "ru", RUSSIAN)
    assert _offered(tiny) == frozenset(GROUPS)


def test_a_planted_gap_makes_its_group_and_those_extending_it_incomplete(tiny):
    write_catalogue(tiny, "ru", {**RUSSIAN, "Vote": ""})
    offered = _offered(tiny)
    assert "budgeting" not in offered
    assert "email" not in offered  # emails quote the budgeting pages' texts
    assert {"common", "ideas", "budgeting_manage", "statements"} <= offered
    table = completeness(tiny, describe("ru"), MANIFEST, source="po")
    assert table["budgeting"] == (1, 2, ["Vote"])  # Vote and Hello (common) reach it


def test_a_gap_in_common_takes_the_language_off_every_page(tiny):
    write_catalogue(tiny, "ru", {key: value for key, value in RUSSIAN.items() if key != "Hello"})
    assert _offered(tiny) == frozenset()


def test_a_plural_with_an_empty_form_is_a_gap(tiny):
    idea = ("%(num)d idea", "%(num)d ideas")
    write_catalogue(tiny, "ru", {**RUSSIAN, idea: ("%(num)d идея", "", "%(num)d идей")})
    offered = _offered(tiny)
    assert "ideas" not in offered and "budgeting" in offered


def test_a_fuzzy_message_is_a_gap(tiny):
    catalogue = Catalog(locale="ru")
    for msgid, msgstr in RUSSIAN.items():
        catalogue.add(msgid, msgstr, flags=("fuzzy",) if msgid == "Vote" else ())
    folder = tiny / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.po", "wb") as handle:
        write_po(handle, catalogue)
    assert "budgeting" not in _offered(tiny)
    assert completeness(tiny, describe("ru"), MANIFEST, source="po")["budgeting"][2] == ["Vote"]


def test_plain_finnish_counts_the_finnish_catalogue_behind_it(tiny):
    idea = ("%(num)d idea", "%(num)d ideas")
    write_catalogue(tiny, "fi", {"Hello": "Hei", "Vote": "Äänestä", "Manage rounds": "Hallitse",
                                 idea: ("%(num)d idea", "%(num)d ideaa")})
    write_catalogue(tiny, "fi", {"Vote": "Anna äänesi"}, domain="selko")
    assert _offered(tiny, "fi-x-selko") == frozenset(GROUPS)
    assert (tiny / "fi" / "LC_MESSAGES" / "selko.mo").exists()


@pytest.fixture
def cli(app, tiny, monkeypatch):
    monkeypatch.setattr(translate, "TRANSLATIONS", tiny)
    monkeypatch.setattr(translate, "build_manifest", lambda: MANIFEST)
    return app.test_cli_runner()


def test_report_shows_each_group_and_fails_on_a_resident_gap(cli, tiny):
    write_catalogue(tiny, "ru", RUSSIAN)
    result = cli.invoke(args=["translate", "report", "ru", "--require-resident"])
    assert result.exit_code == 0, result.output
    assert "ru          budgeting             2/2     100%" in result.output
    write_catalogue(tiny, "ru", {**RUSSIAN, "Vote": ""})
    result = cli.invoke(args=["translate", "report", "ru", "--require-resident", "--missing"])
    assert result.exit_code == 1
    assert "ru          budgeting             1/2      50%  resident    NOT OFFERED" \
        in result.output
    assert "missing: 'Vote'" in result.output
    assert "Resident page groups not complete: ru/budgeting, ru/email" in result.output


def test_a_staff_gap_does_not_fail_the_resident_check(cli, tiny):
    write_catalogue(tiny, "ru", {**RUSSIAN, "Manage rounds": ""})
    result = cli.invoke(args=["translate", "report", "ru", "--require-resident"])
    assert result.exit_code == 0
    assert "budgeting_manage      1/2      50%  staff/other NOT OFFERED" in result.output


def test_report_refuses_an_unknown_language(cli):
    result = cli.invoke(args=["translate", "report", "xx"])
    assert result.exit_code != 0 and "no catalogue for 'xx'" in result.output


def _tiny_pot(messages):
    def extract_to(output):
        catalogue = Catalog()
        for message in messages:
            catalogue.add(message)
        with open(output, "wb") as handle:
            write_po(handle, catalogue)
    return extract_to


def test_init_starts_a_language_and_a_rerun_appends_only_what_is_new(cli, tiny, monkeypatch):
    monkeypatch.setattr(translate, "extract_to", _tiny_pot(["Hello", "Vote"]))
    result = cli.invoke(args=["translate", "init", "et"])
    assert result.exit_code == 0, result.output
    po_path = tiny / "et" / "LC_MESSAGES" / "messages.po"
    text = po_path.read_text(encoding="utf-8")
    assert 'msgid "Hello"' in text and 'msgid "Vote"' in text
    translated = text.replace('msgid "Hello"\nmsgstr ""', 'msgid "Hello"\nmsgstr "Tere"')
    po_path.write_text(translated, encoding="utf-8")

    monkeypatch.setattr(translate, "extract_to",
                        _tiny_pot(["Hello", "Vote", "New \"quoted\" text"]))
    result = cli.invoke(args=["translate", "init", "et"])
    assert result.exit_code == 0 and "1 new messages appended" in result.output
    after = po_path.read_text(encoding="utf-8")
    assert after.startswith(translated.rstrip("\n"))  # nothing before is rewritten
    assert after.endswith('msgid "New \\"quoted\\" text"\nmsgstr ""\n')
    result = cli.invoke(args=["translate", "init", "et"])
    assert "0 new messages appended" in result.output
    assert po_path.read_text(encoding="utf-8") == after


def test_init_plain_finnish_creates_the_selko_domain(cli, tiny, monkeypatch):
    monkeypatch.setattr(translate, "extract_to", _tiny_pot(["Hello"]))
    result = cli.invoke(args=["translate", "init", "fi-x-selko"])
    assert result.exit_code == 0, result.output
    assert (tiny / "fi" / "LC_MESSAGES" / "selko.po").exists()
    assert not (tiny / "fi" / "LC_MESSAGES" / "messages.po").exists()


def test_compile_writes_every_domain_and_the_manifest(tmp_path, monkeypatch):
    import participation.catalogues as catalogues

    directory = tmp_path / "translations"
    write_catalogue(directory, "fi", {"Hello": "Hei"})
    write_catalogue(directory, "fi", {"Hello": "Moi"}, domain="selko")
    monkeypatch.setattr(catalogues, "build_manifest", lambda root=None: MANIFEST)
    written = compile_catalogues(directory, echo=lambda _line: None)
    assert {path.name for path in written} == {"messages.mo", "selko.mo"}
    assert load_manifest(directory)["messages"] == MANIFEST["messages"]
