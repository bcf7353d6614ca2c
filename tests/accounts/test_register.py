"""Registration: the happy path and every refusal, with the user's input kept."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import User
from participation.extensions import db
from participation.indicators.models import ParticipationEvent  # noqa: F401

GOOD_PASSWORD = "kolme iloista sanaa"


def form(factory, **overrides):
    data = {
        "email": "uusi.asukas@example.org",
        "display_name": "Uusi Asukas",
        "password": GOOD_PASSWORD,
        "confirm_password": GOOD_PASSWORD,
        "birth_year": "1990",
        "home_area": str(factory.area_id(3)),
        "preferred_language": "sv",
        "accept_privacy": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_register_creates_account_and_asks_to_check_email(app, client, factory):
    response = client.post("/register", data=form(factory, email="Uusi.Asukas@Example.org"),
                           buffered=True, headers={"Accept-Language": "en"})
    assert response.status_code == 200 and "Check your email" in response.text
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email="uusi.asukas@example.org"))
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert GOOD_PASSWORD not in user.password_hash
        assert user.home_area.code == 3 and user.preferred_language == "sv"
        assert user.privacy_accepted_at is not None
        assert user.roles == {"resident"}
        assert user.email_verified_at is None  # until the mailed link is opened
    assert client.get("/profile").status_code == 302  # not logged in: the address is unproven


def _errors(response) -> str:
    return response.get_data(as_text=True)


def test_a_taken_email_gets_the_same_page_and_the_owner_is_mailed(app, client, factory, outbox):
    """Registering must not tell whether an address has an account (the owner hears of it)."""
    from email import message_from_bytes
    from email.policy import default as policy

    factory.user(email="taken@example.org", language="en")
    taken = client.post("/register", buffered=True, headers={"Accept-Language": "en"},
                        data=form(factory, email="TAKEN@example.org", display_name="Other"))
    new = client.post("/register", buffered=True, headers={"Accept-Language": "en"},
                      data=form(factory, email="new.one@example.org", display_name="Other"))
    assert taken.status_code == new.status_code == 200
    assert taken.text.replace("taken@example.org", "X") == new.text.replace(
        "new.one@example.org", "X")
    mails = {m["To"]: m for m in (message_from_bytes(p.read_bytes(), policy=policy)
                                  for p in outbox.glob("*.eml"))}
    assert set(mails) == {"taken@example.org", "new.one@example.org"}
    owner = mails["taken@example.org"].get_content()
    assert "You already have an account" in owner
    assert "http://127.0.0.1:5000/password/forgot" in owner
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_weak_passwords_refused(client, factory):
    for password, words in [("short", "at least 10 characters"),
                            ("salasana123", "too easy to guess"),
                            ("aaaaaaaaaaaa", "too easy to guess"),
                            ("uusi.asukas-2026", "your name or email")]:
        response = client.post("/register", data=form(factory, password=password,
                                                      confirm_password=password),
                               headers={"Accept-Language": "en"})
        assert response.status_code == 422, password
        assert words in _errors(response), password


def test_passwords_must_match(client, factory):
    response = client.post("/register", data=form(factory, confirm_password="something else"),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422 and "The passwords do not match" in _errors(response)


def test_under_13_refused_with_reason(app, client, factory):
    from participation.core.types import utcnow

    too_young = str(utcnow().year - 12)
    response = client.post("/register", data=form(factory, birth_year=too_young),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = _errors(response)
    assert "You can register when you are 13 years old" in html
    assert "guardian" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_turning_13_this_year_needs_confirmation(client, factory):
    from participation.core.types import utcnow

    year = str(utcnow().year - 13)
    unconfirmed = client.post("/register", data=form(factory, birth_year=year),
                              headers={"Accept-Language": "en"})
    assert unconfirmed.status_code == 422
    assert f"If you were born in {year}, tick the box" in _errors(unconfirmed)
    confirmed = client.post("/register", data=form(factory, birth_year=year, confirm_age="y"))
    assert confirmed.status_code == 200 and 'class="error-summary"' not in confirmed.text


def test_nonsense_birth_years(client, factory):
    for year in ("19x0", "85", "1850", "3000", ""):
        response = client.post("/register", data=form(factory, birth_year=year))
        assert response.status_code == 422, year


def test_privacy_notice_must_be_accepted(client, factory):
    response = client.post("/register", data=form(factory, accept_privacy=None),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "Confirm that you have read the privacy notice." in _errors(response)


def test_unknown_area_and_language_refused(client, factory):
    assert client.post("/register", data=form(factory, home_area="999")).status_code == 422
    assert client.post("/register", data=form(factory, preferred_language="xx")).status_code \
        == 422


def test_bad_email(client, factory):
    response = client.post("/register", data=form(factory, email="not-an-email"),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "Enter an email address in the form name@example.fi." in _errors(response)


def test_registration_is_rate_limited(client, factory):
    statuses = [client.post("/register", data=form(factory, email=f"p{i}@example.org",
                                                   birth_year="2099")).status_code
                for i in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def test_register_page_preselects_interface_language(client):
    html = client.get("/register", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert '<option selected value="sv">' in html


def test_register_page_explains_the_age_limits_up_front(client):
    html = client.get("/register", headers={"Accept-Language": "en"}).text
    assert "You can create an account if you are 13 or older." in html
    assert "open from the age of 12" in html and "without an account" in html
