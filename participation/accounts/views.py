"""Account pages: register, log in and out, reset a password, profile, my data, delete."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..core.exceptions import ServiceError
from ..core.forms import area_choices, interface_choices, optional_int, show_service_error
from ..core.links import external_url
from ..core.mail import send_mail
from ..core.permissions import login_required, public
from ..core.rendering import render_form
from ..core.security import safe_next
from ..extensions import db, limiter
from ..i18n import preferred_interface, use_language
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
VERIFY_MAX_AGE = 7 * 24 * 60 * 60  # how long the link mailed at registration works
YOUNGEST_VOTING_AGE = 12  # rounds may let people vote from 12; accounts start at 13 (config)


def _profile_choices(form) -> None:
    form.home_area.choices = area_choices(blank_label=_("Choose an area"))
    form.preferred_language.choices = interface_choices()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = RegisterForm()
    _profile_choices(form)
    if request.method == "GET":
        form.preferred_language.data = preferred_interface()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
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
        except services.EmailTaken:
            # The same page as for a new account; the owner learns of it by mail.
            owner = services.find_user_by_email(email)
            response = make_response(render_template("accounts/register_sent.html",
                                                     email=email))
            return _mail_after_response(response, owner, "email/register_existing.txt",
                                        _l("Someone tried to register with your address"))
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            response = make_response(render_template("accounts/register_sent.html",
                                                     email=email))
            return _mail_verification(response, user)
    return render_form("accounts/register.html", form, account_age=current_app.config[
        "MINIMUM_REGISTRATION_AGE"], voting_age=YOUNGEST_VOTING_AGE)


def _mail_after_response(response: Response, user, template: str, subject, **values):
    """Send `template` to `user` once the response has gone out, so the time a request takes
    does not tell whether an address has an account (the mail server is slow; the page not).

    Mail goes through core.mail as usual (and so through its queue, where there is one)."""
    if user is None or not user.is_active:
        return response
    app = current_app._get_current_object()
    with use_language(user.preferred_language):
        body = render_template(template, user=user, **values)
        subject = str(subject)
    to = user.email  # read now: the database session is gone when the mail leaves

    def send() -> None:
        with app.app_context():
            send_mail(to, subject, body, immediately=True)

    response.call_on_close(send)
    return response


def _mail_verification(response: Response, user):
    token = services.make_verification_token(user, current_app.config["SECRET_KEY"])
    return _mail_after_response(
        response, user, "email/verify_email.txt", _l("Confirm your email address"),
        link=external_url("accounts.verify_email", token=token),
        days=VERIFY_MAX_AGE // (24 * 60 * 60))


@bp.route("/email/verify/<token>")
@limiter.limit("30 per hour")
@public
def verify_email(token: str):
    """The link mailed at registration: the address works, so the account may take part."""
    try:
        user = services.verify_email(token, current_app.config["SECRET_KEY"], VERIFY_MAX_AGE)
    except ServiceError as error:
        return render_template("accounts/verify_invalid.html", message=error.message), 400
    db.session.commit()
    flash(_("Thank you, your email address is confirmed."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("accounts.profile"))
    return redirect(url_for("accounts.login"))


@bp.route("/profile/verify-email", methods=["POST"])
@limiter.limit("5 per hour")
@login_required
def resend_verification():
    if current_user.email_verified:
        flash(_("Your email address is already confirmed."), "info")
        return redirect(url_for("accounts.profile"))
    flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email),
          "success")
    return _mail_verification(redirect(url_for("accounts.profile")),
                              current_user._get_current_object())


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
        # The same answer, in the same time, whether or not the address has an account: the
        # mail (a signed token, nothing stored) leaves after the response.
        response = make_response(render_template("accounts/forgot_sent.html",
                                                 email=form.email.data))
        if user is None or not user.is_active:
            return response
        token = services.make_reset_token(user, current_app.config["SECRET_KEY"])
        return _mail_after_response(
            response, user, "email/reset_password.txt", _l("Reset your Osallistu Espoo password"),
            link=external_url("accounts.reset_password", token=token))
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
