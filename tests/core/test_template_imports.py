"""participation.templating.TemplateEnvironment: a `{% from ... import %}` (base.html has
one, so every page) works out which globals are new with one set operation, not one
ChainMap lookup per global, and templates still see every global, added later ones too."""

from __future__ import annotations

from collections import ChainMap

from participation.templating import TemplateEnvironment


def test_the_app_renders_with_its_own_environment(app):
    assert isinstance(app.jinja_env, TemplateEnvironment)
    template = app.jinja_env.get_template("base.html")
    assert template.globals.keys() == set(app.jinja_env.globals)


def test_an_import_asks_no_global_one_at_a_time(app, monkeypatch):
    env = app.jinja_env
    page = env.from_string('{% from "_macros/layout.html" import flash_messages %}[{{ 1 }}]')
    page.render()  # the imported template loads once
    asked = []
    real = ChainMap.__contains__

    def counted(self, key):
        asked.append(key)
        return real(self, key)

    monkeypatch.setattr(ChainMap, "__contains__", counted)
    with app.test_request_context():
        assert page.render() == "[1]"
    assert asked == []


def test_a_global_added_after_loading_is_seen(app, monkeypatch):
    page = app.jinja_env.from_string("{{ late_global_for_test() }}")
    monkeypatch.setitem(app.jinja_env.globals, "late_global_for_test", lambda: "late")
    assert page.render() == "late"
