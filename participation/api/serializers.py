"""Domain objects as JSON-ready dicts: only public fields, every shape in openapi.py.

Never here: e-mail addresses, user ids, birth years, moderation details.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import g
from flask_babel import force_locale

from ..budgeting.results.groups import groups_json, round_groups
from ..budgeting.results.publication import ballots_published
from ..budgeting.results.rulebook import BALLOT_TYPE_LABELS, ROUND_RULES, rule_explanation
from ..budgeting.results.tally import stored_result
from ..budgeting.rounds.idea_links import linked_ideas
from ..budgeting.rounds.phases import PHASE_LABELS
from ..budgeting.rounds.statuses import STATUS_LABELS as PROPOSAL_STATUS_LABELS
from ..core.formats import machine_datetime
from ..core.links import city_map_url, external_url
from ..core.sanitize import render_light_text
from ..i18n import current_language
from ..ideas.statuses import STATUS_LABELS
from . import services

OFFICIAL_LANGUAGES = ("fi", "sv", "en")


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, e.g. 2026-03-01T08:30:00Z."""
    return machine_datetime(moment)


def names(obj, field: str) -> dict[str, str]:
    """Official content stored per language: all three versions, empty where missing."""
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in OFFICIAL_LANGUAGES}


def in_languages(text: Callable[[], object]) -> dict[str, str]:
    """Interface text (a gettext call) in each official language."""
    versions = {}
    for code in OFFICIAL_LANGUAGES:
        with force_locale(code):
            versions[code] = str(text())
    return versions


def _labels(key: str, labels: dict) -> dict[str, dict[str, str]]:
    cache = g.setdefault("api_labels", {})
    if key not in cache:
        cache[key] = {name: in_languages(lambda label=label: label)
                      for name, label in labels.items()}
    return cache[key]


def link(endpoint: str, **values) -> str:
    return external_url(endpoint, **values)


def area_ref(area) -> dict | None:
    if area is None:
        return None
    return {"id": area.id, "code": area.code, "name": names(area, "name")}


def area(area, figure) -> dict:
    population = None if figure is None else {"count": figure.population, "year": figure.year}
    return {**area_ref(area), "population": population}


def _status(idea, *, detail: bool) -> dict:
    status = {"code": idea.status, "label": _labels("status", STATUS_LABELS)[idea.status]}
    if detail:
        answer = None
        if idea.public_answer:
            answer = {"text": idea.public_answer, "html": render_light_text(idea.public_answer),
                      "language": idea.public_answer_language or idea.language}
        status["public_answer"] = answer
        status["changed_at"] = iso(idea.status_changed_at)
    return status


def idea_summary(idea) -> dict:
    return {
        "id": idea.id,
        "title": idea.title,
        "language": idea.language,
        "area": area_ref(idea.area),
        "theme": {"slug": idea.theme.slug, "name": names(idea.theme, "name")},
        "status": _status(idea, detail=False),
        "supporters_count": idea.support_count,
        "comments_count": idea.comment_count,
        "created_at": iso(idea.created_at),
        "author": idea.author_name,
        "links": {"self": link("api.idea", idea_id=idea.id),
                  "html": link("ideas.detail", idea_id=idea.id)},
    }


def idea_detail(idea) -> dict:
    merged_into = idea.merged_into_id if services.is_published_idea(idea.merged_into_id) \
        else None
    image = None
    if idea.image_file:
        image = {"url": link("ideas.image", idea_id=idea.id), "alt": idea.image_alt,
                 "width": idea.image_width, "height": idea.image_height}
    place = None
    if idea.has_place:
        place = {"address": idea.place_address or None, "lat": idea.place_lat,
                 "lon": idea.place_lon,
                 "map_url": city_map_url(idea.place_lat, idea.place_lon,
                                        current_language().code)}
    return {
        **idea_summary(idea),
        "description": {"html": idea.description_html, "language": idea.language},
        "place": place,
        "status": _status(idea, detail=True),
        "merged_into": merged_into,
        "image": image,
    }


def _rule(budget_round) -> dict:
    rule = ROUND_RULES.get(budget_round.rule)
    return {
        "key": budget_round.rule,
        "name": in_languages(lambda: rule.label if rule else budget_round.rule),
        "explanation": in_languages(lambda: rule_explanation(budget_round)),
        "proportional": bool(rule and rule.proportional),
        "min_votes": budget_round.min_votes if budget_round.rule == "greedy_threshold" else None,
    }


def _budget(budget) -> dict:
    return {"id": budget.id, "area": area_ref(budget.area), "amount": budget.amount,
            "currency": "EUR"}


def round_summary(budget_round) -> dict:
    phase = budget_round.current_phase()
    return {
        "id": budget_round.id,
        "title": names(budget_round, "title"),
        "area": area_ref(budget_round.area),
        "current_phase": phase.kind if phase else None,
        "published_at": iso(budget_round.published_at),
        "results_published": services.results_are_public(budget_round),
        "links": {"self": link("api.budget_round", round_id=budget_round.id),
                  "html": link("budgeting.round_page", round_id=budget_round.id)},
    }


def round_detail(budget_round) -> dict:
    phase_labels = _labels("phase", PHASE_LABELS)
    summary = round_summary(budget_round)
    if summary["results_published"]:
        summary["links"]["results"] = link("api.round_results", round_id=budget_round.id)
    return {
        **summary,
        "description": names(budget_round, "description"),
        "phases": [{"kind": phase.kind, "name": phase_labels.get(phase.kind),
                    "starts_at": iso(phase.starts_at), "ends_at": iso(phase.ends_at)}
                   for phase in budget_round.phases],
        "budgets": [_budget(budget) for budget in budget_round.budgets],
        "ballot": {
            "type": budget_round.ballot_type,
            "name": _labels("ballot", BALLOT_TYPE_LABELS).get(budget_round.ballot_type),
            "max_choices": budget_round.max_choices
            if budget_round.ballot_type == "k_approval" else None,
            "points_total": budget_round.points_total
            if budget_round.ballot_type == "cumulative" else None,
        },
        "rule": _rule(budget_round),
        "min_age": budget_round.min_age,
        "max_age": budget_round.max_age,
        "voting_closed_at": iso(budget_round.voting_closed_at),
        "results_published_at": iso(budget_round.results_published_at),
        "proposals": [_proposal_summary(p) for p in services.round_proposals(budget_round)],
    }


def proposal_status(proposal) -> dict:
    field = {"not_feasible": "feasibility_reason", "cancelled": "status_reason"}.get(
        proposal.status)
    return {"code": proposal.status,
            "label": _labels("proposal_status", PROPOSAL_STATUS_LABELS)[proposal.status],
            "reason": names(proposal, field) if field else None}


def _proposal_summary(proposal) -> dict:
    return {"id": proposal.id, "budget_id": proposal.budget_id,
            "title": names(proposal, "title"), "cost": proposal.cost,
            "status": proposal_status(proposal),
            "links": {"html": link("budgeting.proposal_page", proposal_id=proposal.id)}}


def _selected_proposal(proposal, facts: dict) -> dict:
    return {
        "id": proposal.id,
        "title": names(proposal, "title"),
        "cost": proposal.cost,
        "votes": facts.get("votes") or 0,
        "points": facts.get("points") or 0,
        "status": proposal_status(proposal),
        "ideas": [{"id": idea.id, "title": idea.title, "links": {
            "self": link("api.idea", idea_id=idea.id)}} for idea in linked_ideas(proposal)],
        "links": {"html": link("budgeting.proposal_page", proposal_id=proposal.id)},
    }


def round_results(budget_round) -> dict:
    budgets = []
    for budget in budget_round.budgets:
        result = stored_result(budget)
        selected_ids = result.selected if result else []
        details = result.details if result else {}
        selected = [_selected_proposal(proposal, details.get(str(proposal.id), {}))
                    for proposal in services.selected_proposals(budget, selected_ids)]
        selected.sort(key=lambda row: (-row["votes"], row["id"]))
        budgets.append({
            "budget": _budget(budget),
            "ballots": result.ballots if result else 0,
            # Individual ballots (the .pb file) only from PB_PUBLISH_BALLOTS_MIN ballots up.
            "ballots_published": ballots_published(result),
            "total_cost": sum(row["cost"] for row in selected),
            "selected": selected,
        })
    return {
        "round": {"id": budget_round.id, "title": names(budget_round, "title"),
                  "links": {"self": link("api.budget_round", round_id=budget_round.id),
                            "html": link("budgeting.results", round_id=budget_round.id)}},
        "rule": _rule(budget_round),
        "results_published_at": iso(budget_round.results_published_at),
        "budgets": budgets,
        "groups": groups_json(round_groups(budget_round)),
    }
