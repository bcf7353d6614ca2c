"""Idea forms. Labels and messages use lazy gettext; the rules live in the services."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..core.content_language import OTHER, content_language_choices, normalise_content_language
from ..core.forms import area_choices
from ..extensions import db
from ..i18n import current_language
from .models import (
    ALT_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    PLACE_ADDRESS_MAX,
    REASON_MAX,
    TITLE_MAX,
    Theme,
)
from .search import SORTS, processes
from .statuses import STATUS_LABELS

MAX_CHARS = _l("Use at most %(max)d characters.")


def theme_choices(blank_label, *, active_only: bool = True) -> list[tuple[str, str]]:
    statement = sa.select(Theme).order_by(Theme.position, Theme.id)
    if active_only:
        statement = statement.where(Theme.active.is_(True))
    return [("", str(blank_label))] + [
        (str(theme.id), theme.name) for theme in db.session.scalars(statement)
    ]


class IdeaForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("A short name for your idea, at most 120 characters."),
        validators=[DataRequired(_l("Give your idea a title.")),
                    Length(max=TITLE_MAX, message=MAX_CHARS)],
        render_kw={"maxlength": TITLE_MAX, "autocomplete": "off"},
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What should be done, where, and why? Leave an empty line between "
                       "paragraphs. Start a line with a dash (-) for a list. Web addresses "
                       "become links."),
        validators=[DataRequired(_l("Describe your idea.")),
                    Length(max=DESCRIPTION_MAX, message=MAX_CHARS)],
        render_kw={"rows": 10},
    )
    theme = SelectField(_l("Theme"), validators=[InputRequired(_l("Choose a theme."))])
    area = SelectField(
        _l("Area"),
        description=_l("The major area of Espoo the idea is for, or the whole city."),
        validators=[Optional()],
    )
    district = SelectField(
        _l("District"),
        description=_l("If the idea is for a particular district, choose it."),
        validators=[Optional()],
    )
    language = SelectField(
        _l("Language of the idea"),
        description=_l("The language you write the idea in."),
        validators=[InputRequired(_l("Choose the language of the idea."))],
    )
    image = FileField(
        _l("Image file"),
        description=_l("A JPEG, PNG or WebP image of at most 5 MB. Location and camera "
                       "details are removed from it."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    image_alt = StringField(
        _l("Description of the image"),
        description=_l("Needed when you add an image: tell in a sentence what the image "
                       "shows, for people who cannot see it."),
        validators=[Length(max=ALT_MAX, message=MAX_CHARS)],
        render_kw={"maxlength": ALT_MAX},
    )
    remove_image = BooleanField(_l("Remove the image"))
    image_token = HiddenField()
    # The optional place (checked in places.py): an address and/or a point.
    place_address = StringField(
        _l("Address or place"),
        description=_l("For example a street address or the name of a park or a beach."),
        validators=[Length(max=PLACE_ADDRESS_MAX, message=MAX_CHARS)],
        render_kw={"maxlength": PLACE_ADDRESS_MAX, "autocomplete": "off"},
    )
    place_lat = StringField(
        _l("Latitude"),
        description=_l("Decimal degrees, for example 60.2055. A map app shows them when you "
                       "press a place on the map."),
        render_kw={"inputmode": "decimal", "maxlength": 20, "autocomplete": "off"},
    )
    place_lon = StringField(
        _l("Longitude"), description=_l("Decimal degrees, for example 24.6559."),
        render_kw={"inputmode": "decimal", "maxlength": 20, "autocomplete": "off"},
    )
    # One key per form, so publishing the same form twice makes one idea.
    publish_key = HiddenField()

    def fill_choices(self, districts_by_area) -> None:
        self.theme.choices = theme_choices(_l("Choose a theme"))
        self.area.choices = area_choices(blank_label=_l("The whole city"))
        self.district.choices = [("", str(_l("No particular district")))] + [
            (str(district.id), district.name)
            for _area, districts in districts_by_area for district in districts
        ]
        self.language.choices = content_language_choices()


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(_l("Write a comment before sending it.")),
                    Length(max=COMMENT_MAX, message=MAX_CHARS)],
        render_kw={"rows": 4},
    )
    # Residents may write in any language; a form without the select (an older page) gets
    # the interface language.
    language = SelectField(_l("Language of your text"), validators=[Optional()],
                           validate_choice=False)
    parent_id = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = content_language_choices()
        if not self.language.data:
            self.language.data = self.default_language()

    @staticmethod
    def default_language() -> str:
        return normalise_content_language(current_language().code) or OTHER

    def validate_language(self, field) -> None:
        if field.data and normalise_content_language(field.data) != field.data:
            raise ValidationError(_l("Choose the language from the list."))


class EditCommentForm(FlaskForm):
    body = CommentForm.body


class StatusForm(FlaskForm):
    status = SelectField(
        _l("New status"),
        choices=[(status, label) for status, label in STATUS_LABELS.items()],
        validators=[InputRequired(_l("Choose a status from the list."))],
    )
    reason = TextAreaField(
        _l("Public reason"),
        description=_l("Residents see this with the status. Required when the idea is "
                       "answered or not carried out."),
        validators=[Length(max=REASON_MAX, message=MAX_CHARS)],
        render_kw={"rows": 6},
    )
    merge_target = StringField(
        _l("Merged into idea"),
        description=_l("Only for merging: the number or address of the other idea."),
        validators=[Length(max=300, message=MAX_CHARS)],
    )
    proposal_url = StringField(
        _l("Budgeting proposal address"),
        description=_l("Only for budgeting proposals: the proposal's address."),
        validators=[Length(max=500, message=MAX_CHARS)],
    )
    lock_comments = BooleanField(_l("Close the idea for comments"))


class ThemeForm(FlaskForm):
    name_fi = StringField(_l("Name in Finnish"), validators=[
        DataRequired(_l("Give the name in Finnish.")), Length(max=80, message=MAX_CHARS)])
    name_sv = StringField(_l("Name in Swedish"), validators=[
        DataRequired(_l("Give the name in Swedish.")), Length(max=80, message=MAX_CHARS)])
    name_en = StringField(_l("Name in English"), validators=[
        DataRequired(_l("Give the name in English.")), Length(max=80, message=MAX_CHARS)])
    slug = StringField(
        _l("Short name in addresses"),
        description=_l("Lower-case letters, digits and dashes, for example parks-nature."),
        validators=[DataRequired(_l("Give a short name for addresses.")),
                    Length(max=60, message=MAX_CHARS),
                    Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                           message=_l("Use lower-case letters, digits and dashes only."))],
    )
    position = IntegerField(
        _l("Position in lists"), default=0,
        validators=[InputRequired(_l("Give the position as a whole number.")),
                    NumberRange(min=0, max=9999,
                                message=_l("Enter a number from %(min)s to %(max)s."))],
        render_kw={"inputmode": "numeric"},
    )
    active = BooleanField(_l("In use (offered for new ideas)"), default=True)


class FilterForm(FlaskForm):
    """The list's filters: a GET form, so every filter state has its own address."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search words"), validators=[Optional()])
    area = SelectField(_l("Area"), validators=[Optional()], validate_choice=False)
    theme = SelectField(_l("Theme"), validators=[Optional()], validate_choice=False)
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    language = SelectField(_l("Language"), validators=[Optional()], validate_choice=False)
    process_ = SelectField(_l("Process"), validators=[Optional()], validate_choice=False,
                           name="process")
    sort = SelectField(_l("Order"), validators=[Optional()], validate_choice=False)

    def fill_choices(self, themes, available_processes=None) -> None:
        self.area.choices = [("", str(_l("All areas"))), ("city", str(_l("The whole city")))] \
            + area_choices()
        self.theme.choices = [("", str(_l("All themes")))] + [
            (theme.slug, theme.name) for theme in themes
        ]
        self.status.choices = [("", str(_l("All statuses")))] + [
            (status, str(label)) for status, label in STATUS_LABELS.items()
        ]
        self.language.choices = [("", str(_l("All languages")))] + content_language_choices()
        self.process_.choices = [("", str(_l("All processes")))] + [
            (process.key, str(process.label))
            for process in (processes() if available_processes is None else available_processes)
        ]
        self.sort.choices = [(key, str(label)) for key, label in SORTS.items()]


class EditIdeaForm(FlaskForm):
    """The author's edit of an idea's text and place (the rest stays as it was)."""

    title = IdeaForm.title
    description = IdeaForm.description
    language = IdeaForm.language
    place_address = IdeaForm.place_address
    place_lat = IdeaForm.place_lat
    place_lon = IdeaForm.place_lon

    def fill_choices(self) -> None:
        self.language.choices = content_language_choices()


class WithdrawIdeaForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you withdraw the idea?"),
        description=_l("Readers see this with the idea."),
        validators=[DataRequired(_l("Tell the readers why you withdraw the idea.")),
                    Length(max=1000, message=MAX_CHARS)],
        render_kw={"rows": 4},
    )
