"""Forms organisation staff use to keep their listings up to date."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional, ValidationError

from referral_app.directory.forms import CHOOSE_FROM_LIST, WholeNumberField, offered_choices
from referral_app.formatting import DAY_NAMES
from referral_app.labels import ACCESSIBILITY_NAMES, CONTACT_KIND_NAMES, NEED_NAMES, STATUS_NAMES, language_name
from referral_app.models import ContactKind
from referral_app.services.listings import COMMON_LANGUAGES
from referral_app.services.opening_times import DAY_CODES
from referral_app.services.postcodes import PostcodeError, locate

_CLOCK = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
_FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_PHONE = re.compile(r"^\+?[\d\s()-]{10,20}$")


# An age a database column can hold, and a person can have.
AGES = NumberRange(min=0, max=120, message=_l("Enter an age from 0 to 120"))


def text(label, *, required: str | None = None, max_length: int = 255, area: bool = False):
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_length, message=_l("Enter %(max)d characters or fewer", max=max_length)))
    field = TextAreaField if area else StringField
    return field(label, validators=validators, widget=GovTextArea() if area else GovTextInput())


class ServiceForm(FlaskForm):
    name = text(_l("Service name"), required=_l("Enter the name of the service"))
    description = text(
        _l("What the service does"), required=_l("Describe what the service does"), max_length=5000, area=True
    )
    application_process = text(_l("How to get it (optional)"), max_length=2000, area=True)
    eligibility_description = text(_l("Who it is for (optional)"), max_length=2000, area=True)
    status = RadioField(
        _l("Is the service running?"),
        widget=GovRadioInput(),
        choices=[(status.value, label) for status, label in STATUS_NAMES.items()],
        validators=[DataRequired(message=_l("Select whether the service is running"))],
    )
    minimum_age = WholeNumberField(_l("Youngest age (optional)"), widget=GovTextInput(), validators=[Optional(), AGES])
    maximum_age = WholeNumberField(_l("Oldest age (optional)"), widget=GovTextInput(), validators=[Optional(), AGES])
    is_free = RadioField(
        _l("Is it free?"),
        widget=GovRadioInput(),
        choices=[("yes", _l("Yes, it is free")), ("no", _l("No, there is a charge"))],
        validators=[DataRequired(message=_l("Select whether the service is free"))],
    )
    cost_description = text(_l("What does it cost? (if there is a charge)"), max_length=500)
    delivery = SelectMultipleField(
        _l("How do people use the service?"),
        widget=GovCheckboxesInput(),
        choices=[("in_person", _l("In person")), ("online", _l("Online")), ("phone", _l("By phone"))],
        validators=[DataRequired(message=_l("Select at least one way people use the service"))],
    )
    bsl = SelectMultipleField(
        _l("British Sign Language (optional)"),
        widget=GovCheckboxesInput(),
        choices=[("staff", _l("Staff use BSL")), ("interpreter", _l("We book a BSL interpreter on request"))],
        validators=[Optional()],
    )
    languages = SelectMultipleField(
        _l("Languages the service is offered in (optional)"), widget=GovCheckboxesInput(), validators=[Optional()]
    )
    needs = SelectMultipleField(
        _l("What does it help with?"),
        widget=GovCheckboxesInput(),
        choices=list(NEED_NAMES.items()),
        validators=[DataRequired(message=_l("Select at least one thing the service helps with"))],
    )
    url = StringField(
        _l("Website (optional)"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            URL(require_tld=True, message=_l("Enter a web address starting with https://")),
            Length(max=500),
        ],
    )
    email = StringField(
        _l("Email address (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), Email(message=_l("Enter an email address like name@example.org")), Length(max=255)],
    )
    alert = text(_l("Urgent notice (optional)"), max_length=1000, area=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages.choices = sorted(
            ((code, language_name(code)) for code in COMMON_LANGUAGES), key=lambda c: c[1].casefold()
        )

    def validate_maximum_age(self, field):
        if field.data is not None and self.minimum_age.data is not None and field.data < self.minimum_age.data:
            raise ValidationError(_l("The oldest age must be the same as or more than the youngest age"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # An optional field's own validators stop when it is empty, so this rule between two fields lives here.
        if self.is_free.data == "no" and not (self.cost_description.data or "").strip():
            self.cost_description.errors = [*self.cost_description.errors, _l("Say what the service costs")]
            return False
        return valid

    def validate_url(self, field):
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Enter a web address starting with https://"))


class TranslationForm(FlaskForm):
    name = text(_l("Service name"), required=_l("Enter the name of the service"))
    description = text(_l("What the service does (optional)"), max_length=5000, area=True)
    application_process = text(_l("How to get it (optional)"), max_length=2000, area=True)
    eligibility_description = text(_l("Who it is for (optional)"), max_length=2000, area=True)


def parse_clock(value: str | None) -> time | None:
    match = _CLOCK.match(value or "")
    return time(int(match.group(1)), int(match.group(2))) if match else None


class OpeningPeriodForm(FlaskForm):
    days = SelectMultipleField(
        _l("Which days?"),
        widget=GovCheckboxesInput(),
        choices=[(code, DAY_NAMES[code]) for code in DAY_CODES],
        validators=[DataRequired(message=_l("Select at least one day"))],
    )
    opens = StringField(
        _l("Opens at"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the time it opens, like 09:30"))],
    )
    closes = StringField(
        _l("Closes at"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the time it closes, like 16:00"))],
    )
    notes = text(_l("Notes (optional)"), max_length=500)

    def validate_opens(self, field):
        if parse_clock(field.data) is None:
            raise ValidationError(_l("Enter a time like 09:30, using the 24-hour clock"))

    def validate_closes(self, field):
        closes, opens = parse_clock(field.data), parse_clock(self.opens.data)
        if closes is None:
            raise ValidationError(_l("Enter a time like 16:00, using the 24-hour clock"))
        if opens is not None and closes <= opens:
            raise ValidationError(_l("The closing time must be after the opening time"))


class ContactMethodForm(FlaskForm):
    kind = SelectField(
        _l("Type of contact"),
        widget=GovSelect(),
        choices=[(kind.value, label) for kind, label in CONTACT_KIND_NAMES.items()],
        default=ContactKind.PHONE.value,
        validate_choice=False,
        validators=[offered_choices],  # not DataRequired: a required <select> needs an empty first option
    )
    value = StringField(
        _l("Number or web address"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the number or web address")), Length(max=500)],
    )
    description = text(_l("Description (optional)"), max_length=255)

    def validate_kind(self, field):
        if not field.data:  # `offered_choices` lets an empty value through, and there is no empty option here
            raise ValidationError(CHOOSE_FROM_LIST)

    def validate_value(self, field):
        if self.kind.data in (ContactKind.VIDEO_RELAY, ContactKind.VIDEO_CALL):
            if not (field.data or "").startswith("https://"):
                raise ValidationError(_l("Enter a web address starting with https://"))
        elif not _PHONE.match(field.data or ""):
            raise ValidationError(_l("Enter a phone number, like 0114 496 0000"))


class LocationForm(FlaskForm):
    name = text(_l("Name of the place (optional)"))
    address_1 = text(_l("Address line 1"), required=_l("Enter the first line of the address"))
    address_2 = text(_l("Address line 2 (optional)"))
    city = text(_l("Town or city"), required=_l("Enter the town or city"), max_length=100)
    postcode = StringField(
        _l("Postcode"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the postcode"))],
    )
    features = SelectMultipleField(
        _l("Accessibility (optional)"),
        widget=GovCheckboxesInput(),
        choices=list(ACCESSIBILITY_NAMES.items()),
        validators=[Optional()],
    )

    def validate_postcode(self, field):
        if not _FULL_POSTCODE.match(" ".join((field.data or "").upper().split())):
            raise ValidationError(_l("Enter a full postcode, like S4 7AB"))
        try:
            self.place = locate(field.data)
        except PostcodeError as error:
            raise ValidationError(_l("We could not find that postcode. Check it and try again")) from error
