"""REST APIs of contact persons and certifications (evidence by URL; PDFs are uploaded on the page)."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from marshmallow import ValidationError, validate

from core.contacts import ContactPerson
from core.tenancy import TenantModelRestApi
from plugins.f002_organisatie.models import CERTIFICATION_LABELS, Certification


class _Api(TenantModelRestApi):
    tenant_parent = "organisation"


class ContactPersonApi(_Api):
    datamodel = SQLAInterface(ContactPerson)
    resource_name = "contactpersonen"
    class_permission_name = "ContactPersonApi"
    list_columns = show_columns = ["id", "organisation.id", "organisation.name", "name", "role", "email", "phone"]
    add_columns = ["organisation", "name", "role", "email", "phone"]
    edit_columns = ["name", "role", "email", "phone"]
    order_columns = ["name"]
    search_columns = ["name", "role"]


def _kind(value):
    if value not in CERTIFICATION_LABELS:
        raise ValidationError("Kies een soort uit de lijst: " + ", ".join(CERTIFICATION_LABELS) + ".")


class CertificationApi(_Api):
    datamodel = SQLAInterface(Certification)
    resource_name = "certificeringen"
    class_permission_name = "CertificationApi"
    list_columns = show_columns = ["id", "organisation.id", "organisation.name", "kind", "title", "other_name",
                                   "issuer", "valid_until", "expired", "evidence_url"]
    add_columns = ["organisation", "kind", "other_name", "issuer", "valid_until", "evidence_url"]
    edit_columns = ["kind", "other_name", "issuer", "valid_until", "evidence_url"]
    order_columns = ["issuer", "valid_until"]
    search_columns = ["kind", "issuer"]
    validators_columns = {"kind": _kind,
                          "evidence_url": validate.URL(require_tld=True, schemes={"http", "https"},
                                                       error="Vul een volledig webadres in, met https://.")}
