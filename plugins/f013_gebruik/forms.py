"""Form fields and checks of a usage, with Dutch messages (the page and the API)."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup, escape
from marshmallow import ValidationError as SchemaError
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from core.catalogue.models import USAGE_STATUSES
from core.form_fields import DutchDateField, DutchSelectField
from core.tenancy import current_organisation_id
from plugins.f013_gebruik import service


class StatusSelectField(DutchSelectField):
    """The status dropdown: an unknown or missing status gets the usage's own message."""

    message = service.STATUS_REQUIRED


def status_field() -> SelectField:
    return StatusSelectField("Status", choices=list(USAGE_STATUSES), default="in_productie",
                            render_kw={"class": "form-control"})


def status_date_field() -> DateField:
    return DutchDateField("Statusdatum", validators=[Optional()], render_kw={"class": "form-control"},
                          description="Sinds wanneer geldt deze status (of wanneer is die gepland).")


def note_field() -> TextAreaField:
    return TextAreaField("Toelichting", render_kw={"rows": 4, "class": "form-control"},
                         validators=[Optional(), Length(max=2000, message="Maximaal 2.000 tekens.")])


def not_in_landscape_yet(form, field) -> None:
    """WTForms validator of the package on add: one usage per organisation and package."""
    package = field.data
    if package is None:
        return
    org = getattr(form, "organisation", None)
    org_id = org.data.id if org is not None and org.data is not None else current_organisation_id()
    usage = service.existing_usage(org_id, package.id)
    if usage is not None and org_id != current_organisation_id():
        # a samenwerking registering for a member: no link into what the member keeps itself
        raise ValidationError(service.already_used_message(usage))
    if usage is not None:
        link = url_for("UsageView.show", pk=usage.id)
        raise ValidationError(Markup('{} <a href="{}">Bekijk het gebruik van {}</a>.').format(
            service.already_used_message(usage), link, escape(package.name)))


#: A choice that is not (or no longer) in the list arrives as no choice: say which list to pick from.
ORGANISATION_REQUIRED = "Kies de gemeente of samenwerking waarvoor u het gebruik vastlegt, uit de lijst."

FORM_VALIDATORS = {
    "package": [DataRequired(message=service.PACKAGE_REQUIRED), not_in_landscape_yet],
    "organisation": [DataRequired(message=ORGANISATION_REQUIRED)],
}


def api_status(value) -> None:
    """Marshmallow validator of ``status`` in the API."""
    if value not in service.STATUS_VALUES:
        raise SchemaError(service.STATUS_REQUIRED + " Mogelijk: " + ", ".join(service.STATUS_VALUES) + ".")
