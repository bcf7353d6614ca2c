"""The README tells the truth about today's tree: the commands it lists exist, the packages it
names exist, and it claims no feature that is not built (youth hearings, indicators) except to
say it is not built yet. Branches that add a feature add its package and their README section."""

from __future__ import annotations

import re

from participation.config import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
NOT_YET = "not built yet"


def _sentences_about(word: str) -> list[str]:
    text = re.sub(r"\s+", " ", README)
    return [s for s in re.split(r"(?<=[.!?])\s+|\|", text) if word in s.lower()]


def _has_cli_group(app, name: str) -> bool:
    return name in app.cli.list_commands(None)


def test_features_the_readme_claims_exist(app):
    built = {
        "hearing": (ROOT / "participation" / "hearings").is_dir(),
        "indicator": any(rule.rule.startswith("/indicators") for rule in app.url_map.iter_rules())
        or _has_cli_group(app, "indicators"),
    }
    claims = [sentence for word, exists in built.items() if not exists
              for sentence in _sentences_about(word) if NOT_YET not in sentence]
    assert claims == []


def test_every_command_in_the_readme_exists(app):
    block = README.split("## Command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].split() for line in block.splitlines()
                if line.startswith("participation ")]
    assert len(commands) > 10
    runner = app.test_cli_runner()
    for words in commands:
        path = [word for word in words[1:3] if re.fullmatch(r"[a-z][a-z-]*", word)]
        if "|" in words[2]:  # translate extract|update|compile
            path = [words[1], words[2].split("|")[0]]
        result = runner.invoke(args=[*path, "--help"])
        assert result.exit_code == 0, f"README lists `participation {' '.join(path)}`"


def test_every_package_in_the_layout_exists():
    layout = README.split("## Layout", 1)[1].split("##", 1)[0]
    named = re.findall(r"`(\w+)`", layout.split("one package per domain", 1)[1].split(")")[0])
    assert named
    missing = [name for name in named if not (ROOT / "participation" / name).is_dir()]
    assert missing == []
