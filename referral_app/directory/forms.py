"""The search form: a plain GET form, so results have a shareable address and work without JavaScript."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from referral_app.formatting import DAY_NAMES
from referral_app.labels import ACCESSIBILITY_NAMES, NEED_NAMES, REPORT_REASON_NAMES
from referral_app.services.opening_times import DAY_CODES

CONTACT_WAY_NAMES = {
    "sms": _l("Text message (SMS)"),
    "email": _l("Email"),
    "video_relay": _l("BSL video relay"),
    "relay_uk": _l("Relay UK (18001)"),
}
DELIVERY_NAMES = {"in_person": _l("In person"), "online": _l("Online"), "phone": _l("By phone")}


CHOOSE_FROM_LIST = _l("Choose an option from the list")


class WholeNumberField(IntegerField):
    """An integer field whose message for text that is not a number is ours, and translated."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Enter an age as a number, like 16")) from error


def offered_choices(form, field) -> None:
    """Every chosen value is one the field offers (for select and checkbox fields)."""
    offered = {str(value) for value, _label in field.choices}
    chosen = field.data if isinstance(field.data, list) else [field.data]
    if any(value not in offered for value in chosen if value not in (None, "")):
        raise ValidationError(CHOOSE_FROM_LIST)


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(
        _l("What do you need help with?"),
        validators=[Optional(), Length(max=200, message=_l("Enter 200 characters or fewer"))],
    )
    postcode = StringField(_l("Postcode or area"))  # checked, with its own messages, by postcodes.locate
    need = SelectField(_l("Type of help"), validators=[offered_choices], validate_choice=False)
    language = SelectField(_l("Language spoken"), validators=[offered_choices], validate_choice=False)
    bsl = BooleanField(_l("BSL-friendly: signing staff or a BSL interpreter"))
    access = SelectMultipleField(_l("Accessibility"), validators=[offered_choices], validate_choice=False)
    contact = SelectMultipleField(
        _l("Ways to get in touch without a voice call"), validators=[offered_choices], validate_choice=False
    )
    free = BooleanField(_l("Free services only"))
    age = WholeNumberField(
        _l("Age of the person who needs help"),
        validators=[Optional(), NumberRange(min=0, max=120, message=_l("Enter an age from 0 to 120"))],
    )
    when = SelectField(_l("When"), validators=[offered_choices], validate_choice=False)
    delivery = SelectMultipleField(_l("How"), validators=[offered_choices], validate_choice=False)

    def __init__(self, *args, language_codes: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.need.choices = [("", _l("Any type of help")), *NEED_NAMES.items()]
        self.language.choices = [("", _l("Any language")), *language_codes]
        self.access.choices = list(ACCESSIBILITY_NAMES.items())
        self.when.choices = [("", _l("Any time")), ("now", _l("Open now")), *((c, DAY_NAMES[c]) for c in DAY_CODES)]
        self.delivery.choices = list(DELIVERY_NAMES.items())
        self.contact.choices = list(CONTACT_WAY_NAMES.items())

    def active_filter_count(self) -> int:
        fields = (
            self.need, self.language, self.bsl, self.contact, self.access, self.free, self.age, self.when, self.delivery
        )  # fmt: skip
        return sum(1 for field in fields if field.data not in (None, "", False, []))


# Shapes that the GOV.UK Frontend macros take, built from a form's fields.
def select_items(field) -> list[dict]:
    return [
        {"value": value, "text": str(label), "selected": (field.data or "") == value} for value, label in field.choices
    ]


def checkbox_items(field) -> list[dict]:
    chosen = field.data or []
    return [{"value": value, "text": str(label), "checked": value in chosen} for value, label in field.choices]


def error_message(field) -> dict | None:
    return {"text": str(field.errors[0])} if field.errors else None


class ReportProblemForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with this listing?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(reason.value, label) for reason, label in REPORT_REASON_NAMES.items()],
        validators=[DataRequired(message=_l("Select what is wrong with this listing"))],
    )
    details = TextAreaField(
        _l("Tell us more (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000, message=_l("Enter 1000 characters or fewer"))],
    )
    # Left empty by people; filled by bots that fill in every field (no puzzle for humans).
    website = StringField(_l("Leave this empty"))
