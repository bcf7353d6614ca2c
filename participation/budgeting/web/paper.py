"""Staff pages for in-person voting and identity checks."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError

from ...accounts.services import find_user_by_email
from ...core import transactions
from ...core.exceptions import ServiceError
from ...core.forms import area_choices, optional_int, show_service_error
from ...core.parsing import parse_count, parse_id
from ...core.permissions import roles_required
from ...core.rendering import render_form
from ...extensions import limiter
from ..voting import eligibility, paper
from ..voting.ballots import ballot_proposals
from .blueprint import bp, budget_or_404, round_or_404
from .forms import PaperBallotForm, RegisterInPersonForm, VerifyVoterForm


def _register_form(budget_round, posted=True) -> RegisterInPersonForm:
    form = RegisterInPersonForm(formdata=request.form if posted and request.method == "POST"
                                else None)
    form.budget.choices = [(str(b.id), b.name) for b in budget_round.budgets]
    form.home_area.choices = area_choices(blank_label=_("Choose an area"))
    return form


def _register(budget_round, form) -> None:
    budget = budget_or_404(budget_round, int(form.budget.data))
    if form.email.data:
        paper.register_in_person_voter(
            budget_round, budget, find_user_by_email(form.email.data), current_user,
            channel=form.channel.data, document=form.document.data,
            full_name=form.full_name.data or "", birth_date=form.birth_date.data)
    else:
        paper.register_in_person_without_account(
            budget_round, budget, current_user, full_name=form.full_name.data or "",
            birth_date=form.birth_date.data, home_area_id=optional_int(form.home_area.data),
            channel=form.channel.data, document=form.document.data)


@bp.route("/manage/<int:round_id>/in-person", methods=["GET", "POST"])
@limiter.limit("600 per hour", methods=["POST"])
@roles_required("staff")
def in_person(round_id: int):
    budget_round = round_or_404(round_id, staff_view=True)
    form = _register_form(budget_round)
    if form.validate_on_submit():
        try:
            _register(budget_round, form)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The person has been marked in the voter roll. Give them the ballot "
                    "sheet."), "success")
            return redirect(url_for("budgeting.in_person", round_id=round_id))
    counts = {budget.id: paper.paper_counts(budget) for budget in budget_round.budgets}
    return render_form("budgeting/manage/in_person.html", form, budget_round=budget_round,
                       counts=counts)


def _posted_paper_choices() -> dict[int, int]:
    choices = {}
    for raw in request.form.getlist("proposal"):
        if parse_id(raw) is not None:
            choices[parse_id(raw)] = 1
    for key, value in request.form.items():
        if key.startswith("points-") and parse_id(key[7:]) is not None and value.strip():
            points = parse_count(value, maximum=10_000)
            if points is None:
                raise ServiceError(_("Give points as whole numbers."))
            if points > 0:
                choices[parse_id(key[7:])] = points
    return choices


@bp.route("/manage/<int:round_id>/in-person/<int:budget_id>", methods=["GET", "POST"])
@limiter.limit("600 per hour", methods=["POST"])
@roles_required("staff")
def paper_ballot(round_id: int, budget_id: int):
    budget_round = round_or_404(round_id, staff_view=True)
    budget = budget_or_404(budget_round, budget_id)
    form = PaperBallotForm()
    entered = None
    if form.validate_on_submit():
        try:
            ballot = paper.enter_paper_ballot(
                budget_round, budget, current_user, sheet_number=form.sheet_number.data,
                choices=_posted_paper_choices(), channel=form.channel.data)
            transactions.commit()
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        except IntegrityError:  # the same sheet entered at the same moment elsewhere
            transactions.rollback()
            form.sheet_number.errors = [_("Sheet number %(number)d has already been entered.",
                                          number=form.sheet_number.data)]
        except OperationalError:  # SQLite: another sheet was being entered at that moment
            transactions.rollback()
            form.sheet_number.errors = [_("The service is busy. The sheet was not entered; "
                                          "please try again.")]
        else:
            entered = {"sheet": form.sheet_number.data, "receipt": ballot.receipt_code}
            flash(_("Sheet %(number)d has been entered.", number=entered["sheet"]), "success")
            form = PaperBallotForm(formdata=None)
    return render_form("budgeting/manage/paper_ballot.html", form, budget_round=budget_round,
                       budget=budget, proposals=ballot_proposals(budget), entered=entered,
                       counts=paper.paper_counts(budget))


@bp.route("/manage/<int:round_id>/in-person/<int:budget_id>/receipt/<int:sheet_number>")
@roles_required("staff")
def paper_receipt(round_id: int, budget_id: int, sheet_number: int):
    """A printable slip with the receipt code of an entered sheet, for the voter."""
    budget_round = round_or_404(round_id, staff_view=True)
    budget = budget_or_404(budget_round, budget_id)
    code = paper.paper_receipt(budget_round, budget, sheet_number)
    if code is None:
        abort(404)
    return render_template("budgeting/manage/paper_receipt.html", budget_round=budget_round,
                           budget=budget, code=code)


@bp.route("/manage/verify", methods=["GET", "POST"])
@limiter.limit("600 per hour", methods=["POST"])
@roles_required("staff")
def verify_voter():
    form = VerifyVoterForm()
    if form.validate_on_submit():
        person = find_user_by_email(form.email.data)
        try:
            if person is None or not person.is_active:
                raise ServiceError(_("No account was found with that email address."), "email")
            added = eligibility.verify_in_person(person, current_user,
                                                 document=form.document.data,
                                                 full_name=form.full_name.data,
                                                 birth_date=form.birth_date.data)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            earlier = eligibility.in_person_votes_of(person)
            transactions.commit()
            flash(_("The identity of %(email)s has been marked as checked.", email=person.email)
                  if added else _("%(email)s had already been verified.", email=person.email),
                  "success")
            if earlier:
                flash(ngettext(
                    "Note: a person with this name and date of birth has already voted in "
                    "%(num)d budget (at a service point, or with an account since deleted). "
                    "They cannot vote in it again.",
                    "Note: a person with this name and date of birth has already voted in "
                    "%(num)d budgets (at a service point, or with an account since deleted). "
                    "They cannot vote in them again.", len(earlier)), "error")
            return redirect(url_for("budgeting.verify_voter"))
    return render_form("budgeting/manage/verify.html", form)
