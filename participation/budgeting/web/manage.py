"""Staff pages for rounds: settings, phases, budgets, publishing, closing, what-if, import."""

from __future__ import annotations

from fractions import Fraction

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core import transactions
from ...core.exceptions import ServiceError
from ...core.forms import area_choices, optional_int, show_service_error
from ...core.permissions import roles_required
from ...core.rendering import render_form
from ...extensions import limiter
from ..results import exports
from ..results import tally as results
from ..results.rulebook import ROUND_RULES, offered_rules
from ..rounds import lookups
from ..rounds import setup as rounds
from ..voting import casting as voting
from ..voting import ending
from .blueprint import bp, round_or_404
from .forms import BudgetForm, ImportForm, PhaseForm, RoundForm, SplitForm

ROUND_FIELDS = ("title_fi", "title_sv", "title_en", "description_fi", "description_sv",
                "description_en", "ballot_type", "max_choices", "points_total", "rule",
                "min_votes", "min_age", "max_age", "allow_other_area", "min_verification")


def _round_form(budget_round, posted: bool = True) -> RoundForm:
    """The settings form: the posted data, or the round's current values."""
    fresh = request.method == "GET" or not posted
    form = RoundForm(formdata=None if fresh else request.form,
                     obj=budget_round if fresh else None)
    form.area_id.choices = area_choices(blank_label=_("Residents of all Espoo"))
    form.rule.choices = offered_rules()  # at request time: rules the engine gained since
    if fresh and budget_round is not None:
        form.area_id.data = str(budget_round.area_id or "")
    return form


def _round_values(form: RoundForm) -> dict:
    values = {name: getattr(form, name).data for name in ROUND_FIELDS}
    values["area_id"] = optional_int(form.area_id.data)
    for name in ("title_fi", "title_sv", "title_en", "description_fi", "description_sv",
                 "description_en"):
        values[name] = (values[name] or "").strip()
    return values


@bp.route("/manage")
@roles_required("staff")
def manage():
    all_rounds = lookups.all_rounds()
    return render_template("budgeting/manage/index.html", rounds=all_rounds)


@bp.route("/manage/new", methods=["GET", "POST"])
@roles_required("staff")
def new_round():
    form = _round_form(None)
    if form.validate_on_submit():
        try:
            budget_round = rounds.create_round(current_user, **_round_values(form))
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The round has been created. Add its phases and budgets next."), "success")
            return redirect(url_for("budgeting.edit_round", round_id=budget_round.id))
    return render_form("budgeting/manage/round_form.html", form, budget_round=None,
                       round_form=form)


@bp.route("/manage/<int:round_id>", methods=["GET", "POST"])
@roles_required("staff")
def edit_round(round_id: int):
    budget_round = round_or_404(round_id, staff_view=True)
    form = _round_form(budget_round)
    if form.validate_on_submit():
        try:
            rounds.update_round(budget_round, current_user, **_round_values(form))
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The round has been saved."), "success")
            return redirect(url_for("budgeting.edit_round", round_id=round_id))
    return render_form("budgeting/manage/round_form.html", form, budget_round=budget_round,
                       round_form=form, phase_form=PhaseForm(formdata=None),
                       budget_form=_budget_form(None), split_form=SplitForm(formdata=None),
                       rules=ROUND_RULES)


def _budget_form(formdata=False) -> BudgetForm:
    form = BudgetForm() if formdata is False else BudgetForm(formdata=formdata)
    form.area.choices = area_choices(blank_label=_("Whole city"))
    return form


@bp.route("/manage/<int:round_id>/phases", methods=["POST"])
@roles_required("staff")
def set_phase(round_id: int):
    budget_round = round_or_404(round_id, staff_view=True)
    form = PhaseForm()
    if form.validate_on_submit():
        try:
            rounds.set_phase(budget_round, form.kind.data,
                             rounds.helsinki_to_utc(form.starts_at.data),
                             rounds.helsinki_to_utc(form.ends_at.data), current_user)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The phase has been saved."), "success")
            return redirect(url_for("budgeting.edit_round", round_id=round_id,
                                    _anchor="phases"))
    return render_form("budgeting/manage/round_form.html", form, budget_round=budget_round,
                       round_form=_round_form(budget_round, posted=False), phase_form=form,
                       budget_form=_budget_form(None), split_form=SplitForm(formdata=None),
                       rules=ROUND_RULES, focus="phases")


@bp.route("/manage/<int:round_id>/phases/<kind>/remove", methods=["POST"])
@roles_required("staff")
def remove_phase(round_id: int, kind: str):
    budget_round = round_or_404(round_id, staff_view=True)
    try:
        rounds.remove_phase(budget_round, kind, current_user)
    except ServiceError as error:
        transactions.rollback()
        flash(error.message, "error")
    else:
        transactions.commit()
        flash(_("The phase has been removed."), "success")
    return redirect(url_for("budgeting.edit_round", round_id=round_id, _anchor="phases"))


@bp.route("/manage/<int:round_id>/budgets", methods=["POST"])
@roles_required("staff")
def set_budget(round_id: int):
    budget_round = round_or_404(round_id, staff_view=True)
    split = request.form.get("split") == "1"
    form = SplitForm() if split else _budget_form()
    if form.validate_on_submit():
        try:
            if split:
                rounds.apply_budget_split(budget_round, form.total.data,
                                          Fraction(form.city_wide_percent.data, 100),
                                          current_user)
            else:
                rounds.set_budget(budget_round, optional_int(form.area.data), form.amount.data,
                                  current_user)
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The budgets have been saved."), "success")
            return redirect(url_for("budgeting.edit_round", round_id=round_id,
                                    _anchor="budgets"))
    return render_form("budgeting/manage/round_form.html", form, budget_round=budget_round,
                       round_form=_round_form(budget_round, posted=False),
                       phase_form=PhaseForm(formdata=None),
                       budget_form=form if not split else _budget_form(None),
                       split_form=form if split else SplitForm(formdata=None),
                       rules=ROUND_RULES, focus="budgets")


ROUND_ACTIONS = {
    "publish": (rounds.publish_round, "The round has been published."),
    "close-voting": (voting.close_voting, "Voting has been closed and the link between "
                                          "ballots and voters erased."),
    "publish-results": (results.publish_results, "The results have been published."),
}


@bp.route("/manage/<int:round_id>/action/<action>", methods=["POST"])
@limiter.limit("30 per minute")
@roles_required("staff")
def round_action(round_id: int, action: str):
    budget_round = round_or_404(round_id, staff_view=True)
    if action not in ROUND_ACTIONS:
        abort(404)
    service, _message = ROUND_ACTIONS[action]
    try:
        service(budget_round, current_user)
    except ServiceError as error:
        transactions.rollback()
        flash(error.message, "error")
    else:
        transactions.commit()
        flash({"publish": _("The round has been published."),
               "close-voting": _("Voting has been closed and the link between ballots and "
                                 "voters erased."),
               "publish-results": _("The results have been published.")}[action], "success")
    return redirect(url_for("budgeting.edit_round", round_id=round_id))


@bp.route("/manage/<int:round_id>/end-voting", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@roles_required("staff")
def end_voting(round_id: int):
    """Confirm, then end a running vote now for everyone (audited; links erased)."""
    budget_round = round_or_404(round_id, staff_view=True)
    if request.method == "POST":
        try:
            ending.end_voting_now(budget_round, current_user)
        except ServiceError as error:
            transactions.rollback()
            flash(error.message, "error")
        else:
            transactions.commit()
            flash(_("Voting has ended. The link between ballots and voters has been erased."),
                  "success")
        return redirect(url_for("budgeting.edit_round", round_id=round_id))
    if not budget_round.voting_is_open():
        flash(_("Voting is not open, so there is nothing to end."), "info")
        return redirect(url_for("budgeting.edit_round", round_id=round_id))
    return render_template("budgeting/manage/end_voting.html", budget_round=budget_round,
                           voting=budget_round.phase("voting"))


@bp.route("/manage/<int:round_id>/what-if")
@roles_required("staff")
def what_if(round_id: int):
    """Read only: the rules side by side, once voting is closed (closing is its own POST)."""
    budget_round = round_or_404(round_id, staff_view=True)
    try:
        comparisons = results.compare_rules(budget_round)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("budgeting.edit_round", round_id=round_id))
    return render_template("budgeting/manage/what_if.html", budget_round=budget_round,
                           comparisons=comparisons, rules=ROUND_RULES)


@bp.route("/manage/import", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@roles_required("staff")
def import_pb():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if upload is None or not getattr(upload, "filename", ""):
                raise ServiceError(_("Choose a .pb file to upload."), "file")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ServiceError(_("The file is not UTF-8 text."), "file") from None
            budget_round = exports.import_pb(text, current_user, form.title.data or "")
        except ServiceError as error:
            transactions.rollback()
            show_service_error(form, error)
        else:
            transactions.commit()
            flash(_("The simulation round has been created from the file."), "success")
            return redirect(url_for("budgeting.what_if", round_id=budget_round.id))
    return render_form("budgeting/manage/import.html", form)
