"""Published results: selected proposals, the rule in words, receipts and anonymous ballots."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user

from ...core.formats import format_money, format_number, format_percent
from ...core.pagination import parse_page
from ...core.permissions import public
from ...templating import isolate_bidi
from ..results import exports
from ..results.charts import budget_charts
from ..results.comparison import GREEDY, compare_with_greedy
from ..results.explain import explain
from ..results.groups import round_groups
from ..results.picks import picks_for_receipt
from ..results.publication import ballots_published, minimum_ballots
from ..results.rulebook import ROUND_RULES, rule_explanation
from ..results.tally import rule_label, stored_result
from ..rounds.permissions import allowed_in_round
from ..voting import published
from ..voting.ballots import ballot_proposals
from ..voting.casting import normalise_receipt
from .blueprint import bp, budget_or_404, is_staff, round_or_404

BALLOTS_PER_PAGE = 50
RECEIPTS_PER_PAGE = 200


@bp.app_template_filter("pb_percent")
def _percent_filter(share) -> str:
    return isolate_bidi(format_percent(share))


@bp.app_template_filter("pb_rate")
def _rate_filter(value) -> str:
    return format_number(float(value), decimals=1)


@bp.app_template_filter("euros_cents")
def _euros_cents_filter(value) -> str:
    return isolate_bidi(format_money(value))


def _published_round(round_id: int):
    budget_round = round_or_404(round_id)
    if budget_round.results_published_at is None or not (
            allowed_in_round(current_user, "view_results", budget_round) or is_staff()):
        abort(404)
    return budget_round


def _rows(budget_round, budget, result):
    rows = []
    for proposal in ballot_proposals(budget):
        if proposal.moderation_state == "hidden":
            continue  # counted in the tally, never shown (see budgeting/rounds/moderation_hooks.py)
        facts = result.details.get(str(proposal.id), {}) if result else {}
        rows.append({"proposal": proposal, "facts": facts,
                     "selected": result is not None and proposal.id in result.selected,
                     "why": explain(facts, proposal.cost, budget_round)})
    rows.sort(key=lambda row: (not row["selected"], -(row["facts"].get("votes") or 0),
                               row["proposal"].id))
    return rows


def _receipt_check(budget_round):
    code = normalise_receipt(request.args.get("receipt", ""))
    if not code:
        return None
    counted = published.receipt_counted(budget_round, code)
    return {"code": code, "counted": counted,
            "picks": picks_for_receipt(budget_round, code) if counted else None}


@bp.route("/<int:round_id>/results")
@public
def results(round_id: int):
    budget_round = _published_round(round_id)
    summaries = []
    for budget in budget_round.budgets:
        result = stored_result(budget)
        rows = _rows(budget_round, budget, result)
        summaries.append({"budget": budget, "result": result, "empty": not rows,
                          "selected": [row for row in rows if row["selected"]],
                          "ballots_published": ballots_published(result)})
    return render_template(
        "budgeting/results.html", budget_round=budget_round, summaries=summaries,
        rule_text=rule_explanation(budget_round), rule_name=rule_label(budget_round.rule),
        receipt_check=_receipt_check(budget_round), minimum_ballots=minimum_ballots(),
        comparisons=compare_with_greedy(budget_round), greedy_name=rule_label(GREEDY),
        groups=round_groups(budget_round))


@bp.route("/<int:round_id>/results/<int:budget_id>")
@public
def budget_results(round_id: int, budget_id: int):
    budget_round = _published_round(round_id)
    budget = budget_or_404(budget_round, budget_id)
    result = stored_result(budget)
    rule = ROUND_RULES.get(budget_round.rule)
    share = None
    if rule is not None and rule.proportional and result is not None and result.ballots:
        share = format_money(round(budget.amount / result.ballots, 2))
    rows = _rows(budget_round, budget, result)
    return render_template(
        "budgeting/budget_results.html", budget_round=budget_round, budget=budget,
        result=result, rows=rows, charts=budget_charts(budget.amount, rows) if rows else None,
        rule_text=rule_explanation(budget_round), rule_name=rule_label(budget_round.rule),
        share=share, groups=round_groups(budget_round))


@bp.route("/<int:round_id>/results/receipts")
@public
def receipts(round_id: int):
    budget_round = _published_round(round_id)
    page = published.receipts_page(budget_round, parse_page(request.args.get("page")),
                                   RECEIPTS_PER_PAGE)
    return render_template("budgeting/receipts.html", budget_round=budget_round, page=page,
                           receipt_check=_receipt_check(budget_round))


@bp.route("/<int:round_id>/results/receipts.txt")
@public
def receipts_text(round_id: int):
    budget_round = _published_round(round_id)
    codes = published.all_receipts(budget_round)
    return Response("\n".join(codes) + "\n", mimetype="text/plain",
                    headers={"Content-Disposition":
                             f'attachment; filename="receipts-round-{round_id}.txt"'})


@bp.route("/<int:round_id>/results/<int:budget_id>/ballots")
@public
def ballots(round_id: int, budget_id: int):
    budget_round = _published_round(round_id)
    budget = budget_or_404(budget_round, budget_id)
    if not ballots_published(stored_result(budget)):
        return render_template("budgeting/ballots.html", budget_round=budget_round,
                               budget=budget, withheld=True, minimum_ballots=minimum_ballots())
    page, choices = published.anonymous_ballots_page(
        budget, parse_page(request.args.get("page")), BALLOTS_PER_PAGE)
    titles = {p.id: p.title for p in ballot_proposals(budget)}
    first_number = (page.page - 1) * page.per_page + 1
    return render_template("budgeting/ballots.html", budget_round=budget_round, budget=budget,
                           page=page, choices=choices, titles=titles,
                           first_number=first_number, withheld=False)


@bp.route("/<int:round_id>/results.csv")
@public
def results_csv(round_id: int):
    budget_round = _published_round(round_id)
    return Response(exports.results_csv(budget_round), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="results-round-{round_id}.csv"'})


@bp.route("/<int:round_id>/results-by-group.csv")
@public
def groups_csv(round_id: int):
    budget_round = _published_round(round_id)
    return Response(exports.groups_csv(budget_round), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="results-by-group-round-{round_id}.csv"'})


@bp.route("/<int:round_id>/results/<int:budget_id>.pb")
@public
def ballots_pb(round_id: int, budget_id: int):
    budget_round = _published_round(round_id)
    budget = budget_or_404(budget_round, budget_id)
    if not ballots_published(stored_result(budget)):
        abort(404)  # too few ballots: publishing them could show how someone voted
    return Response(exports.export_pb(budget_round, budget), mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="espoo-round-'
                             f'{round_id}-budget-{budget_id}.pb"'})
