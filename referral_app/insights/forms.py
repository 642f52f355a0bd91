"""The filters on the insights page: a GET form, so every view has an address to share and CSV links keep it."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import Optional, ValidationError

from referral_app.admin.forms import GovDateField, not_before_since
from referral_app.directory.forms import offered_choices
from referral_app.labels import NEED_NAMES
from referral_app.referral_labels import PRIORITY_GROUP_NAMES

OUTCODE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")


def accepted(field):
    """A filter field's value, or None if it is empty or has an error (its message is shown; the rest applies)."""
    return field.data if not field.errors and field.data else None


class InsightFilterForm(FlaskForm):
    class Meta:
        csrf = False  # reading figures changes nothing

    since = GovDateField(_l("From (optional)"), widget=GovTextInput(), validators=[Optional()])
    until = GovDateField(_l("To (optional)"), widget=GovTextInput(), validators=[Optional(), not_before_since])
    area = StringField(_l("Postcode district (optional)"), widget=GovTextInput(), validators=[Optional()])
    organisation = SelectField(
        _l("Organisation"), widget=GovSelect(), validators=[offered_choices], validate_choice=False
    )
    need = SelectField(_l("Need"), widget=GovSelect(), validators=[offered_choices], validate_choice=False)
    group = SelectField(_l("Group"), widget=GovSelect(), validators=[offered_choices], validate_choice=False)

    def __init__(self, *args, organisations: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [("", _l("All organisations")), *organisations]
        self.need.choices = [("", _l("All needs")), *NEED_NAMES.items()]
        self.group.choices = [("", _l("Everyone")), *((g.value, name) for g, name in PRIORITY_GROUP_NAMES.items())]

    def validate_area(self, field):
        value = (field.data or "").strip().upper()
        if value and not OUTCODE.fullmatch(value):
            raise ValidationError(_l("Enter the first part of a postcode, like S4 or NR30"))
        field.data = value
