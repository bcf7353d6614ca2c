"""Form helpers shared by every domain: choices for areas and languages, year fields."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import NumberRange, ValidationError

from ..extensions import db
from .exceptions import ServiceError
from .formats import format_number
from .models import Area
from .parsing import parse_count


def area_choices(blank_label=None) -> list[tuple[str, str]]:
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    choices = [(str(area.id), area.name) for area in areas]
    if blank_label is not None:
        choices.insert(0, ("", str(blank_label)))
    return choices


def language_choices() -> list[tuple[str, str]]:
    """Languages content is written in (plain Finnish is Finnish)."""
    choices = {}
    for language in current_app.config["LANGUAGES"]:
        choices.setdefault(language.code, language.native_name)
    return list(choices.items())


def interface_choices() -> list[tuple[str, str]]:
    """Interface languages, plain Finnish included (an account's language setting)."""
    return [(language.interface, language.native_name)
            for language in current_app.config["LANGUAGES"]]


def optional_int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


class YearField(StringField):
    """A four-digit year typed as text (numeric keyboard on phones), parsed to int or None."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "bday-year", "maxlength": 4}
        render_kw.update(kwargs.pop("render_kw", {}) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = (self.data or "").strip()

    def pre_validate(self, form):
        if self.data and not (parse_count(self.data) is not None and len(self.data) == 4):
            raise ValidationError(_l("Enter the year as four digits, for example 1985."))

    @property
    def year(self) -> int | None:
        return parse_count(self.data) if self.data and len(self.data) == 4 else None


class YearsBetween:
    """A date (or date and time) whose year is first..last: far dates cannot be converted
    between time zones or stored, so they get a message instead of an error page."""

    def __init__(self, first: int = 2000, last: int = 2100):
        self.first, self.last = first, last

    def __call__(self, form, field) -> None:
        if field.data is not None and not self.first <= field.data.year <= self.last:
            raise ValidationError(_l("Give a date between the years %(first)d and %(last)d.",
                                     first=self.first, last=self.last))
class Between(NumberRange):
    """NumberRange whose message shows its limits the locale's way: "from 1 to
    1 000 000 000 000", never "1–1000000000000". `message` takes %(min)s and %(max)s."""

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError:
            limits = {"min": format_number(self.min), "max": format_number(self.max)}
            raise ValidationError(str(self.message) % limits) from None


def show_service_error(form, error: ServiceError) -> None:
    """A service's refusal shown on the form: beside its field, or at the top."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
