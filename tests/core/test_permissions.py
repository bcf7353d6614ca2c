"""Every route declares its access rule, and every protected one refuses those without it."""

from __future__ import annotations

from participation.core.permissions import ROLES, access_rule
from tests.routes import placeholder_url


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, access_rule(app.view_functions[rule.endpoint])


def _methods(rule):
    return sorted(rule.methods & {"GET", "POST"})


def test_every_view_declares_an_access_rule(app):
    missing = [rule.rule for rule, access in _rules(app) if access is None]
    assert missing == [], f"views without @public/@login_required/@roles_required: {missing}"


def test_access_rules_name_known_roles(app):
    for _rule, access in _rules(app):
        assert access[0] in {"public", "login", "roles"}
        if access[0] == "roles":
            assert set(access[1]) <= set(ROLES)


def test_protected_routes_refuse_anonymous_users(app, client):
    problems = []
    for rule, access in _rules(app):
        if access[0] == "public":
            continue
        url = placeholder_url(app, rule)
        for method in _methods(rule):
            response = client.open(url, method=method)
            to_login = response.status_code == 302 and "/login" in response.headers["Location"]
            if not (to_login or response.status_code in (401, 403)):
                problems.append((method, url, response.status_code))
    assert problems == []


def test_role_routes_refuse_users_without_the_role(app, client, factory, auth):
    role_rules = [(rule, access) for rule, access in _rules(app) if access[0] == "roles"]
    assert role_rules, "expected at least the admin pages to be role-protected"
    for role in ROLES:
        outsiders = [(r, a) for r, a in role_rules if role not in a[1] and role != "admin"]
        if not outsiders:
            continue
        person = factory.user(roles=() if role == "resident" else (role,))
        auth.login(person.email)
        problems = []
        for rule, _access in outsiders:
            url = placeholder_url(app, rule)
            for method in _methods(rule):
                status = client.open(url, method=method).status_code
                if status != 403:
                    problems.append((role, method, url, status))
        auth.logout()
        assert problems == []


def test_admin_passes_role_checks(app, client, factory, auth):
    admin = factory.user(roles=("admin",))
    auth.login(admin.email)
    assert client.get("/admin/users").status_code == 200
