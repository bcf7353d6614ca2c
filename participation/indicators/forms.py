"""The dashboard's filters: a GET form, so every view of the figures has its own address."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Optional, ValidationError

from ..core.models import Area
from ..extensions import db
from .dashboard import Filters
from .definitions import AGE_GROUP_LABELS, AGE_GROUPS, LANGUAGE_GROUP_LABELS, LANGUAGE_GROUPS
from .periods import PeriodError, current_year, parse_period


class FigureFilterForm(FlaskForm):
    class Meta:
        csrf = False

    period = StringField(
        _l("Period"), validators=[Optional()],
        description=_l("A year (2026), quarter (2026-Q1), month (2026-03) or days "
                       "(2026-01-01..2026-06-30)."))
    area = SelectField(_l("Area"), validators=[Optional()], validate_choice=False)
    age_band = SelectField(_l("Age group"), validators=[Optional()], validate_choice=False)
    language_group = SelectField(_l("Language group"), validators=[Optional()],
                                 validate_choice=False)

    def fill_choices(self) -> None:
        areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
        self.area.choices = [("", str(_l("All areas")))] + [
            (str(area.code), area.name) for area in areas]
        self.age_band.choices = [("", str(_l("All ages")))] + [
            (group, str(AGE_GROUP_LABELS[group])) for group in AGE_GROUPS]
        self.language_group.choices = [("", str(_l("All language groups")))] + [
            (group, str(LANGUAGE_GROUP_LABELS[group])) for group in LANGUAGE_GROUPS]

    def validate_period(self, field) -> None:
        if field.data:
            try:
                parse_period(field.data)
            except PeriodError:
                raise ValidationError(_l(
                    "Write the period as a year (2026), a quarter (2026-Q1), a month "
                    "(2026-03) or days (2026-01-01..2026-06-30).")) from None

    def chosen(self):
        """(period, filters), unknown choices dropped, a bad period read as this year."""
        self.fill_choices()
        valid = self.validate()
        period = current_year()
        if valid and self.period.data:
            period = parse_period(self.period.data)
        if not self.period.data or not valid:
            self.period.data = self.period.data or period.code

        def pick(field):
            return field.data if field.data in {value for value, _ in field.choices} else ""

        return period, Filters(pick(self.area), pick(self.age_band), pick(self.language_group))
