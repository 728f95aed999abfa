"""Form fields and checks of a service, shared by the page and the API."""

from __future__ import annotations

from marshmallow import ValidationError as SchemaError
from werkzeug.exceptions import BadRequest
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from core.catalogue.models import SERVICE_KINDS

KIND_VALUES = tuple(value for value, _ in SERVICE_KINDS)
PACKAGES_REQUIRED = "Kies ten minste één gepubliceerd pakket waarop u deze dienst aanbiedt."
KIND_REQUIRED = "Kies een soort dienst uit de lijst."


def kind_field() -> SelectField:
    return SelectField("Soort dienst", choices=[("", "Kies een soort")] + list(SERVICE_KINDS),
                       validators=[DataRequired(message=KIND_REQUIRED)])


def description_field() -> TextAreaField:
    return TextAreaField("Omschrijving", render_kw={"rows": 6},
                         validators=[Optional(), Length(max=5000, message="Maximaal 5.000 tekens.")])


NOT_PUBLIC = "Kies alleen gepubliceerde pakketten uit de lijst."


def only_offered_choices(form, field) -> None:
    """WTForms validator: every submitted id must be one of the offered choices.

    FAB's multiple-select field silently drops an id it does not offer (a forged or
    meanwhile unpublished package); the user is told instead.
    """
    submitted = {value for value in (field.raw_data or []) if value}
    chosen = {str(field.get_pk_func(obj)) for obj in field.data or []}
    if submitted - chosen:
        raise ValidationError(NOT_PUBLIC)


FORM_VALIDATORS = {
    "name": [DataRequired(message="Vul een naam in."), Length(max=200, message="Maximaal 200 tekens.")],
    "packages": [only_offered_choices, DataRequired(message=PACKAGES_REQUIRED)],
}


def api_kind(value) -> None:
    """Marshmallow validator of ``kind`` in the API."""
    if value not in KIND_VALUES:
        raise SchemaError(KIND_REQUIRED + " Mogelijk: " + ", ".join(KIND_VALUES) + ".")


def api_packages(value) -> None:
    """Marshmallow validator of ``packages`` in the API: at least one."""
    if not value:
        raise SchemaError(PACKAGES_REQUIRED)


class ServiceRejected(BadRequest):
    """A service that breaks a rule: the page flashes the message, the API answers 400."""

    def __init__(self, message: str):
        super().__init__(description=message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def check_service(item) -> None:
    """Rules of a service beyond tenancy, for every user (raised as a Dutch 400/flash)."""
    if not item.packages:
        raise ServiceRejected(PACKAGES_REQUIRED)
    person = item.contact_person
    if person is not None and person.organisation_id != item.organisation_id:
        raise ServiceRejected("Kies een contactpersoon van de organisatie die de dienst aanbiedt.")
