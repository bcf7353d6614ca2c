"""Rendering helpers shared by the views."""

from __future__ import annotations

from flask import render_template


def render_form(template: str, form, **context):
    """Render a form page; 422 when the form has errors, so clients and tests can tell."""
    status = 422 if form.errors else 200
    return render_template(template, form=form, **context), status
