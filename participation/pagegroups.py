"""Page groups: every template and module belongs to one, and so does every page (endpoint).

A language is used for a page only if every message reachable from the page's group is
translated in it (participation/catalogues.py computes that from the catalogues). Resident
groups are the pages residents use; they must be complete in every offered language. Staff
groups may stay in Finnish, Swedish and English.

Declared here, nowhere else:
- GROUPS: the groups, whether residents use them, and which other groups' messages their pages
  show (every group extends `common`: the layout, the forms' macros, the error pages).
- SOURCES: path patterns (fnmatch, relative to the project root, first match wins) mapping
  every .py, .html and .txt file to its group. tests/core/test_page_groups.py fails on a file
  no pattern maps.
- ENDPOINTS: pages whose group is not their view module's (a view module serving residents
  and staff); every other endpoint takes the group of the module its view function is in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

COMMON = "common"


@dataclass(frozen=True)
class PageGroup:
    key: str
    label: str  # for the report (the command line speaks English)
    resident: bool
    extends: tuple[str, ...] = ()


GROUPS = {group.key: group for group in (
    PageGroup(COMMON, "Home and common (layout, forms, errors, reports)", True),
    PageGroup("statements", "Privacy and accessibility statements", True),
    PageGroup("ideas", "Ideas", True),
    PageGroup("budgeting", "Participatory budgeting (ballot, results, proposals)", True),
    PageGroup("hearings", "Youth hearings", True),
    PageGroup("accounts", "Accounts", True),
    # Emails quote the resident pages' texts (statuses, reasons, round names).
    PageGroup("email", "Emails", True, ("ideas", "budgeting", "hearings", "accounts")),
    PageGroup("figures", "Participation in figures (public)", False),
    PageGroup("moderation", "Moderation (staff)", False),
    PageGroup("budgeting_manage", "Budgeting management (staff)", False),
    PageGroup("hearings_manage", "Hearings management (staff)", False),
    PageGroup("indicators_staff", "Indicators staff pages", False),
    PageGroup("admin", "Administration", False),
    PageGroup("jobs", "Jobs", False),
    PageGroup("api", "Open data API", False),
)}
RESIDENT_GROUPS = tuple(key for key, group in GROUPS.items() if group.resident)

SOURCES = (
    # Staff pages and the modules only they use.
    ("templates/budgeting/manage/*", "budgeting_manage"),
    ("participation/budgeting/web/manage.py", "budgeting_manage"),
    ("participation/budgeting/web/paper.py", "budgeting_manage"),
    ("participation/budgeting/web/staff_proposals.py", "budgeting_manage"),
    ("participation/budgeting/voting/paper.py", "budgeting_manage"),
    ("participation/budgeting/results/pabulib.py", "budgeting_manage"),
    ("participation/budgeting/voting/closing.py", "budgeting_manage"),
    ("participation/budgeting/voting/ending.py", "budgeting_manage"),
    ("participation/budgeting/*cli.py", "budgeting_manage"),
    ("participation/budgeting/demo.py", "budgeting_manage"),
    ("templates/hearings/manage/*", "hearings_manage"),
    ("templates/hearings/print.html", "hearings_manage"),
    ("participation/hearings/views_manage.py", "hearings_manage"),
    ("participation/hearings/views_feedback.py", "hearings_manage"),
    ("participation/hearings/cli.py", "hearings_manage"),
    ("participation/hearings/demo.py", "hearings_manage"),
    ("templates/ideas/admin_theme*", "admin"),
    ("participation/ideas/theme_admin.py", "admin"),
    ("participation/ideas/themes.py", "admin"),
    ("participation/ideas/cli.py", "admin"),
    ("participation/ideas/demo.py", "admin"),
    ("templates/ideas/status.html", "moderation"),
    ("participation/ideas/staff_views.py", "moderation"),
    ("templates/indicators/staff.html", "indicators_staff"),
    ("templates/admin/*", "admin"),
    ("participation/accounts/admin.py", "admin"),
    ("participation/accounts/cli.py", "admin"),
    ("templates/jobs/*", "jobs"),
    ("participation/jobs/*", "jobs"),
    ("participation/api/*", "api"),
    # What residents meet from moderation: reporting, answering a decision, a ban's notice,
    # the reasons shown on hidden content; and the decisions' emails.
    ("templates/moderation/_ban_notice.html", COMMON),
    ("templates/moderation/banned.html", COMMON),
    ("templates/moderation/removed.html", COMMON),
    ("templates/moderation/report.html", COMMON),
    ("templates/moderation/appeal.html", COMMON),
    ("templates/moderation/email_*.txt", "email"),
    ("participation/moderation/notify.py", "email"),
    ("participation/moderation/guard.py", COMMON),
    ("participation/moderation/reasons.py", COMMON),
    ("participation/moderation/sanctions.py", COMMON),
    ("participation/moderation/services.py", COMMON),
    ("participation/moderation/forms.py", COMMON),
    ("templates/moderation/*", "moderation"),
    ("participation/moderation/*", "moderation"),
    # Emails (ideas/notifications.py writes the in-app notifications too: it stays in ideas).
    ("templates/email/*", "email"),
    ("templates/*/email_*.txt", "email"),
    ("participation/budgeting/rounds/notifications.py", "email"),
    # Resident groups.
    ("templates/core/privacy.html", "statements"),
    ("templates/core/accessibility.html", "statements"),
    ("templates/base.html", COMMON),
    ("templates/_macros/*", COMMON),
    ("templates/core/*", COMMON),
    ("templates/errors/*", COMMON),
    ("participation/core/*", COMMON),
    ("participation/budgeting/rounds/idea_processes.py", "ideas"),  # rounds in the ideas' filter
    ("templates/ideas/*", "ideas"),
    ("participation/ideas/*", "ideas"),
    ("templates/budgeting/*", "budgeting"),
    ("participation/budgeting/*", "budgeting"),
    ("templates/hearings/*", "hearings"),
    ("participation/hearings/*", "hearings"),
    ("templates/accounts/*", "accounts"),
    ("participation/accounts/*", "accounts"),
    ("templates/indicators/*", "figures"),
    ("participation/indicators/*", "figures"),
    # The package's own top-level modules (listed one by one: a new one must be placed).
    *((f"participation/{name}", COMMON) for name in (
        "__init__.py", "catalogues.py", "cli.py", "config.py", "demo.py", "extensions.py",
        "i18n.py", "models.py", "pagegroups.py", "templating.py", "translate.py")),
)

# Endpoints whose view module serves another group than the page's.
ENDPOINTS = {
    "core.privacy": "statements",
    "core.accessibility": "statements",
    "moderation.report": COMMON,
    "moderation.appeal": COMMON,
    "indicators.staff": "indicators_staff",
    "static": COMMON,
}

def group_of(path: str) -> str | None:
    """The group of a file, by its path relative to the project root (None: not mapped)."""
    path = path.replace(os.sep, "/")
    for pattern, group in SOURCES:
        if fnmatchcase(path, pattern):
            return group
    return None


def source_files(root: Path) -> list[str]:
    """Every module under participation/ and every template (.html, .txt) under templates/,
    no folder skipped except bytecode caches, relative to `root` (participation/data holds
    word lists, not templates)."""
    found = []
    for top, suffixes in (("participation", (".py",)), ("templates", (".html", ".txt"))):
        for folder, dirs, files in os.walk(root / top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(suffixes):
                    found.append(os.path.relpath(os.path.join(folder, name), root)
                                 .replace(os.sep, "/"))
    return found


def reach(group: str) -> tuple[str, ...]:
    """The groups whose messages a page of `group` may show: itself, what it extends, common."""
    seen = [group]
    for key in seen:
        for extended in (*GROUPS[key].extends, COMMON):
            if extended not in seen:
                seen.append(extended)
    return tuple(seen)


def _module_path(module: str) -> str:
    return module.replace(".", "/") + ".py"


def endpoint_group(app, endpoint: str) -> str | None:
    """ENDPOINTS, else the group of the module that defines the view (None: unmapped)."""
    if endpoint in ENDPOINTS:
        return ENDPOINTS[endpoint]
    view = app.view_functions.get(endpoint)
    module = getattr(view, "__module__", None)
    if module is None:
        return None
    return group_of(_module_path(module))


def endpoint_groups(app) -> dict[str, str]:
    """Endpoint -> group for every route, computed once per app."""
    cached = app.extensions.get("endpoint_group_map")
    if cached is None:
        cached = {rule.endpoint: endpoint_group(app, rule.endpoint) or COMMON
                  for rule in app.url_map.iter_rules()}
        app.extensions["endpoint_group_map"] = cached
    return cached
