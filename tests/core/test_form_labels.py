"""Form labels never say "(optional)" themselves: the field macro adds it to every field that is
not required, so a label that says it too reads "(optional) (optional)"."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

import participation


def _form_classes():
    for module_info in pkgutil.walk_packages(participation.__path__, "participation."):
        if not module_info.name.endswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, FlaskForm) and value.__module__ == module.__name__:
                yield value


def test_no_label_says_optional_itself(app):
    labels = []
    with app.test_request_context(), force_locale("en"):
        for form in _form_classes():
            for name, field in vars(form).items():
                if isinstance(field, UnboundField) and field.args:
                    label = str(field.args[0])
                    if "(optional)" in label.lower():
                        labels.append(f"{form.__name__}.{name}: {label}")
    assert labels == []


def test_review_form_labels_in_every_language(app, client, factory, auth):
    from html import unescape

    from tests.budgeting.builders import PB
    from tests.i18n_helpers import translated

    ref = PB(app, factory).round(state="review")
    proposal_id = ref.proposals["city"][0]
    for language in ("fi", "sv", "en"):
        auth.login(factory.user(roles=("staff",), language=language).email)
        html = client.get(f"/budgeting/manage/proposals/{proposal_id}").text
        text = unescape(re.sub(r"<[^>]+>", "", html))
        optional = f"({translated(app, 'optional', language)})"
        assert optional in text
        assert f"{optional} {optional}" not in " ".join(text.split()), language
        auth.logout()
