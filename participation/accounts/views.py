"""Account pages: register, log in and out, reset a password, profile, my data, delete."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..core.exceptions import ServiceError
from ..core.forms import area_choices, language_choices, optional_int
from ..core.links import external_url
from ..core.mail import send_mail
from ..core.permissions import login_required, public
from ..core.rendering import render_form
from ..core.security import safe_next
from ..extensions import db, limiter
from ..i18n import select_locale
from . import services
from .forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)

bp = Blueprint("accounts", __name__)

LOGIN_FAILED = _l("The email address or password is not correct.")


def show_service_error(form, error: ServiceError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _profile_choices(form) -> None:
    form.home_area.choices = area_choices(blank_label=_("Choose an area"))
    form.preferred_language.choices = language_choices()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = RegisterForm()
    _profile_choices(form)
    if request.method == "GET":
        form.preferred_language.data = select_locale()
    if form.validate_on_submit():
        data = services.Registration(
            email=form.email.data,
            display_name=form.display_name.data,
            password=form.password.data,
            birth_year=form.birth_year.year,
            home_area_id=optional_int(form.home_area.data),
            preferred_language=form.preferred_language.data,
            accepted_privacy_notice=form.accept_privacy.data,
            email_notifications=form.email_notifications.data,
            confirmed_minimum_age=form.confirm_age.data,
        )
        try:
            user = services.register(
                data, minimum_age=current_app.config["MINIMUM_REGISTRATION_AGE"]
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome, %(name)s! Your account has been created.", name=user.display_name),
                  "success")
            return redirect(url_for("core.home"))
    return render_form("accounts/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@public
def login():
    next_url = safe_next(request.args.get("next"), url_for("core.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(LOGIN_FAILED)
        else:
            db.session.commit()
            login_user(user)
            flash(_("You are logged in."), "success")
            return redirect(next_url)
    return render_form("accounts/login.html", form, next_url=next_url)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        # Every session of the person ends, not only this cookie (a copy of it stops working).
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    flash(_("You have logged out."), "success")
    return redirect(url_for("core.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            token = services.make_reset_token(user, current_app.config["SECRET_KEY"])
            link = external_url("accounts.reset_password", token=token)
            send_mail(
                user.email,
                _("Reset your Osallistu Espoo password"),
                render_template("email/reset_password.txt", user=user, link=link),
                immediately=True,  # nothing is stored: the token is signed, not saved
            )
        # The same answer whether or not the address has an account.
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_form("accounts/forgot.html", form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def reset_password(token: str):
    config = current_app.config
    try:
        user = services.user_for_reset_token(
            token, config["SECRET_KEY"], config["PASSWORD_RESET_MAX_AGE"]
        )
    except ServiceError as error:
        return render_template(
            "accounts/reset_invalid.html", message=error.message, form=ForgotPasswordForm()
        ), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password has been changed. You can now log in."), "success")
            return redirect(url_for("accounts.login"))
    return render_form("accounts/reset.html", form, token=token)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=None if request.method == "POST" else current_user)
    _profile_choices(form)
    if request.method == "GET":
        form.home_area.data = str(current_user.home_area_id or "")
        form.birth_year.data = str(current_user.birth_year or "")
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                display_name=form.display_name.data,
                birth_year=form.birth_year.year,
                home_area_id=optional_int(form.home_area.data),
                preferred_language=form.preferred_language.data,
                email_notifications=form.email_notifications.data,
                minimum_age=current_app.config["MINIMUM_REGISTRATION_AGE"],
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Your details have been saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_form("accounts/profile.html", form)


@bp.route("/profile/password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            # The change ended every session; this one goes on under the new session version.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_form("accounts/change_password.html", form)


@bp.route("/profile/my-data.json")
@limiter.limit("20 per hour")
@login_required
def download_data():
    data = services.export_personal_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="osallistu-espoo-my-data.json"'},
    )


@bp.route("/profile/delete", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            logout_user()
            return render_template("accounts/deleted.html")
    return render_form("accounts/delete.html", form)
