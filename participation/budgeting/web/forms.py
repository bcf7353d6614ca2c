"""Budgeting forms. Labels use lazy gettext; the rules themselves live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...core.forms import Between, YearsBetween
from ..results.rulebook import BALLOT_TYPE_LABELS, ROUND_RULES, VERIFICATION_LABELS
from ..rounds.limits import MAX_CHOICES, MAX_EUROS, MAX_MIN_VOTES, MAX_POINTS, MAX_SHEET_NUMBER
from ..rounds.phases import PHASE_KINDS, PHASE_LABELS

WHOLE_NUMBER = _l("Enter a whole number.")
BETWEEN = _l("Enter a number from %(min)s to %(max)s.")


def _optional_number(label, description=None, minimum=0, maximum=120):
    return IntegerField(label, description=description,
                        validators=[Optional(), Between(min=minimum, max=maximum,
                                                            message=BETWEEN)])


def _euros(label, description=None):
    """Whole euros, more than zero and at most MAX_EUROS (the BIGINT columns hold that)."""
    return IntegerField(label, description=description,
                        validators=[InputRequired(WHOLE_NUMBER),
                                    Between(min=1, max=MAX_EUROS, message=BETWEEN)])


class RoundForm(FlaskForm):
    title_fi = StringField(_l("Title in Finnish"), validators=[Length(max=200)])
    title_sv = StringField(_l("Title in Swedish"), validators=[Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    description_fi = TextAreaField(_l("Description in Finnish"))
    description_sv = TextAreaField(_l("Description in Swedish"))
    description_en = TextAreaField(_l("Description in English"))
    ballot_type = SelectField(_l("Ballot type"),
                              choices=[(k, v) for k, v in BALLOT_TYPE_LABELS.items()])
    max_choices = _optional_number(_l("Most proposals a voter may choose (k)"),
                                   _l("For approval of at most k proposals."), 1, MAX_CHOICES)
    points_total = _optional_number(_l("Points each voter spreads (N)"),
                                    _l("For cumulative ballots."), 1, MAX_POINTS)
    rule = SelectField(_l("Rule that decides the results"),
                       choices=[(k, rule.label) for k, rule in ROUND_RULES.items()])
    min_votes = _optional_number(_l("Minimum votes for a proposal to be funded"),
                                 _l("Only for the rule with a minimum number of votes."), 1,
                                 MAX_MIN_VOTES)
    min_age = IntegerField(_l("Minimum age"),
                           description=_l("Counted by year of birth: from the year the person "
                                          "turns this age."),
                           default=12,
                           validators=[InputRequired(WHOLE_NUMBER),
                                       Between(min=0, max=120, message=BETWEEN)])
    max_age = _optional_number(_l("Maximum age"), _l("For youth budgets. Leave empty for none."))
    area_id = SelectField(_l("Who may vote"))
    allow_other_area = BooleanField(_l("Voters may choose another area's budget than their "
                                       "home area's"))
    min_verification = SelectField(_l("Identity check needed to vote"),
                                   choices=[(k, v) for k, v in VERIFICATION_LABELS.items()])


class PhaseForm(FlaskForm):
    kind = SelectField(_l("Phase"), choices=[(k, PHASE_LABELS[k]) for k in PHASE_KINDS])
    starts_at = DateTimeLocalField(
        _l("Starts (Espoo time)"), format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Enter the start as a date and time.")), YearsBetween()])
    ends_at = DateTimeLocalField(
        _l("Ends (Espoo time)"), format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Enter the end as a date and time.")), YearsBetween()])


class BudgetForm(FlaskForm):
    area = SelectField(_l("Budget for"))
    amount = _euros(_l("Amount in euros"))


class SplitForm(FlaskForm):
    total = _euros(_l("Total in euros"))
    city_wide_percent = IntegerField(
        _l("City-wide share in percent"), default=20,
        description=_l("The rest is divided between the major areas by population."),
        validators=[InputRequired(WHOLE_NUMBER), Between(min=0, max=100, message=BETWEEN)])


class StaffProposalForm(FlaskForm):
    budget = SelectField(_l("Budget"), validators=[InputRequired(_l("Choose a budget."))])
    cost = _euros(_l("Cost estimate in euros"))
    title_fi = StringField(_l("Title in Finnish"), validators=[Length(max=200)])
    title_sv = StringField(_l("Title in Swedish"), validators=[Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    description_fi = TextAreaField(_l("Description in Finnish"))
    description_sv = TextAreaField(_l("Description in Swedish"))
    description_en = TextAreaField(_l("Description in English"))
    ideas = StringField(_l("Made from ideas"),
                        description=_l("Idea numbers separated by commas, for example 12, 15. "
                                       "The ideas get a link to the proposal and their authors "
                                       "and followers are told."),
                        validators=[Length(max=500)])


class ResidentProposalForm(FlaskForm):
    budget = SelectField(_l("Which budget is it for?"),
                         validators=[InputRequired(_l("Choose a budget."))])
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give your proposal a title.")),
        Length(max=200, message=_l("Use at most %(max)d characters."))])
    description = TextAreaField(_l("Description"),
                                description=_l("What should be done, where, and for whom?"),
                                validators=[DataRequired(_l("Describe your proposal."))])
    cost = _euros(_l("Your estimate of the cost in euros"),
                  _l("City staff will check the estimate."))
    language = SelectField(_l("Language you are writing in"),
                           choices=[("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")])


NOT_FEASIBLE_HINT = _l("Needed when the proposal is not feasible.")


class ReviewForm(FlaskForm):
    decision = RadioField(_l("Feasibility"), choices=[
        ("feasible", _l("Feasible: put it on the ballot")),
        ("not_feasible", _l("Not feasible"))],
        validators=[InputRequired(_l("Choose feasible or not feasible."))])
    # Not "(optional)" in the labels: the field macro adds it to every optional field.
    reason_fi = TextAreaField(_l("Public reason in Finnish"), description=NOT_FEASIBLE_HINT)
    reason_sv = TextAreaField(_l("Public reason in Swedish"), description=NOT_FEASIBLE_HINT)
    reason_en = TextAreaField(_l("Public reason in English"))


class StatusForm(FlaskForm):
    status = RadioField(_l("New status"),
                        validators=[InputRequired(_l("Choose the new status."))])
    reason_fi = TextAreaField(_l("Public reason in Finnish (when cancelled)"))
    reason_sv = TextAreaField(_l("Public reason in Swedish (when cancelled)"))
    reason_en = TextAreaField(_l("Public reason in English"))


class MergeForm(FlaskForm):
    target = SelectField(_l("Merge into"), validators=[InputRequired(_l("Choose a proposal."))])


class ProgressUpdateForm(FlaskForm):
    happened_on = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date.")),
                                                    YearsBetween()])
    text_fi = TextAreaField(_l("Update in Finnish"))
    text_sv = TextAreaField(_l("Update in Swedish"))
    text_en = TextAreaField(_l("Update in English"))
    percent_done = IntegerField(_l("Progress in per cent"),
                                validators=[Optional(), Between(min=0, max=100,
                                                                    message=BETWEEN)])
    milestone = SelectField(_l("Milestone"), choices=[])
    planned_finish = DateField(_l("Planned completion"), validators=[Optional()])
    actual_finish = DateField(_l("Actual completion"), validators=[Optional()])
    cost_to_date = IntegerField(_l("Cost so far in euros"),
                                validators=[Optional(), Between(min=0, max=MAX_EUROS,
                                                                    message=BETWEEN)])
    photo = FileField(_l("Photo"), description=_l("JPEG or PNG, at most 6 MB."))
    alt_fi = StringField(_l("What the photo shows, in Finnish"), validators=[Length(max=300)])
    alt_sv = StringField(_l("What the photo shows, in Swedish"), validators=[Length(max=300)])

    def __init__(self, *args, **kwargs):
        from flask_babel import gettext

        from ..rounds.tracking import MILESTONES

        super().__init__(*args, **kwargs)
        self.milestone.choices = [("", gettext("No milestone"))] + [
            (key, str(label)) for key, label in MILESTONES.items()]


class VerifyVoterForm(FlaskForm):
    email = EmailField(_l("The person's email address"),
                       validators=[DataRequired(_l("Enter the email address."))])
    document = StringField(_l("Identity document checked"),
                           description=_l("For example: passport, identity card, driving "
                                          "licence."),
                           validators=[DataRequired(_l("Say which identity document you "
                                                       "checked.")), Length(max=200)])
    full_name = StringField(_l("Name as on the identity document"),
                            description=_l("Only a keyed hash of the name and date of birth "
                                           "is kept, so that the same person cannot also vote "
                                           "in person without an account."),
                            validators=[DataRequired(_l("Write the name as on the identity "
                                                        "document.")), Length(max=200)])
    birth_date = DateField(_l("Date of birth as on the identity document"),
                           validators=[DataRequired(_l("Give the date of birth."))])


class RegisterInPersonForm(VerifyVoterForm):
    email = EmailField(_l("The person's email address"),
                       description=_l("If the person has an account. Otherwise leave this "
                                      "empty and choose the home area below."),
                       validators=[Optional()])
    full_name = StringField(_l("Name as on the identity document"),
                            description=_l("Only a keyed hash of the name and date of birth "
                                           "is kept, to stop the same person voting twice "
                                           "(with or without an account)."),
                            validators=[Optional(), Length(max=200)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    home_area = SelectField(_l("Home area (no account)"), validate_choice=False)
    budget = SelectField(_l("Budget"), validators=[InputRequired(_l("Choose a budget."))])
    channel = RadioField(_l("How the person votes"), default="paper", choices=[
        ("paper", _l("On a paper ballot")), ("assisted", _l("With assistance"))])


class PaperBallotForm(FlaskForm):
    sheet_number = IntegerField(_l("Sheet number"),
                                validators=[InputRequired(WHOLE_NUMBER),
                                            Between(min=1, max=MAX_SHEET_NUMBER,
                                                        message=BETWEEN)])
    channel = RadioField(_l("Kind of sheet"), default="paper", choices=[
        ("paper", _l("Paper ballot")), ("assisted", _l("Assisted voting"))])


class ImportForm(FlaskForm):
    file = FileField(_l("Pabulib file (.pb)"))
    title = StringField(_l("Title of the simulation"), validators=[Length(max=200)])
