"""Sign-in and account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, StringField, SubmitField
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


def _password_field(label, *, message) -> PasswordField:
    return PasswordField(label, widget=GovPasswordInput(), validators=[DataRequired(message=message), Length(max=256)])


class SecondFactorForm(FlaskForm):
    """A 6-digit code from the authenticator app, or one of the recovery codes."""

    code = StringField(
        _l("Code"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter the code from your authenticator app")), Length(max=40)],
        filters=[lambda value: value.strip() if value else value],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ConfirmPasswordForm(FlaskForm):
    password = _password_field(_l("Password"), message=_l("Enter your password"))
    code = StringField(_l("Code from your authenticator app"), widget=GovTextInput(), validators=[Length(max=40)])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    password = _password_field(_l("New password"), message=_l("Enter a new password"))
    submit = SubmitField(_l("Save password"), widget=GovSubmitInput())


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New email address"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter your new email address")), Length(max=255)],
    )
    submit = SubmitField(_l("Save email address"), widget=GovSubmitInput())


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter your email address")), Length(max=255)],
    )
    submit = SubmitField(_l("Send me a link"), widget=GovSubmitInput())
