"""Status names and the city's answer templates (offered in the idea's language, then edited)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .models import STATUSES

STATUS_LABELS = {
    "submitted": _l("Submitted"),
    "under_review": _l("Under review"),
    "merged": _l("Merged into another idea"),
    "budgeting_proposal": _l("Turned into a budgeting proposal"),
    "answered": _l("Answered"),
    "rejected": _l("Not carried out"),
    "implemented": _l("Carried out"),
}
# Statuses whose public reason may not be empty.
REASON_REQUIRED = frozenset({"answered", "rejected"})


@dataclass(frozen=True)
class AnswerTemplate:
    key: str
    status: str
    label: object
    text: object


def _template(status: str, name: str, label, text) -> AnswerTemplate:
    return AnswerTemplate(f"{status}.{name}", status, label, text)


ANSWER_TEMPLATES = (
    _template("submitted", "received", _l("Idea received"),
              _l("Thank you for your idea. It has been received and will be read by the "
                 "city's staff.")),
    _template("under_review", "looking", _l("The city is looking into it"),
              _l("The city is looking into this idea with the units responsible. We will "
                 "tell you here when there is an answer.")),
    _template("under_review", "cost", _l("Costs are being estimated"),
              _l("The city is estimating what carrying out this idea would cost and who "
                 "could do it.")),
    _template("merged", "similar", _l("A similar idea exists"),
              _l("This idea is very close to another idea, so they have been merged. The "
                 "discussion continues on the other idea's page.")),
    _template("budgeting_proposal", "proposal", _l("Proposal in participatory budgeting"),
              _l("This idea has been turned into a proposal in participatory budgeting, "
                 "where residents can vote for it.")),
    _template("answered", "thanks", _l("Answer with thanks"),
              _l("Thank you for the idea. The city's answer:")),
    _template("answered", "passed_on", _l("Passed on to the unit responsible"),
              _l("Thank you for the idea. It has been passed on to the unit responsible, "
                 "which will take it into account when planning its work.")),
    _template("rejected", "land", _l("Not the city's land"),
              _l("The idea cannot be carried out, because the land in question is not "
                 "owned by the city.")),
    _template("rejected", "budget", _l("No funding"),
              _l("The idea cannot be carried out now, because there is no funding for it "
                 "in the city's budget.")),
    _template("rejected", "responsibility", _l("Not the city's task"),
              _l("The idea cannot be carried out by the city, because the matter is not "
                 "the city's responsibility.")),
    _template("implemented", "done", _l("Carried out"),
              _l("The idea has been carried out. Thank you for proposing it!")),
)
TEMPLATES_BY_KEY = {template.key: template for template in ANSWER_TEMPLATES}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def templates_for(status: str) -> list[AnswerTemplate]:
    return [template for template in ANSWER_TEMPLATES if template.status == status]


def template_text(key: str, language: str) -> str:
    """The template's text in `language` (the idea's language), or '' for an unknown key."""
    template = TEMPLATES_BY_KEY.get(key)
    if template is None:
        return ""
    with force_locale(language):
        return str(template.text)


assert set(STATUS_LABELS) == set(STATUSES)
