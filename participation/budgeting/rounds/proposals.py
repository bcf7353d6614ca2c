"""Proposal rules: made by staff or submitted by residents, reviewed, merged, carried out."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ...core import audit
from ...core.exceptions import ServiceError
from ...core.formats import format_number
from ...core.types import utcnow
from ...extensions import db
from ...indicators.services import record_event
from ..voting.eligibility import email_refusal
from .idea_links import move_idea_links
from .limits import MAX_EUROS
from .models import Budget, BudgetRound, Proposal, ProposalPhoto, ProposalUpdate
from .notifications import notify_review
from .permissions import allowed_in_round
from .photos import store_photo
from .statuses import CARRIED_OUT, move
from .tracking import MILESTONES, notify_progress

LANGUAGES = ("fi", "sv", "en")
OFFICIAL_TEXTS = ("title_fi", "title_sv", "title_en",
                  "description_fi", "description_sv", "description_en")


def _check_budget(budget_round: BudgetRound, budget: Budget | None) -> Budget:
    if budget is None or budget.round_id != budget_round.id:
        raise ServiceError(_("Choose a budget of this round."), "budget")
    return budget


def _check_cost(cost) -> int:
    if cost is None or isinstance(cost, bool) or int(cost) != cost or cost <= 0:
        raise ServiceError(_("Give the cost as whole euros, more than zero."), "cost")
    if cost > MAX_EUROS:
        raise ServiceError(_("A cost can be at most %(max)s euros.",
                             max=format_number(MAX_EUROS)), "cost")
    return int(cost)


def _check_ballot_not_frozen(budget_round: BudgetRound) -> None:
    if budget_round.voting_has_opened():
        raise ServiceError(_("Voting has opened: the proposals on the ballot can no longer "
                             "change."))


def create_proposal(budget_round: BudgetRound, budget: Budget, actor, *, cost: int,
                    **texts) -> Proposal:
    """Staff add a proposal (in review until its feasibility has been checked)."""
    _check_ballot_not_frozen(budget_round)
    proposal = Proposal(round_id=budget_round.id, budget_id=_check_budget(budget_round, budget).id,
                        cost=_check_cost(cost), language="fi", status="in_review")
    _set_texts(proposal, texts)
    if not (proposal.title_fi or proposal.title_sv or proposal.title_en):
        raise ServiceError(_("Give the proposal a title."), "title_fi")
    db.session.add(proposal)
    db.session.flush()
    audit.record(actor, "pb.proposal.create", "proposal", proposal.id,
                 after={"cost": proposal.cost, "budget_id": proposal.budget_id})
    return proposal


def _set_texts(proposal: Proposal, texts: dict) -> None:
    for name, value in texts.items():
        if name not in OFFICIAL_TEXTS:
            raise TypeError(f"unknown proposal text {name}")
        setattr(proposal, name, (value or "").strip())


def submit_proposal(budget_round: BudgetRound, budget: Budget, user, *, title: str,
                    description: str, cost: int, language: str) -> Proposal:
    """A resident's proposal in the proposals phase, kept in the language it was written in."""
    if not allowed_in_round(user, "submit_proposal", budget_round):
        raise ServiceError(_("Proposals can only be made while the round's proposal phase is "
                             "open."))
    unconfirmed = email_refusal(budget_round, user)
    if unconfirmed is not None:
        raise ServiceError(unconfirmed.message)
    _check_budget(budget_round, budget)
    language = language if language in LANGUAGES else "fi"
    if not (title or "").strip():
        raise ServiceError(_("Give your proposal a title."), "title")
    if not (description or "").strip():
        raise ServiceError(_("Describe your proposal."), "description")
    proposal = Proposal(round_id=budget_round.id, budget_id=budget.id, cost=_check_cost(cost),
                        language=language, status="submitted", submitted_by_id=user.id)
    setattr(proposal, f"title_{language}", title.strip())
    setattr(proposal, f"description_{language}", description.strip())
    db.session.add(proposal)
    db.session.flush()
    record_event("proposal_submitted", user=user, process=budget_round)
    from ...moderation.services import screen_new_content

    screen_new_content(proposal, user)  # words or spam found: held for a moderator
    return proposal


def edit_proposal(proposal: Proposal, actor, *, cost: int, budget: Budget, **texts) -> None:
    """Staff complete or correct the texts (translations), cost and budget before voting."""
    _check_ballot_not_frozen(proposal.round)
    before = {"cost": proposal.cost, "budget_id": proposal.budget_id}
    proposal.cost = _check_cost(cost)
    proposal.budget_id = _check_budget(proposal.round, budget).id
    _set_texts(proposal, texts)
    db.session.flush()
    audit.record(actor, "pb.proposal.edit", "proposal", proposal.id, before=before,
                 after={"cost": proposal.cost, "budget_id": proposal.budget_id})


def review_proposal(proposal: Proposal, actor, *, feasible: bool, reason_fi: str = "",
                    reason_sv: str = "", reason_en: str = "") -> None:
    """Feasible: onto the ballot (needs fi and sv texts). Not feasible: with a public reason."""
    budget_round = proposal.round
    if not allowed_in_round(actor, "review_proposal", budget_round):
        raise ServiceError(_("Proposals can be reviewed before voting opens."))
    _check_ballot_not_frozen(budget_round)
    if proposal.status == "merged":
        raise ServiceError(_("This proposal has been merged into another one."))
    new_status = "on_ballot" if feasible else "not_feasible"
    if proposal.status != new_status:
        move(proposal, new_status)
    before = {"status": proposal.status}
    if feasible and proposal.moderation_state != "published":
        raise ServiceError(_("A moderator has held or hidden this proposal, so it cannot go on "
                             "the ballot."))
    if feasible:
        missing = [name for name in ("title_fi", "title_sv", "description_fi", "description_sv")
                   if not getattr(proposal, name).strip()]
        if missing:
            raise ServiceError(_("Add the title and description in Finnish and Swedish before "
                                 "putting the proposal on the ballot."), missing[0])
        if proposal.cost > proposal.budget.amount:
            raise ServiceError(_("The proposal costs more than its whole budget, so it could "
                                 "never be funded. Change the cost or the budget."), "cost")
        reason_fi = reason_sv = reason_en = ""
    else:
        if not reason_fi.strip() or not reason_sv.strip():
            raise ServiceError(_("Give the public reason in Finnish and Swedish."), "reason_fi")
    proposal.feasibility_reason_fi = reason_fi.strip()
    proposal.feasibility_reason_sv = reason_sv.strip()
    proposal.feasibility_reason_en = reason_en.strip()
    proposal.reviewed_at = utcnow()
    proposal.reviewed_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "pb.proposal.review", "proposal", proposal.id, before=before,
                 after={"status": proposal.status}, reason=reason_fi.strip())
    notify_review(proposal, actor)


def merge_proposals(source: Proposal, target: Proposal, actor) -> None:
    """Fold `source` into `target` (same budget): source leaves the ballot, links move over."""
    _check_ballot_not_frozen(source.round)
    if source.id == target.id:
        raise ServiceError(_("Choose another proposal to merge into."), "target")
    if source.budget_id != target.budget_id:
        raise ServiceError(_("Only proposals of the same budget can be merged."), "target")
    if "merged" in (source.status, target.status):
        raise ServiceError(_("A merged proposal cannot be merged again."), "target")
    before = {"status": source.status}
    move(source, "merged")
    source.merged_into_id = target.id
    move_idea_links(source, target)
    db.session.flush()
    audit.record(actor, "pb.proposal.merge", "proposal", source.id, before=before,
                 after={"status": "merged", "merged_into": target.id})


def _check_progress(progress: dict) -> dict:
    percent, milestone = progress.get("percent_done"), progress.get("milestone") or None
    if percent is not None and not 0 <= percent <= 100:
        raise ServiceError(_("Give the progress as a percentage from 0 to 100."),
                           "percent_done")
    if milestone is not None and milestone not in MILESTONES:
        raise ServiceError(_("Choose a milestone from the list."), "milestone")
    cost = progress.get("cost_to_date")
    if cost is not None and (cost < 0 or cost > MAX_EUROS):
        raise ServiceError(_("Give the cost so far as whole euros, from 0 up to %(max)s.",
                             max=MAX_EUROS), "cost_to_date")
    planned, actual = progress.get("planned_finish"), progress.get("actual_finish")
    for name, value in (("planned_finish", planned), ("actual_finish", actual)):
        if value is not None and not date(2000, 1, 1) <= value <= date(2100, 12, 31):
            raise ServiceError(_("Give a date between 2000 and 2100."), name)
    return {"percent_done": percent, "milestone": milestone, "cost_to_date": cost,
            "planned_finish": planned, "actual_finish": actual}


def add_progress_update(proposal: Proposal, actor, *, happened_on: date, text_fi: str,
                        text_sv: str, text_en: str = "",
                        photos: list[tuple[bytes, str, str]] = (),
                        **progress) -> ProposalUpdate:
    """A dated report on a selected proposal, with photos (bytes, alt fi, alt sv) and
    optionally percent_done or a milestone, planned/actual finish dates and cost_to_date."""
    if not allowed_in_round(actor, "post_progress_update", proposal.round):
        raise ServiceError(_("Progress can be reported once the results are out."))
    if proposal.status not in CARRIED_OUT:
        raise ServiceError(_("Only selected proposals get progress updates."))
    if not text_fi.strip() or not text_sv.strip():
        raise ServiceError(_("Write the update in Finnish and Swedish."), "text_fi")
    update = ProposalUpdate(proposal_id=proposal.id, happened_on=happened_on,
                            text_fi=text_fi.strip(), text_sv=text_sv.strip(),
                            text_en=(text_en or "").strip(),
                            created_by_id=getattr(actor, "id", None),
                            **_check_progress(progress))
    for data, alt_fi, alt_sv in photos:
        if not (alt_fi or "").strip() or not (alt_sv or "").strip():
            raise ServiceError(_("Describe the photo in Finnish and Swedish for people who "
                                 "cannot see it."), "alt_fi")
        name, width, height = store_photo(data)
        update.photos.append(ProposalPhoto(filename=name, width=width, height=height,
                                           alt_fi=alt_fi.strip(), alt_sv=alt_sv.strip()))
    db.session.add(update)
    db.session.flush()
    audit.record(actor, "pb.proposal.update", "proposal", proposal.id,
                 after={"update_id": update.id, "photos": len(update.photos)})
    notify_progress(proposal, actor, update=update)
    return update
