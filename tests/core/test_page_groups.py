"""Every template and module belongs to a page group, every page (endpoint) knows its group,
the templates a page renders are in that group's reach, and the compiled manifest matches a
fresh extraction."""

from __future__ import annotations

import json

import pytest
from flask import template_rendered

from participation.catalogues import MANIFEST_NAME, build_manifest
from participation.config import ROOT
from participation.pagegroups import (
    ENDPOINTS,
    GROUPS,
    RESIDENT_GROUPS,
    SOURCES,
    endpoint_group,
    group_of,
    reach,
    source_files,
)
from participation.translate import TRANSLATIONS


def test_every_template_and_module_is_mapped_to_a_group():
    files = source_files(ROOT)
    assert "templates/_macros/forms.html" in files and "templates/email/verify_email.txt" in files
    assert len(files) > 250
    unmapped = [path for path in files if group_of(path) is None]
    assert unmapped == [], f"add these to pagegroups.SOURCES: {unmapped}"


def test_every_pattern_names_files_that_exist():
    """A file moved (budgeting's sub-packages) must not leave its pattern behind: the file
    would fall through to a broader pattern and land in another group."""
    files = source_files(ROOT)
    stale = [pattern for pattern, _group in SOURCES
             if not any(group_of_pattern_matches(pattern, path) for path in files)]
    assert stale == []


def group_of_pattern_matches(pattern: str, path: str) -> bool:
    from fnmatch import fnmatchcase

    return fnmatchcase(path, pattern)


def test_a_new_top_level_module_is_not_mapped_by_accident():
    assert group_of("participation/newthing.py") is None
    assert group_of("templates/newdomain/page.html") is None


def test_groups_are_declared_once_and_the_resident_ones_are_the_residents_pages():
    used = {group for _pattern, group in SOURCES} | set(ENDPOINTS.values())
    assert used <= set(GROUPS)
    assert set(RESIDENT_GROUPS) == {"common", "statements", "ideas", "budgeting", "hearings",
                                    "accounts", "email"}
    for group in GROUPS.values():
        assert set(group.extends) <= set(GROUPS)
        assert "common" in reach(group.key)


@pytest.mark.parametrize(("path", "group"), [
    ("templates/base.html", "common"),
    ("templates/_macros/forms.html", "common"),
    ("templates/errors/error.html", "common"),
    ("templates/core/home.html", "common"),
    ("templates/core/privacy.html", "statements"),
    ("templates/core/accessibility.html", "statements"),
    ("templates/budgeting/ballot.html", "budgeting"),
    ("templates/budgeting/manage/index.html", "budgeting_manage"),
    ("templates/hearings/manage/edit.html", "hearings_manage"),
    ("templates/moderation/queue.html", "moderation"),
    ("templates/moderation/_ban_notice.html", "common"),
    ("templates/email/reset_password.txt", "email"),
    ("templates/ideas/email_status.txt", "email"),
    ("templates/indicators/staff.html", "indicators_staff"),
    ("templates/admin/users.html", "admin"),
    ("templates/jobs/failures.html", "jobs"),
    ("participation/budgeting/web/manage.py", "budgeting_manage"),
    ("participation/budgeting/voting/paper.py", "budgeting_manage"),
    ("participation/budgeting/web/forms.py", "budgeting"),
    ("participation/core/errors.py", "common"),
])
def test_files_land_in_the_expected_group(path, group):
    assert group_of(path) == group


@pytest.mark.parametrize(("endpoint", "group"), [
    ("core.home", "common"),
    ("core.privacy", "statements"),
    ("ideas.index", "ideas"),
    ("ideas.change_status", "moderation"),
    ("notifications.index", "ideas"),
    ("budgeting.vote", "budgeting"),
    ("budgeting.results", "budgeting"),
    ("budgeting.manage", "budgeting_manage"),
    ("budgeting.paper_ballot", "budgeting_manage"),
    ("hearings.answer", "hearings"),
    ("hearings.manage", "hearings_manage"),
    ("accounts.register", "accounts"),
    ("admin.users", "admin"),
    ("themes.index", "admin"),
    ("moderation.queue_page", "moderation"),
    ("moderation.report", "common"),
    ("indicators.overview", "figures"),
    ("indicators.staff", "indicators_staff"),
    ("jobs.failures", "jobs"),
    ("api.ideas", "api"),
])
def test_each_endpoint_knows_its_group(app, endpoint, group):
    assert endpoint_group(app, endpoint) == group


def test_every_endpoint_has_a_group(app):
    missing = [rule.endpoint for rule in app.url_map.iter_rules()
               if endpoint_group(app, rule.endpoint) not in GROUPS]
    assert missing == []


RESIDENT_PAGES = ["/", "/privacy", "/accessibility", "/ideas", "/budgeting/", "/hearings/",
                  "/login", "/register", "/password/forgot", "/no-such-page"]
SIGNED_IN_PAGES = ["/ideas/new", "/profile", "/notifications", "/my/ideas"]


def test_templates_a_resident_page_renders_are_in_its_groups_reach(app, client, factory,
                                                                   auth):
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    outside = []
    with template_rendered.connected_to(record, app):
        for path in [*RESIDENT_PAGES, None, *SIGNED_IN_PAGES]:
            if path is None:
                auth.login(factory.user().email)
                continue
            rendered.clear()
            assert client.get(path).status_code in (200, 404)
            assert rendered, path
            group = _group_for(app, path)
            for name in rendered:
                if group_of(f"templates/{name}") not in reach(group):
                    outside.append((path, name, group))
    assert outside == []


def _group_for(app, path):
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(path)
    except Exception:  # a 404 page: the common group
        return "common"
    return endpoint_group(app, endpoint)


def test_compiled_manifest_matches_a_fresh_extraction():
    """`participation translate compile` writes it; a template changed since needs a compile."""
    path = TRANSLATIONS / MANIFEST_NAME
    assert path.exists(), "run `participation translate compile`"
    assert json.loads(path.read_text(encoding="utf-8")) == build_manifest()


def test_an_included_template_counts_in_the_including_templates_group():
    manifest = {msgid: set(groups) for msgid, _plural, groups in build_manifest()["messages"]}
    # templates/_macros/forms.html (common) is imported by the ballot and staff pages alike.
    assert "common" in manifest["Please check the form"]
    assert "budgeting" in manifest["Please check the form"]
