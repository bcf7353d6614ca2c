"""The ballot: choose a budget, build the ballot as a draft, review, cast, receipt.

The draft lives in the voter's signed session cookie (`pb_drafts`, per budget), never in the
database (see ballots.py), and is dropped when the ballot is cast.

Everything works with plain form posts (no JavaScript needed); static/js/ballot.js only saves
page reloads.
"""

from __future__ import annotations

import random
import time

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError

from ...core import transactions
from ...core.exceptions import ServiceError
from ...core.parsing import parse_count, parse_id
from ...core.permissions import login_required
from ...extensions import limiter
from ..voting import ballots as ballot_service
from ..voting import casting as voting
from ..voting.eligibility import (
    budget_refusal,
    chosen_area_budget,
    eligibility_refusal,
    voter_roll_entry,
)
from .ballot_cards import ballot_body, ballot_cards, ballot_title
from .blueprint import bp, kept_round_and_budget_or_404, round_and_budget_or_404, round_or_404

CAST_ATTEMPTS = 8
RECEIPT_SESSION_KEY = "pb_receipt"


DRAFTS_SESSION_KEY = "pb_drafts"


def _draft(budget) -> dict[int, int] | None:
    """The session's draft for this budget (None: no draft), tolerant of a mangled cookie."""
    raw = (session.get(DRAFTS_SESSION_KEY) or {}).get(str(budget.id))
    if not isinstance(raw, dict):
        return None
    draft = {}
    for pid, points in raw.items():
        proposal_id, count = parse_id(str(pid)), parse_count(str(points), maximum=10_000)
        if proposal_id is not None and count:
            draft[proposal_id] = count
    return draft


def _keep_draft(budget_id: int, choices: dict[int, int] | None) -> None:
    drafts = dict(session.get(DRAFTS_SESSION_KEY) or {})
    if choices is None:
        drafts.pop(str(budget_id), None)
    else:
        drafts[str(budget_id)] = {str(pid): points for pid, points in sorted(choices.items())}
    session[DRAFTS_SESSION_KEY] = drafts


def _current_choices(budget_round, budget, entry) -> tuple[dict[int, int], bool]:
    """(choices to show, whether they are an unsaved change of a cast ballot or a draft).
    `entry`: the voter's roll entry; without an online one there is no envelope to open."""
    draft = _draft(budget)
    if draft is not None:
        return draft, True
    if entry is None or entry.channel != "web":
        return {}, False
    return voting.current_choices(budget, current_user), False


def _padded(html: str):
    """The page padded (an HTML comment before </body>) to a whole number of
    PB_PAGE_SIZE_BUCKET bytes, so the size an access log or an eavesdropper on TLS records
    does not tell which proposals someone chose (issue 10, finding 8). A page whose choices
    move it across a bucket boundary would still differ: the bucket (64 KiB) is far larger
    than the difference choices make. Compression at a proxy would undo this (the padding
    compresses away): see docs/threat-model.md."""
    body = html.encode()
    bucket = int(current_app.config.get("PB_PAGE_SIZE_BUCKET") or 0)
    if bucket > 0:
        opening, closing = b"<!-- ", b" -->"
        size = len(body) + len(opening) + len(closing)
        filler = b" " * (-(-size // bucket) * bucket - size)
        end = body.rfind(b"</body>")
        end = len(body) if end < 0 else end
        body = b"".join((body[:end], opening, filler, closing, body[end:]))
    return make_response(body)


def _cannot_vote(budget_round, message: str, budget=None):
    return render_template("budgeting/cannot_vote.html", budget_round=budget_round,
                           budget=budget, message=message), 403


@bp.route("/<int:round_id>/vote")
@login_required
def vote(round_id: int):
    budget_round = round_or_404(round_id)
    if not budget_round.voting_is_open():
        return _cannot_vote(budget_round, voting.voting_not_open().message)
    refusal = eligibility_refusal(budget_round, current_user)
    if refusal is not None:
        return _cannot_vote(budget_round, refusal.message)
    voted_area = chosen_area_budget(budget_round, current_user)
    area_budgets = budget_round.area_budgets
    if voted_area is not None:
        area_budgets = [voted_area]
    elif not budget_round.allow_other_area:
        area_budgets = [b for b in area_budgets if b.area_id == current_user.home_area_id]
    else:  # home area first
        area_budgets.sort(key=lambda b: (b.area_id != current_user.home_area_id, b.position))
    budgets = ([budget_round.city_budget] if budget_round.city_budget else []) + area_budgets
    states = {budget.id: _budget_state(budget) for budget in budgets}
    return render_template("budgeting/vote.html", budget_round=budget_round, budgets=budgets,
                           states=states, voted_area=voted_area)


def _budget_state(budget) -> str:
    entry = voter_roll_entry(budget, current_user)
    if entry is not None:
        return "voted" if entry.channel == "web" else "voted_in_person"
    if _draft(budget) is not None:
        return "draft"
    return "open"


@bp.route("/<int:round_id>/vote/<int:budget_id>", methods=["GET", "POST"])
@limiter.limit("300 per hour", methods=["POST"])
@transactions.reads_only
@login_required
def ballot(round_id: int, budget_id: int):
    if request.method == "POST":
        return _change_ballot(round_id, budget_id)
    budget_round, budget, entry, kept = kept_round_and_budget_or_404(round_id, budget_id,
                                                                     current_user)
    try:
        entry = voting.check_can_vote(budget_round, budget, current_user, entry=entry)
    except ServiceError as error:
        return _cannot_vote(budget_round, error.message, budget)
    choices, _editing = _current_choices(budget_round, budget, entry)
    rows = kept.rows_of(budget, ballot_service.ballot_rows)
    total = ballot_service.running_total(budget_round, budget, choices, rows)
    return _padded(render_template(
        "budgeting/ballot.html", budget_round=budget_round, budget=budget,
        cards=ballot_cards(budget_round, budget, rows, choices, total), total=total,
        body=ballot_body(kept.version, budget_round, budget, has_voted=entry is not None,
                         chosen=bool(choices)),
        title=ballot_title(kept.version, budget_round, budget)))


def _open_ballot(round_id: int, budget_id: int) -> tuple:
    """((round, budget, roll entry, choices), None) for the signed-in voter, the round read in
    the request's own transaction (a page that writes, or the review before a cast); or
    (None, the page saying why they cannot vote)."""
    budget_round, budget = round_and_budget_or_404(round_id, budget_id)
    try:
        entry = voting.check_can_vote(budget_round, budget, current_user)
    except ServiceError as error:
        return None, _cannot_vote(budget_round, error.message, budget)
    choices, _editing = _current_choices(budget_round, budget, entry)
    return (budget_round, budget, entry, choices), None


def _change_ballot(round_id: int, budget_id: int):
    opened, refusal = _open_ballot(round_id, budget_id)
    if refusal is not None:
        return refusal
    budget_round, budget, _entry, choices = opened
    proposal_id = request.form.get("proposal", type=int)
    action = request.form.get("action", "")
    anchor = f"proposal-{proposal_id}" if proposal_id else None
    try:
        if proposal_id is None:
            raise ServiceError(_("The ballot could not be read. Start again from the ballot "
                                 "page."))
        _keep_draft(budget.id, ballot_service.change_draft(budget_round, budget, choices,
                                                        proposal_id, action))
    except ServiceError as error:
        transactions.rollback()
        flash(error.message, "error")
    return redirect(url_for("budgeting.ballot", round_id=budget_round.id, budget_id=budget.id,
                            _anchor=anchor))


@bp.route("/<int:round_id>/vote/<int:budget_id>/review")
@login_required
def review(round_id: int, budget_id: int):
    opened, refusal = _open_ballot(round_id, budget_id)
    if refusal is not None:
        return refusal
    budget_round, budget, entry, choices = opened
    if not choices:
        flash(_("Choose at least one proposal before casting your ballot."), "error")
        return redirect(url_for("budgeting.ballot", round_id=round_id, budget_id=budget_id))
    proposals = [p for p in ballot_service.ballot_proposals(budget) if p.id in choices]
    total = ballot_service.running_total(budget_round, budget, choices)
    return _padded(render_template(
        "budgeting/review.html", budget_round=budget_round, budget=budget, proposals=proposals,
        choices=choices, total=total,
        has_voted=entry is not None))


def _posted_choices() -> dict[int, int]:
    choices: dict[int, int] = {}
    for raw in request.form.getlist("choice"):
        proposal, _sep, points = raw.partition(":")
        proposal_id, count = parse_id(proposal), parse_count(points or "1", maximum=10_000)
        if proposal_id is None or count is None:
            raise ServiceError(_("The ballot could not be read. Start again from the ballot "
                                 "page."))
        choices[proposal_id] = count
    return choices


@bp.route("/<int:round_id>/vote/<int:budget_id>/cast", methods=["POST"])
@limiter.limit("200 per hour")
@login_required
def cast(round_id: int, budget_id: int):
    budget_round, budget = round_and_budget_or_404(round_id, budget_id)
    back = url_for("budgeting.ballot", round_id=round_id, budget_id=budget_id)
    for attempt in range(CAST_ATTEMPTS):
        try:
            result = voting.cast_ballot(budget_round, budget, current_user, _posted_choices())
            transactions.commit()
            break
        except ServiceError as error:
            transactions.rollback()
            flash(error.message, "error")
            return redirect(back)
        except (IntegrityError, OperationalError):
            # Someone (the same voter in another tab) cast at the same instant: try again.
            transactions.rollback()
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
    else:
        flash(_("The service is busy. Your ballot was not cast; please try again."), "error")
        return redirect(back)
    _keep_draft(budget_id, None)  # the id from the URL: the commit expired `budget`
    session[RECEIPT_SESSION_KEY] = {"round": round_id, "budget": budget_id,
                                    "code": result.receipt_code, "replaced": result.replaced}
    return redirect(url_for("budgeting.cast_done", round_id=round_id, budget_id=budget_id))


@bp.route("/<int:round_id>/vote/<int:budget_id>/done")
@login_required
def cast_done(round_id: int, budget_id: int):
    budget_round, budget = round_and_budget_or_404(round_id, budget_id)
    receipt = session.pop(RECEIPT_SESSION_KEY, None)
    if receipt and (receipt.get("round"), receipt.get("budget")) != (round_id, budget_id):
        receipt = None
    home = [b for b in budget_round.area_budgets if b.area_id == current_user.home_area_id]
    other = [b for b in [budget_round.city_budget, *home]
             if b is not None and b.id != budget.id
             and voter_roll_entry(b, current_user) is None
             and budget_refusal(budget_round, b, current_user) is None]
    return render_template("budgeting/done.html", budget_round=budget_round, budget=budget,
                           receipt=receipt, other_budgets=other)
