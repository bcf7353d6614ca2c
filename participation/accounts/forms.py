"""Account forms. Labels use lazy gettext; rules live in services.py."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)

from ..core.forms import YearField
from ..core.permissions import ROLE_LABELS, ROLES
from .passwords import password_problem

EMAIL_REQUIRED = _l("Enter your email address.")
EMAIL_FORMAT = _l("Enter an email address in the form name@example.fi.")
PASSWORD_REQUIRED = _l("Enter your password.")


class StrongPasswordMixin:
    """The service's password rule, checked in the form too so all errors show at once."""

    def validate_password(self, field):
        email = getattr(getattr(self, "email", None), "data", None) or ""
        name = getattr(getattr(self, "display_name", None), "data", None) or ""
        problem = password_problem(field.data or "", email=email, display_name=name)
        if problem:
            raise ValidationError(problem)


class BirthYearMixin:
    def validate_birth_year(self, field):
        from .services import age_problem

        confirm = getattr(self, "confirm_age", None)
        problem = age_problem(field.year, current_app.config["MINIMUM_REGISTRATION_AGE"],
                              confirmed=True if confirm is None else bool(confirm.data))
        if field.data and problem:
            raise ValidationError(problem)


class RegisterForm(StrongPasswordMixin, BirthYearMixin, FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(EMAIL_REQUIRED), Email(EMAIL_FORMAT), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    display_name = StringField(
        _l("Name shown to others"),
        description=_l("Your first name or a nickname is enough."),
        validators=[DataRequired(_l("Enter the name shown to others.")),
                    Length(max=80, message=_l("Use at most %(max)d characters."))],
        render_kw={"autocomplete": "nickname"},
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least 10 characters. A few unrelated words together work well."),
        validators=[DataRequired(_l("Choose a password."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Password again"),
        validators=[DataRequired(_l("Type the password again.")),
                    EqualTo("password", _l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    birth_year = YearField(
        _l("Year of birth"),
        description=_l("Used for age-group statistics and age limits, never shown to others."),
        validators=[DataRequired(_l("Enter your year of birth."))],
    )
    confirm_age = BooleanField(
        _l("I am at least 13 years old"),
        description=_l("Needed only if you turn 13 this year."),
    )
    home_area = SelectField(
        _l("Home area"),
        description=_l("The major area of Espoo where you live. Ideas and budgets are shown "
                       "for it first."),
        validators=[InputRequired(_l("Choose your home area."))],
    )
    preferred_language = SelectField(
        _l("Language of the service"),
        validators=[InputRequired(_l("Choose the language of the service."))],
    )
    email_notifications = BooleanField(_l("Send me email about my ideas and their answers"))
    accept_privacy = BooleanField(
        _l("I have read the privacy notice"),
        validators=[DataRequired(_l("Confirm that you have read the privacy notice."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(EMAIL_REQUIRED), Email(EMAIL_FORMAT)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(PASSWORD_REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(EMAIL_REQUIRED), Email(EMAIL_FORMAT)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(StrongPasswordMixin, FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters. A few unrelated words together work well."),
        validators=[DataRequired(_l("Choose a password."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the password again.")),
                    EqualTo("password", _l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileForm(BirthYearMixin, FlaskForm):
    display_name = StringField(
        _l("Name shown to others"),
        validators=[DataRequired(_l("Enter the name shown to others.")),
                    Length(max=80, message=_l("Use at most %(max)d characters."))],
        render_kw={"autocomplete": "nickname"},
    )
    birth_year = YearField(
        _l("Year of birth"),
        validators=[DataRequired(_l("Enter your year of birth."))],
    )
    home_area = SelectField(
        _l("Home area"), validators=[InputRequired(_l("Choose your home area."))]
    )
    preferred_language = SelectField(
        _l("Language of the service"),
        validators=[InputRequired(_l("Choose the language of the service."))],
    )
    email_notifications = BooleanField(_l("Send me email about my ideas and their answers"))


class ChangePasswordForm(StrongPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(PASSWORD_REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    password = ResetPasswordForm.password
    confirm_password = ResetPasswordForm.confirm_password


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        description=_l("To confirm that it is you."),
        validators=[DataRequired(PASSWORD_REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("I understand that my account will be deleted and cannot be restored"),
        validators=[DataRequired(_l("Tick the box to confirm the deletion."))],
    )


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[(role, ROLE_LABELS[role]) for role in ROLES if role != "resident"],
    )
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(_l("Give a reason for the change.")), Length(max=300)],
    )
