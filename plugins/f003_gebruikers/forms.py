"""Forms of user management, invitations and join requests (Flask-WTF, CSRF on)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from core.passwords import StrongPassword

# Pragmatic address check (no dependency on email_validator): one @, a dotted
# ASCII domain, no spaces, quotes, brackets or separators that mail headers use.
EMAIL_RE = re.compile(
    r"^[^@\s<>\"',;:()\[\]\\]{1,64}@"
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def int_or_none(value):
    """Coerce a submitted id without ever raising (forged values become None)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


class EmailAddress:
    def __init__(self, message: str = "Vul een geldig e-mailadres in, zoals naam@organisatie.nl."):
        self.message = message

    def __call__(self, form, field):
        if field.data and not EMAIL_RE.match(field.data):
            raise ValidationError(self.message)


class PlainText:
    """No control characters (line breaks and tabs are allowed only where ``multiline``)."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field):
        value = field.data or ""
        if self.multiline:
            value = value.replace("\r", "").replace("\n", "").replace("\t", "")
        if CONTROL_RE.search(value):
            raise ValidationError("Dit veld bevat tekens die niet zijn toegestaan.")


def name_field(label: str, required: bool):
    first = DataRequired(f"Vul uw {label.lower()} in.") if required else Optional()
    return StringField(label, filters=[strip],
                       validators=[first, Length(max=64, message="Maximaal 64 tekens."), PlainText()])


def email_field(label: str = "E-mailadres"):
    return StringField(label, filters=[strip], validators=[
        DataRequired("Vul het e-mailadres in."),
        Length(max=320, message="Een e-mailadres is maximaal 320 tekens."),
        EmailAddress(),
    ])


class InviteForm(FlaskForm):
    # Only for the Functioneel beheerder; removed from the form for everybody else.
    organisation = SelectField("Organisatie", coerce=int_or_none, validate_choice=False,
                               validators=[DataRequired("Kies een organisatie uit de lijst.")])
    email = email_field("E-mailadres van de collega")
    first_name = name_field("Voornaam", required=False)
    last_name = name_field("Achternaam", required=False)
    role = SelectField("Rol", validate_choice=False,
                       validators=[DataRequired("Kies een rol.")])


class RoleForm(FlaskForm):
    role = SelectField("Rol", validate_choice=False, validators=[DataRequired("Kies een rol.")])


class AcceptForm(FlaskForm):
    first_name = name_field("Voornaam", required=True)
    last_name = name_field("Achternaam", required=True)
    password = PasswordField("Wachtwoord", validators=[
        DataRequired("Kies een wachtwoord."), Length(max=500, message="Maximaal 500 tekens."), StrongPassword(),
    ])
    confirm = PasswordField("Herhaal het wachtwoord", validators=[
        DataRequired("Herhaal het wachtwoord."),
        EqualTo("password", message="De twee wachtwoorden zijn niet gelijk."),
    ])


class JoinForm(FlaskForm):
    """An existing account accepts an invitation with one button (CSRF only)."""


class JoinRequestForm(FlaskForm):
    first_name = name_field("Voornaam", required=True)
    last_name = name_field("Achternaam", required=True)
    email = email_field("Uw zakelijke e-mailadres")
    organisation = SelectField("Organisatie", coerce=int_or_none, validate_choice=False)
    motivation = TextAreaField("Toelichting (optioneel)", filters=[strip], validators=[
        Optional(), Length(max=2000, message="Maximaal 2000 tekens."), PlainText(multiline=True),
    ])


class DecisionForm(FlaskForm):
    role = SelectField("Rol bij goedkeuren", validate_choice=False)
    reason = TextAreaField("Reden bij afwijzen (optioneel, wordt naar de aanvrager gestuurd)", filters=[strip],
                           validators=[Optional(), Length(max=2000, message="Maximaal 2000 tekens."),
                                       PlainText(multiline=True)])
    approve = SubmitField("Goedkeuren en uitnodiging sturen")
    decline = SubmitField("Afwijzen")


class ButtonForm(FlaskForm):
    """A button on a page that changes one thing (deactivate, reactivate, password reset): CSRF only."""
