"""The questions of a referral, one page each where it helps, and the forms organisations answer with."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from referral_app.directory.forms import offered_choices
from referral_app.labels import NEED_NAMES, language_name
from referral_app.models import ContactMethod
from referral_app.referral_labels import (
    AGE_BAND_NAMES,
    CONSENT_METHOD_NAMES,
    CONTACT_METHOD_NAMES,
    DECLINE_REASON_NAMES,
    PRIORITY_GROUP_NAMES,
    URGENCY_NAMES,
)
from referral_app.services.listings import COMMON_LANGUAGES
from referral_app.services.postcodes import PostcodeError, locate

_PHONE = re.compile(r"^\+?[\d\s()-]{10,20}$")


def _length(max_length: int) -> Length:
    return Length(max=max_length, message=_l("Enter %(max)d characters or fewer", max=max_length))


def language_choices() -> list[tuple[str, str]]:
    return sorted(((code, language_name(code)) for code in COMMON_LANGUAGES), key=lambda c: c[1].casefold())


def _phone_check(form, field) -> None:
    if field.data and not _PHONE.match(field.data.strip()):
        raise ValidationError(_l("Enter a phone number, like 07700 900 982 or +44 7700 900 982"))


def _outcode_check(form, field) -> None:
    if not field.data:
        return
    try:
        field.data = locate(field.data).outcode
    except PostcodeError as error:
        raise ValidationError(_l("Enter a real postcode or the first half of one, like S4 or S4 7AB")) from error


def _without_nul(value):
    """Nobody types a NUL character, and PostgreSQL cannot store one: it goes (from lists of choices too)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


class Chosen(DataRequired):
    """DataRequired without the `required` attribute: a required <select> needs an empty first option, and
    a language list starts with a real language."""

    def __init__(self, message=None):
        super().__init__(message)
        self.field_flags = {}


class ReferralForm(FlaskForm):
    """The base of the forms here: every field drops NUL characters before it is validated."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = (*unbound_field.kwargs.get("filters", ()), _without_nul)
            return unbound_field.bind(form=form, filters=filters, **options)


def _add_error(field, message) -> bool:
    field.errors = [*field.errors, message]
    return False


class ContactRules:
    """The chosen way of contacting someone needs its detail. An optional field's own validators stop when it is
    empty, so this rule between two fields runs in `validate`."""

    phone_needed = _l("Enter a phone number to contact the person this way")
    email_needed = _l("Enter an email address to contact the person this way")

    def contact_details_given(self) -> bool:
        method = self.contact_method.data
        ok = True
        if (
            method in (ContactMethod.SMS, ContactMethod.PHONE, ContactMethod.VIDEO_RELAY, ContactMethod.RELAY_UK)
            and not (self.phone.data or "").strip()
        ):
            ok = _add_error(self.phone, self.phone_needed)
        if method == ContactMethod.EMAIL and not (self.email.data or "").strip():
            ok = _add_error(self.email, self.email_needed)
        return ok

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.contact_details_given() and valid


class ChooseResidentForm(ReferralForm):
    resident = RadioField(
        _l("Who are you referring?"),
        widget=GovRadioInput(),
        validators=[DataRequired(message=_l("Select the person, or someone new"))],
    )


class ResidentDetailsForm(ReferralForm):
    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the person's name")), _length(200)],
    )
    language = SelectField(
        _l("Which language does the person prefer?"),
        widget=GovSelect(),
        validators=[Chosen(message=_l("Select a language")), offered_choices],
        validate_choice=False,
    )
    outcode = StringField(
        _l("Postcode or postcode district (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), _length(10), _outcode_check],
    )
    age_band = RadioField(
        _l("Age (optional)"),
        widget=GovRadioInput(),
        choices=[(band.value, label) for band, label in AGE_BAND_NAMES.items()],
        validators=[Optional()],
    )
    priority_groups = SelectMultipleField(
        _l("Does the person want to record that they belong to any of these groups? (optional)"),
        widget=GovCheckboxesInput(),
        choices=[(group.value, label) for group, label in PRIORITY_GROUP_NAMES.items()],
        validators=[Optional()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class CommunicationForm(ContactRules, ReferralForm):
    needs = SelectMultipleField(
        _l("Communication needs (optional)"),
        widget=GovCheckboxesInput(),
        choices=[
            ("bsl_interpreter", _l("Needs a BSL interpreter")),
            ("interpreter", _l("Needs a spoken-language interpreter")),
            ("easy_read", _l("Easy Read")),
            ("large_print", _l("Large print")),
        ],
        validators=[Optional()],
    )
    interpreter_language = SelectField(
        _l("Interpreter for which language?"), widget=GovSelect(), validators=[offered_choices], validate_choice=False
    )
    other_communication = StringField(
        _l("Anything else about communication (optional)"), widget=GovTextInput(), validators=[Optional(), _length(500)]
    )
    contact_method = RadioField(
        _l("How should the organisation contact the person?"),
        widget=GovRadioInput(),
        choices=[(method.value, label) for method, label in CONTACT_METHOD_NAMES.items()],
        validators=[DataRequired(message=_l("Select how the organisation should contact the person"))],
    )
    phone = StringField(_l("Phone number"), widget=GovTextInput(), validators=[Optional(), _length(40), _phone_check])
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[Optional(), _length(255), Email(message=_l("Enter an email address like name@example.org"))],
    )
    times_to_avoid = StringField(
        _l("Times to avoid (optional)"), widget=GovTextInput(), validators=[Optional(), _length(500)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.interpreter_language.choices = [("", _l("Choose a language")), *language_choices()]

    def validate_interpreter_language(self, field):
        if "interpreter" in (self.needs.data or []) and not field.data:
            raise ValidationError(_l("Select the language the interpreter should speak"))


class NeedsForm(ReferralForm):
    needs = SelectMultipleField(
        _l("What does the person need help with?"),
        widget=GovCheckboxesInput(),
        choices=list(NEED_NAMES.items()),
        validators=[DataRequired(message=_l("Select at least one need")), offered_choices],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Why are you referring them? Use the person's own words"),
        widget=GovTextArea(),
        validators=[DataRequired(message=_l("Say why you are referring the person")), _length(2000)],
    )
    urgency = RadioField(
        _l("How urgent is it?"),
        widget=GovRadioInput(),
        choices=[(urgency.value, label) for urgency, label in URGENCY_NAMES.items()],
        validators=[DataRequired(message=_l("Select how urgent it is"))],
    )


STAFF_CONSENT_METHODS = [(m.value, label) for m, label in CONSENT_METHOD_NAMES.items() if m.value != "online"]


class ConsentForm(ReferralForm):
    consent_by = StringField(
        _l("Who agreed?"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter who agreed")), _length(200)],
    )
    consent_method = RadioField(
        _l("How did they agree?"),
        widget=GovRadioInput(),
        choices=STAFF_CONSENT_METHODS,
        validators=[DataRequired(message=_l("Select how they agreed"))],
    )
    consent_interpreter_language = SelectField(
        _l("Language of the interpreter (if there was one)"),
        widget=GovSelect(),
        validators=[offered_choices],
        validate_choice=False,
    )
    agreed = BooleanField(
        _l("They agree to share these details with this organisation"),
        widget=GovCheckboxInput(),
        validators=[
            InputRequired(message=_l("You can only send a referral if the person agrees to share their details"))
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_interpreter_language.choices = [("", _l("Choose a language")), *language_choices()]

    def validate_consent_interpreter_language(self, field):
        if self.consent_method.data == "spoken_interpreter" and not field.data:
            raise ValidationError(_l("Select the language the interpreter spoke"))


class SendReferralForm(ReferralForm):
    """Only the CSRF token: the draft in the address is the idempotency key of the referral it becomes."""


class VersionedForm(ReferralForm):
    """Every change to a referral carries the version the person saw (optimistic locking)."""

    version = HiddenField(validators=[DataRequired()])

    def seen_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ChangeStatusForm(VersionedForm):
    note = TextAreaField(_l("Note (optional)"), widget=GovTextArea(), validators=[Optional(), _length(2000)])


class DeclineForm(VersionedForm):
    reason = RadioField(
        _l("Why are you declining this referral?"),
        widget=GovRadioInput(),
        choices=[(reason.value, label) for reason, label in DECLINE_REASON_NAMES.items()],
        validators=[DataRequired(message=_l("Select why you are declining the referral"))],
    )
    note = TextAreaField(
        _l("Note for the referrer (optional)"), widget=GovTextArea(), validators=[Optional(), _length(2000)]
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.reason.data == "other" and not (self.note.data or "").strip():
            return _add_error(self.note, _l("Say why you are declining the referral"))
        return valid


class NoteForm(ReferralForm):
    note = TextAreaField(
        _l("Add a note"),
        widget=GovTextArea(),
        validators=[DataRequired(message=_l("Enter a note")), _length(2000)],
    )


class WithdrawConsentForm(ReferralForm):
    confirm = BooleanField(
        _l("The person has withdrawn their consent"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Confirm that the person has withdrawn their consent"))],
    )
    note = TextAreaField(_l("Note (optional)"), widget=GovTextArea(), validators=[Optional(), _length(2000)])


class ScoreField(IntegerField):
    """A whole number on a measure's scale. Text that is not a number gets the scale's message, once (from
    NumberRange), rather than a message of its own as well."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class OutcomeForm(ReferralForm):
    """One question per item of a measure; `for_measure` makes the form class for a measure's items."""

    item_codes: tuple[str, ...] = ()

    @classmethod
    def for_measure(cls, measure, items) -> type[OutcomeForm]:
        from referral_app.referral_labels import item_text

        message = _l("Enter a number from %(min)d to %(max)d", min=measure.scale_min, max=measure.scale_max)
        attributes: dict = {"item_codes": tuple(item.code for item in items)}
        for item in items:
            attributes[f"item_{item.code}"] = ScoreField(
                item_text(item),
                widget=GovTextInput(),
                validators=[
                    InputRequired(message=message),
                    NumberRange(min=measure.scale_min, max=measure.scale_max, message=message),
                ],
            )
        return type("MeasureForm", (cls,), attributes)

    def scores(self) -> dict[str, int]:
        return {code: self[f"item_{code}"].data for code in self.item_codes}


class SelfReferralForm(ContactRules, ReferralForm):
    phone_needed = _l("Enter a phone number so they can contact you this way")
    email_needed = _l("Enter an email address so they can contact you this way")

    name = StringField(
        _l("Your name"), widget=GovTextInput(), validators=[DataRequired(message=_l("Enter your name")), _length(200)]
    )
    reason = TextAreaField(
        _l("What would you like help with?"),
        widget=GovTextArea(),
        validators=[DataRequired(message=_l("Tell us what you would like help with")), _length(2000)],
    )
    contact_method = RadioField(
        _l("How should they contact you?"),
        widget=GovRadioInput(),
        choices=[(m.value, label) for m, label in CONTACT_METHOD_NAMES.items() if m != ContactMethod.LINK_WORKER],
        validators=[DataRequired(message=_l("Select how they should contact you"))],
    )
    phone = StringField(_l("Phone number"), widget=GovTextInput(), validators=[Optional(), _length(40), _phone_check])
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[Optional(), _length(255), Email(message=_l("Enter an email address like name@example.org"))],
    )
    language = SelectField(
        _l("Which language do you prefer?"),
        widget=GovSelect(),
        validators=[Chosen(message=_l("Select a language")), offered_choices],
        validate_choice=False,
    )
    communication = SelectMultipleField(
        _l("Do you need any of these? (optional)"),
        widget=GovCheckboxesInput(),
        choices=[
            ("bsl_interpreter", _l("A BSL interpreter")),
            ("interpreter", _l("An interpreter for my language")),
            ("easy_read", _l("Easy Read")),
            ("large_print", _l("Large print")),
        ],
        validators=[Optional()],
    )
    agreed = BooleanField(
        _l("I agree that this service can see these details and use them to contact me"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("You need to agree so that the service can contact you"))],
    )
    # Left empty by people; filled by bots that fill in every field (no puzzle for humans).
    website = StringField(_l("Leave this empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
