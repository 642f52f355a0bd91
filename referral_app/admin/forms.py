"""Forms admins use to look after organisations and taxonomy terms."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovTextArea, GovTextInput
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from referral_app.labels import need_name
from referral_app.models import TaxonomyTerm
from referral_app.services.organizations import OrganizationDetails
from referral_app.services.taxonomy_admin import CODE_PATTERN, TermDetails, TermNode, is_built_in

# A host name with at least one dot: letters, digits and hyphens in each part (after IDNA encoding).
_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
WEBSITE_FORMAT = _l("Enter a website address in the correct format, like https://www.example.org")
CODE_FORMAT = _l("Code must only include lowercase letters, numbers and underscores, like food_bank")
TERM_ERRORS = {
    "code_format": CODE_FORMAT,
    "code_taken": _l("Another term in this taxonomy already has this code. Enter a different code"),
    "parent": _l("Choose a parent term from the list"),
    "built_in": _l("This is a built-in need: only its description can be changed"),
    "name_missing": _l("Enter a name for the term"),
}


def strip(value):
    return value.strip() if isinstance(value, str) else value


def web_address(form, field) -> None:
    """An http or https address with a proper host name."""
    value = field.data or ""
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").encode("idna").decode("ascii")
        _port = parts.port  # a port that is not a number raises ValueError
    except (ValueError, UnicodeError) as error:
        raise ValidationError(WEBSITE_FORMAT) from error
    if parts.scheme.lower() not in ("http", "https") or not _HOST.match(host) or any(c.isspace() for c in value):
        raise ValidationError(WEBSITE_FORMAT)


def new_code_format(form, field) -> None:
    """A code being set follows the pattern; one already held (imported, say) may stay as it is."""
    if field.data and field.data != field.object_data and not CODE_PATTERN.fullmatch(field.data):
        raise ValidationError(CODE_FORMAT)


def offered_choice(form, field) -> None:
    if (field.data or "") not in {str(value) for value, _label in field.choices}:
        raise ValidationError(TERM_ERRORS["parent"])


class OrganizationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the name of the organisation")),
            Length(max=255, message=_l("Name must be 255 characters or fewer")),
        ],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        widget=GovTextArea(),
        description=_l("What the organisation does and who it is for, in a few sentences."),
        filters=[strip],
        validators=[Length(max=5000, message=_l("Description must be 5000 characters or fewer"))],
    )
    email = StringField(
        _l("Email address (optional)"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=255, message=_l("Email address must be 255 characters or fewer")),
            Email(message=_l("Enter an email address in the correct format, like name@example.org")),
        ],
    )
    website = StringField(
        _l("Website (optional)"),
        widget=GovTextInput(),
        description=_l("The full address, starting with https:// or http://"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=500, message=_l("Website address must be 500 characters or fewer")),
            web_address,
        ],
    )

    def details(self) -> OrganizationDetails:
        return OrganizationDetails(
            name=self.name.data or "",
            description=self.description.data or "",
            email=self.email.data or None,
            website=self.website.data or None,
        )


def term_description() -> TextAreaField:
    return TextAreaField(
        _l("Description (optional)"),
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Description must be 2000 characters or fewer"))],
    )


def term_label(term: TaxonomyTerm) -> str:
    """A term's name as people see it: built-in needs in the reader's language."""
    return need_name(term.code, term.name) if is_built_in(term) else term.name


class BuiltInTermForm(FlaskForm):
    """A built-in need: only the description may change."""

    description = term_description()


class TermForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message=TERM_ERRORS["name_missing"]),
            Length(max=255, message=_l("Name must be 255 characters or fewer")),
        ],
    )
    description = term_description()
    code = StringField(
        _l("Code (optional)"),
        widget=GovTextInput(),
        description=_l(
            "A short name other systems use for this term, like food_bank. "
            "Use lowercase letters, numbers and underscores."
        ),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=100, message=_l("Code must be 100 characters or fewer")),
            new_code_format,
        ],
    )
    parent_id = SelectField(
        _l("Parent term (optional)"),
        widget=GovSelect(),
        description=_l("Choose a parent to put this term under a broader one."),
        validate_choice=False,
        validators=[offered_choice],
    )

    def __init__(self, *args, parents: list[TermNode], **kwargs):
        super().__init__(*args, **kwargs)
        indent = "\u00a0\u00a0\u00a0"  # shows the tree in the list; screen readers pass over it
        self.parent_id.choices = [
            ("", _l("None: a top-level term")),
            *((str(node.term.id), indent * node.depth + term_label(node.term)) for node in parents),
        ]

    def details(self) -> TermDetails:
        parent = self.parent_id.data or ""
        return TermDetails(
            name=self.name.data or "",
            description=self.description.data or "",
            code=self.code.data or None,
            parent_id=uuid.UUID(parent) if parent else None,
        )


class GovDateField(DateField):
    """A day typed as YYYY-MM-DD, with our own translated message when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Enter a date like 2026-11-24")) from error


def not_before_since(form, field) -> None:
    """For a period's `until` field: the end is not before the form's `since`."""
    if field.data and form.since.data and field.data < form.since.data:
        raise ValidationError(_l("The end date must be the same as or after the start date"))


class AuditFilterForm(FlaskForm):
    resident = StringField(_l("Resident ID (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=64)])
    user = StringField(
        _l("Staff email address (optional)"), widget=GovTextInput(), validators=[Optional(), Length(max=255)]
    )
    since = GovDateField(_l("From (optional)"), widget=GovTextInput(), validators=[Optional()])
    until = GovDateField(_l("To (optional)"), widget=GovTextInput(), validators=[Optional(), not_before_since])
    unknown_user_message = _l("There is no account with this email address")

    def validate_resident(self, field):
        if self.resident_id() is None:
            raise ValidationError(_l("Enter the resident ID shown on a referral page"))

    def resident_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID((self.resident.data or "").strip()) if self.resident.data else None
        except ValueError:
            return None


def plain_text(value):
    """Stripped, without NUL characters: nobody types one, and PostgreSQL can neither store nor compare one."""
    return strip(value.replace("\x00", "")) if isinstance(value, str) else value


class ResidentSearchForm(FlaskForm):
    """Finding a resident: sent by POST, so that names and numbers stay out of addresses and server logs."""

    query = StringField(
        _l("Name, email address, phone number or referral reference"),
        widget=GovTextInput(),
        filters=[plain_text],
        validators=[
            DataRequired(message=_l("Enter a name, email address, phone number or referral reference")),
            Length(min=2, message=_l("Enter at least 2 characters")),
            Length(max=200, message=_l("Search must be 200 characters or fewer")),
        ],
    )


class EraseResidentForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that this cannot be undone"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Confirm that you understand this cannot be undone"))],
    )
    reason = TextAreaField(
        _l("Why are you erasing this person's data?"),
        widget=GovTextArea(),
        description=_l("For example: asked by email on 3 March 2026. Do not write their name or contact details."),
        filters=[plain_text],
        validators=[
            DataRequired(message=_l("Enter why you are erasing this person's data")),
            Length(max=500, message=_l("Reason must be 500 characters or fewer")),
        ],
    )
