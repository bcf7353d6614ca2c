"""Hearing forms. Labels use lazy gettext; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from .models import TEXT_MAX
from .services import CODE_LENGTH, SESSION_CAP_MAX, SESSION_HOURS_MAX

WHOLE_NUMBER = _l("Enter a whole number.")
BETWEEN = _l("Enter a number from %(min)s to %(max)s.")
KIND_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "scale": _l("Scale 1–5"),
    "text": _l("Free text"),
    "ranking": _l("Ranking"),
    "area": _l("Choice of area"),
    "district": _l("Choice of district"),
}


def _number(label, minimum, maximum, description=None, required=True):
    first = InputRequired(WHOLE_NUMBER) if required else Optional()
    return IntegerField(label, description=description,
                        validators=[first, NumberRange(min=minimum, max=maximum,
                                                       message=BETWEEN)])


class HearingForm(FlaskForm):
    title_fi = StringField(_l("Title in Finnish"), validators=[Length(max=200)])
    title_sv = StringField(_l("Title in Swedish"), validators=[Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    intro_fi = TextAreaField(_l("Introduction in Finnish"), validators=[Length(max=5000)])
    intro_sv = TextAreaField(_l("Introduction in Swedish"), validators=[Length(max=5000)])
    intro_en = TextAreaField(_l("Introduction in English"), validators=[Length(max=5000)])
    plain_fi = TextAreaField(_l("Plain-language introduction in Finnish"),
                             validators=[Length(max=5000)])
    plain_sv = TextAreaField(_l("Plain-language introduction in Swedish"),
                             validators=[Length(max=5000)])
    plain_en = TextAreaField(_l("Plain-language introduction in English"),
                             validators=[Length(max=5000)])
    organiser = StringField(_l("Youth council or unit responsible"),
                            validators=[DataRequired(_l("Name who is responsible.")),
                                        Length(max=200)])
    contact_name = StringField(_l("Contact person"),
                               validators=[DataRequired(_l("Name a contact person.")),
                                           Length(max=200)])
    contact_email = EmailField(_l("Contact person's email"),
                               validators=[Optional(), Email(_l("Enter a valid email address.")),
                                           Length(max=254)])
    min_age = _number(_l("Youngest age"), 0, 120)
    max_age = _number(_l("Oldest age"), 0, 120)
    area_ids = SelectMultipleField(_l("Target areas (choose none for the whole city)"))
    opens_at = DateTimeLocalField(_l("Opens (Espoo time)"), format="%Y-%m-%dT%H:%M",
                                  validators=[DataRequired(_l("Enter a date and time."))])
    closes_at = DateTimeLocalField(_l("Closes (Espoo time)"), format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(_l("Enter a date and time."))])
    feedback_due = DateField(_l("Feedback due"),
                             validators=[DataRequired(_l("Enter a date."))])
    ask_background = BooleanField(_l("Ask optional background questions (age group, area, "
                                     "language at home)"), default=True)


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Question type"), choices=list(KIND_LABELS.items()))
    required = BooleanField(_l("An answer is required"))
    text_fi = StringField(_l("Question in Finnish"), validators=[Length(max=500)])
    text_sv = StringField(_l("Question in Swedish"), validators=[Length(max=500)])
    text_en = StringField(_l("Question in English"), validators=[Length(max=500)])
    plain_fi = StringField(_l("Plain-language question in Finnish"),
                           validators=[Length(max=500)])
    plain_sv = StringField(_l("Plain-language question in Swedish"),
                           validators=[Length(max=500)])
    plain_en = StringField(_l("Plain-language question in English"),
                           validators=[Length(max=500)])
    options_fi = TextAreaField(_l("Answer options in Finnish"),
                               description=_l("One option a line. For choice and ranking "
                                              "questions."), validators=[Length(max=3000)])
    options_sv = TextAreaField(_l("Answer options in Swedish"), validators=[Length(max=3000)])
    options_en = TextAreaField(_l("Answer options in English"), validators=[Length(max=3000)])
    max_choices = _number(_l("Most options one may choose or rank"), 1, 50, required=False)
    max_length = _number(_l("Longest free-text answer (characters)"), 1, TEXT_MAX,
                         required=False)
    low_fi = StringField(_l("Label of 1 in Finnish"), validators=[Length(max=100)])
    low_sv = StringField(_l("Label of 1 in Swedish"), validators=[Length(max=100)])
    low_en = StringField(_l("Label of 1 in English"), validators=[Length(max=100)])
    high_fi = StringField(_l("Label of 5 in Finnish"), validators=[Length(max=100)])
    high_sv = StringField(_l("Label of 5 in Swedish"), validators=[Length(max=100)])
    high_en = StringField(_l("Label of 5 in English"), validators=[Length(max=100)])
    show_if_option_id = SelectField(_l("Show only when an earlier answer is"))


class SessionForm(FlaskForm):
    group_name = StringField(_l("Group (school and class, or youth centre)"),
                             validators=[DataRequired(_l("Name the group.")), Length(max=200)])
    cap = _number(_l("Most answers"), 1, SESSION_CAP_MAX)
    hours = _number(_l("Code valid for (hours)"), 1, SESSION_HOURS_MAX)


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the code.")),
                                               Length(max=CODE_LENGTH + 4)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false"})


class AnswerForm(FlaskForm):
    """CSRF and the optional email; the questions themselves are read by answering.py."""

    email = EmailField(_l("Your email, if you want to hear about the feedback"),
                       description=_l("Used only to send you the feedback, then erased."),
                       validators=[Optional(), Email(_l("Enter a valid email address.")),
                                   Length(max=254)])


class FeedbackForm(FlaskForm):
    question_id = SelectField(_l("Question"))
    theme_fi = StringField(_l("Theme in Finnish"), validators=[Length(max=200)])
    theme_sv = StringField(_l("Theme in Swedish"), validators=[Length(max=200)])
    theme_en = StringField(_l("Theme in English"), validators=[Length(max=200)])
    heard_fi = TextAreaField(_l("What we heard, in Finnish"), validators=[Length(max=5000)])
    heard_sv = TextAreaField(_l("What we heard, in Swedish"), validators=[Length(max=5000)])
    heard_en = TextAreaField(_l("What we heard, in English"), validators=[Length(max=5000)])
    action_fi = TextAreaField(_l("What we will do, in Finnish"), validators=[Length(max=5000)])
    action_sv = TextAreaField(_l("What we will do, in Swedish"), validators=[Length(max=5000)])
    action_en = TextAreaField(_l("What we will do, in English"), validators=[Length(max=5000)])
    link_url = StringField(_l("Link to the decision or follow-up"),
                           validators=[Length(max=500)])
    idea_id = _number(_l("Number of an idea on this site"), 1, 2**31 - 1, required=False)
    proposal_id = _number(_l("Number of a budgeting proposal on this site"), 1, 2**31 - 1,
                          required=False)


class ActionForm(FlaskForm):
    """A button that changes something: CSRF only."""

