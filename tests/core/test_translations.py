"""The Finnish, Swedish and English catalogues are complete: no empty or fuzzy message and no
message in any file under participation/ or templates/ (found by walking them, not through
babel.cfg) that they lack. Every catalogue (other languages and the plain Finnish domain too)
has the same placeholders as the source. Other languages may be partial: a page group is then
not offered in them (tests/core/test_languages_shipped.py, test_offering.py)."""

from __future__ import annotations

import gettext
import re

import pytest
from babel.messages.pofile import read_po

from participation.translate import TRANSLATIONS, extract_to
from tests.i18n_helpers import source_messages

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
BASE = ("fi", "sv", "en")
CATALOGUES = [TRANSLATIONS / code / "LC_MESSAGES" / "messages.po" for code in BASE]
EVERY_CATALOGUE = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))


def _read(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def _ids(message):
    return message.id if isinstance(message.id, tuple | list) else (message.id,)


def _singular(message_id):
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _strings(message):
    return message.string if isinstance(message.string, tuple | list) else (message.string,)


def test_finnish_swedish_and_english_catalogues_exist():
    assert all(path.exists() for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_catalogue_is_complete_and_not_fuzzy(path):
    catalogue = _read(path)
    untranslated = [m.id for m in catalogue if m.id and not all(_strings(m))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {path}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {path}"


@pytest.mark.parametrize("path", EVERY_CATALOGUE,
                         ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_placeholders_match_the_source(path):
    catalogue = _read(path)
    exact = _forms_for_one_number(catalogue)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        expected = sorted(PLACEHOLDER.findall(_ids(message)[-1]))
        for form, string in enumerate(_strings(message)):
            found = sorted(PLACEHOLDER.findall(string))
            if (isinstance(message.id, tuple) and form in exact and "num" in expected
                    and "num" not in found):
                # Arabic says "one comment" and "two comments" in words: that form is only
                # ever chosen for exactly one number, so leaving the number out loses nothing.
                found = sorted([*found, "num"])
            if string and found != expected:
                problems.append((_ids(message)[0], string))
    assert problems == []


def _forms_for_one_number(catalogue) -> set[int]:
    """Plural forms the catalogue's rule chooses for a single n only (Arabic's 1 and 2)."""
    rule = gettext.c2py(catalogue.plural_expr)
    chosen: dict[int, set[int]] = {}
    for n in range(0, 10_000):
        chosen.setdefault(rule(n), set()).add(n)
    return {form for form, numbers in chosen.items() if len(numbers) == 1}


def test_every_message_in_every_file_is_in_every_catalogue():
    """Independent of babel.cfg: a folder the extraction skips (templates/_macros) still counts."""
    source = {_singular(message): files for message, files in source_messages().items()}
    assert len(source) > 900
    assert "Please check the form" in source  # from templates/_macros/forms.html
    for path in CATALOGUES:
        catalogue = _read(path)
        missing = sorted(
            f"{sorted(source[message_id])[0]}: {message_id}" for message_id in source
            if catalogue.get(message_id) is None or not all(_strings(catalogue[message_id]))
        )
        assert missing == [], f"{path.parent.parent.name} lacks {len(missing)}: {missing[:8]}"


def test_extraction_covers_every_file(tmp_path):
    """`participation translate extract` finds what the walk over every file finds."""
    extract_to(tmp_path / "messages.pot")
    pot = {_ids(m)[0] for m in _read(tmp_path / "messages.pot") if m.id}
    missing = sorted({_singular(message) for message in source_messages()} - pot)
    assert missing == [], f"extraction misses {len(missing)}: {missing[:8]}"


def test_compiled_catalogues_are_fresh():
    """make run / make test compile them; a stale .mo would show old text."""
    for path in EVERY_CATALOGUE:
        compiled = path.with_suffix(".mo")
        assert compiled.exists(), f"{compiled} missing: run `participation translate compile`"
        assert compiled.stat().st_mtime >= path.stat().st_mtime - 1
