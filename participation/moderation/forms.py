"""Moderation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import Between
from .reasons import ACTION_REASONS, DECISION_REASONS, FLAG_REASONS
from .services import DETAILS_MAX, MAX_BAN_DAYS, NOTE_MAX

ACTION_LABELS = {
    "approve": _l("Approve: the content is fine"),
    "hide": _l("Hide: show the reason in its place"),
    "restore": _l("Restore hidden content"),
    "redact": _l("Edit out personal data"),
    "lock_comments": _l("Lock comments"),
    "unlock_comments": _l("Unlock comments"),
    "ban": _l("Ban from writing"),
    "lift_ban": _l("Lift a ban"),
    "auto_hold": _l("Held automatically"),
    "dismiss_appeal": _l("Answer read, decision stands"),
}
REASON_REQUIRED = _l("Choose a reason for the decision.")
# Upper bounds for any content type; each type's own limit is checked by the service.
REDACT_TITLE_MAX = 300
REDACT_TEXT_MAX = 20000


def decision_reason_choices(*actions: str):
    """The reasons to offer; with `actions`, only those that fit one of them."""
    return [("", _l("Choose a reason"))] + [
        (code, label) for code, (label, _public) in DECISION_REASONS.items()
        if not actions or any(code in ACTION_REASONS[action] for action in actions)
    ]


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("Why are you reporting this?"),
        choices=list(FLAG_REASONS.items()),
        validators=[InputRequired(_l("Choose why you are reporting this."))],
    )
    details = TextAreaField(
        _l("More details"),
        description=_l("Required if you chose 'Something else'. Moderators see this, the "
                       "author does not."),
        validators=[Optional(), Length(max=DETAILS_MAX,
                                       message=_l("Use at most %(max)d characters."))],
    )


class DecisionForm(FlaskForm):
    action = RadioField(_l("Decision"),
                        validators=[InputRequired(_l("Choose what to do."))])
    reason = SelectField(_l("Reason"), validators=[DataRequired(REASON_REQUIRED)])
    note = TextAreaField(
        _l("Note for the audit trail"),
        description=_l("Required when the reason is 'Other reason'. Shown to moderators and "
                       "to the author, not publicly."),
        validators=[Optional(), Length(max=NOTE_MAX,
                                       message=_l("Use at most %(max)d characters."))],
    )
    new_title = StringField(
        _l("Title with the personal data edited out"),
        description=_l("Only for 'Edit out personal data', and only if the title needs it."),
        validators=[Optional(), Length(max=REDACT_TITLE_MAX,
                                       message=_l("Use at most %(max)d characters."))],
    )
    new_text = TextAreaField(
        _l("Text with the personal data edited out"),
        description=_l("Only for 'Edit out personal data'. The original text is kept in the "
                       "audit trail for moderators."),
        validators=[Optional(), Length(max=REDACT_TEXT_MAX,
                                       message=_l("Use at most %(max)d characters."))],
    )


class BanForm(FlaskForm):
    days = IntegerField(
        _l("Length of the ban in days"),
        validators=[InputRequired(_l("Give the length of the ban in days.")),
                    Between(min=1, max=MAX_BAN_DAYS,
                                message=_l("Give a number of days from 1 to %(max)s."))],
    )
    reason = SelectField(_l("Reason"), validators=[DataRequired(REASON_REQUIRED)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)])


class LiftBanForm(FlaskForm):
    reason = SelectField(_l("Reason"), validators=[DataRequired(REASON_REQUIRED)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)])


class AppealForm(FlaskForm):
    text = TextAreaField(
        _l("Your answer to the moderators"),
        description=_l("Tell us why you think the decision should be changed."),
        validators=[DataRequired(_l("Write your answer to the moderators.")),
                    Length(max=DETAILS_MAX, message=_l("Use at most %(max)d characters."))],
    )


class WordListForm(FlaskForm):
    text = TextAreaField(_l("Entries, one a line"), validators=[Optional()])
    reason = StringField(_l("Reason for the change"),
                         validators=[DataRequired(_l("Give a reason for the change.")),
                                     Length(max=300)])


class BulkDecisionForm(FlaskForm):
    """One decision for the items selected in the queue (the items come as `items`)."""

    action = RadioField(_l("Decision for the selected items"),
                        choices=[("approve", ACTION_LABELS["approve"]),
                                 ("hide", ACTION_LABELS["hide"])],
                        validators=[Optional()])
    reason = SelectField(_l("Reason"), validators=[Optional()], validate_choice=False)
    note = TextAreaField(
        _l("Note for the audit trail"),
        description=_l("Required when the reason is 'Other reason'. Saved with each item's "
                       "decision."),
        validators=[Optional(), Length(max=NOTE_MAX,
                                       message=_l("Use at most %(max)d characters."))],
    )
