"""`participation pb tally FILE --rule RULE [--json]`: tally a Pabulib file.

Plain click, no Flask app needed. With --json it prints exactly
{"rule": RULE, "selected": [ids as strings, sorted()], "total_cost": N}, where N is an int when
the total is whole and otherwise an exact decimal string such as "1234.5".
"""

from __future__ import annotations

import json
from fractions import Fraction

import click

from .results.pabulib import PabulibError, parse_pb
from .results.rules import RULES, RuleNotApplicable, UnknownRule, tally
from .results.rules.model import (
    BELOW_THRESHOLD,
    DID_NOT_FIT,
    NO_SUPPORTERS,
    NOT_AFFORDABLE,
    STOPPED_NO_SKIP,
    Outcome,
    ProjectExplanation,
    format_amount,
    natural_key,
)


def _check_rule(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if value not in RULES:
        raise click.BadParameter(f"unknown rule {value!r}; choose one of: {', '.join(RULES)}")
    return value


@click.command("tally")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option(
    "--rule",
    "rule_key",
    required=True,
    callback=_check_rule,
    help="Rule key, e.g. greedy_cost, mes_cost_add1_until_over_budget or official.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse a file whose votes name a project more than once (by default such a vote "
    "counts the project once, as pabutools does, with a warning naming the line).",
)
def tally_command(file: str, rule_key: str, as_json: bool, strict: bool) -> None:
    """Tally the participatory-budgeting vote in a Pabulib FILE with one rule."""
    warnings: list[str] = []
    try:
        election = parse_pb(file, strict=strict, warnings=warnings)
    except PabulibError as error:
        raise click.ClickException(f"{click.format_filename(file)}: {error}") from None
    _warn(click.format_filename(file), warnings)
    try:
        outcome = tally(election, rule_key)
    except (RuleNotApplicable, UnknownRule) as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(outcome.as_json()))
    else:
        click.echo(render_table(outcome))


SHOWN_WARNINGS = 20


def _warn(name: str, warnings: list[str]) -> None:
    """Warnings go to stderr, so --json output stays one object on stdout."""
    for warning in warnings[:SHOWN_WARNINGS]:
        click.echo(f"Warning: {name}: {warning}", err=True)
    if len(warnings) > SHOWN_WARNINGS:
        more = len(warnings) - SHOWN_WARNINGS
        click.echo(f"Warning: {name}: {more} more votes name a project more than once "
                   "(--strict refuses such files)", err=True)


def _money(value: Fraction | None) -> str:
    if value is None:
        return ""
    shown = format_amount(value)
    if isinstance(shown, int):
        return f"{shown:,}"
    if "/" in shown:
        return f"{float(value):,.2f}"
    return shown


def _detail(facts: ProjectExplanation) -> str:
    """One readable note per project (the web page builds translated sentences instead)."""
    if facts.round is not None:
        price = facts.price_per_supporter
        paid = f", each supporter paid up to {float(price):,.2f}" if price is not None else ""
        return f"bought in MES round {facts.round}{paid}"
    if facts.status == NOT_AFFORDABLE:
        return f"supporters had only {_money(facts.supporters_money_left)} left"
    if facts.status == NO_SUPPORTERS:
        return "no supporters"
    notes = {
        DID_NOT_FIT: f"did not fit ({_money(facts.remaining_budget)} left)",
        BELOW_THRESHOLD: "below the vote threshold",
        STOPPED_NO_SKIP: "not reached: counting stopped at a project that did not fit",
    }
    picked = f"picked in score order (rank {facts.rank})" if facts.rank is not None else ""
    return notes.get(facts.status, picked)


def render_table(outcome: Outcome) -> str:
    """A plain-text table: funded projects first (in selection order), then the rest."""
    order = {pid: i for i, pid in enumerate(outcome.selection_order)}
    rows = sorted(
        outcome.explanations.values(),
        key=lambda f: (not f.selected, order.get(f.project_id, 0), natural_key(f.project_id)),
    )
    header = ("project", "cost", "funded", "supporters", "note")
    body = [
        (f.project_id, _money(f.cost), "yes" if f.selected else "no", str(f.supporters), _detail(f))
        for f in rows
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(4)]
    lines = [
        f"Rule {outcome.rule}: {len(outcome.selected)} of {len(rows)} projects funded, "
        f"{_money(outcome.total_cost)} of {_money(outcome.budget)} spent"
    ]
    for row in [header, *body]:
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1])]
        cells += [row[2].ljust(widths[2]), row[3].rjust(widths[3]), row[4]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
