"""Forms of F001, with Dutch messages. Every field has a length limit and a clean-up filter.

Form data that is not text (an uploaded file posted under a text field's name, a
NUL character) is turned into nothing or stripped, so that validation, not the
database, says what is wrong.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.passwords import StrongPassword, as_typed
from plugins.f001_toegang.models import SOFTWARE_KINDS

# Control characters that no name, address or description needs (tab and newline are kept).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

KVK_RE = r"^[0-9]{8}$"  # ASCII digits only (\d would also match other scripts)
PHONE_RE = r"^[0-9+() \-]{6,30}$"  # the same rule as the organisation edit form in core


def clean_text(value):
    """Text without surrounding space and control characters; non-text becomes None."""
    if value is None or not isinstance(value, str):
        return None
    return _CONTROL.sub("", value).strip()


def clean_kvk(value):
    value = clean_text(value)
    return re.sub(r"[\s.]", "", value) if value else value


def clean_email(value):
    value = clean_text(value)
    return value.lower() if value else value


def clean_website(value):
    """Accept ``example.nl`` as well as ``https://example.nl``: without a scheme, https:// is assumed."""
    value = clean_text(value)
    if value and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        value = "https://" + value
    return value


def required(message: str):
    return DataRequired(message=message)


class WebsiteURL:
    """An http(s) address with a host name that has a dot and no spaces."""

    pattern = re.compile(r"^https?://[^\s/?#:@]+\.[^\s/?#:@]{2,}(:\d{1,5})?([/?#]\S*)?$", re.IGNORECASE)

    def __call__(self, form, field):
        if field.data and not self.pattern.match(field.data):
            raise ValidationError("Vul een geldig webadres in, bijvoorbeeld https://www.uwbedrijf.nl.")


class CheckboxesField(SelectMultipleField):
    """Several checkboxes; an unknown value gets a Dutch message instead of an English one."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        self.data = [v for v in valuelist if isinstance(v, str)]

    def pre_validate(self, form):
        allowed = {value for value, _label in self.choices}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError("Kies alleen uit de genoemde soorten software.")


EMAIL_MESSAGE = "Vul een geldig e-mailadres in, bijvoorbeeld naam@uwbedrijf.nl."


class RegistrationForm(FlaskForm):
    company_name = StringField(
        "Bedrijfsnaam", filters=[clean_text],
        validators=[required("Vul de naam van uw bedrijf in."),
                    Length(min=2, max=200, message="De bedrijfsnaam moet 2 tot 200 tekens lang zijn.")])
    kvk_number = StringField(
        "KvK-nummer", filters=[clean_kvk],
        # Room for "1234 5678" or "12.34.56.78": spaces and dots are removed before the check.
        render_kw={"maxlength": 12, "inputmode": "numeric"},
        validators=[required("Vul het KvK-nummer van uw bedrijf in."),
                    Regexp(KVK_RE, message="Een KvK-nummer bestaat uit 8 cijfers.")])
    website = StringField(
        "Website", filters=[clean_website],
        validators=[required("Vul het webadres van uw bedrijf in."),
                    Length(max=500, message="Het webadres mag maximaal 500 tekens lang zijn."),
                    WebsiteURL()])
    company_email = StringField(
        "Algemeen e-mailadres van het bedrijf", filters=[clean_email],
        validators=[required("Vul het algemene e-mailadres van uw bedrijf in."),
                    Length(max=254, message="Het e-mailadres mag maximaal 254 tekens lang zijn."),
                    Email(message=EMAIL_MESSAGE, allow_smtputf8=False)])
    phone = StringField(
        "Telefoonnummer", filters=[clean_text],
        validators=[required("Vul het telefoonnummer van uw bedrijf in."),
                    Length(max=30, message="Het telefoonnummer mag maximaal 30 tekens lang zijn."),
                    Regexp(PHONE_RE, message="Een telefoonnummer bevat alleen cijfers, spaties, +, - en haakjes "
                                             "(6 tot 30 tekens).")])
    description = TextAreaField(
        "Korte omschrijving van uw bedrijf", filters=[clean_text],
        validators=[required("Vul een korte omschrijving van uw bedrijf in."),
                    Length(max=255, message="De omschrijving mag maximaal 255 tekens lang zijn.")])
    software_kinds = CheckboxesField(
        "Soorten software die u aanbiedt", choices=SOFTWARE_KINDS,
        validators=[required("Kies minstens één soort software.")])
    first_name = StringField(
        "Voornaam", filters=[clean_text],
        validators=[required("Vul uw voornaam in."),
                    Length(max=64, message="Uw voornaam mag maximaal 64 tekens lang zijn.")])
    last_name = StringField(
        "Achternaam", filters=[clean_text],
        validators=[required("Vul uw achternaam in."),
                    Length(max=64, message="Uw achternaam mag maximaal 64 tekens lang zijn.")])
    email = StringField(
        "Uw e-mailadres (hiermee logt u in)", filters=[clean_email],
        validators=[required("Vul uw e-mailadres in."),
                    Length(max=128, message="Uw e-mailadres mag maximaal 128 tekens lang zijn."),
                    Email(message=EMAIL_MESSAGE, allow_smtputf8=False)])
    password = PasswordField(
        "Wachtwoord", filters=[as_typed],
        validators=[required("Kies een wachtwoord."),
                    Length(max=128, message="Het wachtwoord mag maximaal 128 tekens lang zijn."),
                    StrongPassword(email_field="email")])
    password_confirm = PasswordField(
        "Herhaal het wachtwoord", filters=[as_typed],
        validators=[required("Herhaal het wachtwoord."),
                    EqualTo("password", message="De twee wachtwoorden zijn niet gelijk.")])
    privacy_consent = BooleanField(
        "Ik heb de privacyverklaring gelezen en ga akkoord met het verwerken van deze gegevens",
        validators=[required("U kunt zich alleen aanmelden als u akkoord gaat met de privacyverklaring.")])


class EmailForm(FlaskForm):
    """One e-mail address: for a new confirmation link or a password reset."""

    email = StringField(
        "E-mailadres", filters=[clean_email],
        validators=[required("Vul uw e-mailadres in."),
                    Length(max=254, message="Het e-mailadres mag maximaal 254 tekens lang zijn."),
                    Email(message=EMAIL_MESSAGE, allow_smtputf8=False)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "Nieuw wachtwoord", filters=[as_typed],
        validators=[required("Kies een nieuw wachtwoord."),
                    Length(max=128, message="Het wachtwoord mag maximaal 128 tekens lang zijn."),
                    StrongPassword()])
    password_confirm = PasswordField(
        "Herhaal het nieuwe wachtwoord", filters=[as_typed],
        validators=[required("Herhaal het nieuwe wachtwoord."),
                    EqualTo("password", message="De twee wachtwoorden zijn niet gelijk.")])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: confirming is a deliberate click, not a link preview."""


class ApproveForm(FlaskForm):
    """Only the CSRF token."""


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Reden van afwijzing (de leverancier krijgt deze tekst te zien)", filters=[clean_text],
        validators=[required("Vul de reden van de afwijzing in."),
                    Length(min=5, max=2000, message="De reden moet 5 tot 2000 tekens lang zijn.")])
