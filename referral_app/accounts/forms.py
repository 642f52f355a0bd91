"""Sign-in and account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, SubmitField
from wtforms.validators import DataRequired, Length

from referral_app.i18n import LANGUAGES


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter your email address")), Length(max=255)],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter your password")), Length(max=256)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class LanguagePreferenceForm(FlaskForm):
    preferred_locale = RadioField(
        _l("Which language should the service use for you?"),
        choices=[SelectChoice(code, language.native_name) for code, language in LANGUAGES.items()],
        validators=[DataRequired(message=_l("Select a language"))],
    )
    submit = SubmitField(_l("Save language"), widget=GovSubmitInput())
