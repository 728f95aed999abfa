"""The public read-only REST API of the catalogue, for anyone (also without logging in).

``/api/v1/catalogus/pakketten``, ``/leveranciers``, ``/referentiecomponenten`` and
``/standaarden``: GET a list (FAB's rison ``q`` for filters, order and pagination), GET
one and ``_info``; nothing else. Only public data: a package only when it is public
(``core.catalogue.access``: published and its supplier approved) whatever filter is
asked, a supplier only when it is an approved leverancier, and only the fields listed
here. The Bezoeker role holds ``can_get``/``can_info`` on these APIs (``hooks.py``),
which is what makes FAB serve them without a login.
"""

from __future__ import annotations

from flask_appbuilder import ModelRestApi
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from marshmallow import Schema, fields
from sqlalchemy.orm import selectinload

from core.api_queries import SafeQueryMixin
from core.api_schemas import utc_datetime
from core.catalogue.access import public_package_clause
from core.catalogue.models import Package
from core.gemma.models import Referentiecomponent, Standaard
from core.models import Organisation, OrganisationStatus


class PublicReadApi(SafeQueryMixin, ModelRestApi):
    """Read-only: list, one row and ``_info``; public through the Bezoeker role's permissions."""

    include_route_methods = {"get", "get_list", "info"}
    allow_browser_login = True
    page_size = 25
    max_page_size = 100
    # Kept to one harmless column: FAB describes the add/edit schemas in the OpenAPI
    # document even when there is no POST or PUT.
    add_columns = edit_columns = ["name"]

    def _get_fields_info(self, cols, model_schema, filter_rel_fields, **kwargs):
        """No add or edit fields in ``_info``: there is nothing to add or edit here, and
        FAB would otherwise list every related row (e.g. all organisations) as choices."""
        return []


# --- packages ----------------------------------------------------------------------
class PublicPackageFilter(BaseFilter):
    """Only public packages: published, of an approved supplier."""

    name = "Openbaar"
    arg_name = None

    def apply(self, query, value):
        return query.filter(public_package_clause())


class PackageInterface(SQLAInterface):
    """Loads the lists inside a page of packages with one query per list (no N+1)."""

    def apply_all(self, query, *args, **kwargs):
        return super().apply_all(query, *args, **kwargs).options(
            selectinload(Package.referentiecomponenten), selectinload(Package.versions),
            selectinload(Package.modules), selectinload(Package.standard_claims))

    def get_related_interface(self, col_name):
        return SQLAInterface(self.get_related_model(col_name), self.session)


class ConceptSchema(Schema):
    object_id = fields.String()
    name = fields.String()


class VersionSchema(Schema):
    public_id = fields.String()
    name = fields.String()
    status = fields.String()
    description = fields.String(allow_none=True)
    start_development = fields.Date(allow_none=True)
    start_test = fields.Date(allow_none=True)
    start_distribution = fields.Date(allow_none=True)
    end_support = fields.Date(allow_none=True)


class ModuleSchema(Schema):
    public_id = fields.String()
    name = fields.String()
    description = fields.String(allow_none=True)


class SupplierRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


def _standaardversies(package) -> list[dict]:
    claims = sorted(package.standard_claims, key=lambda c: c.standaardversie.name)
    return [{"object_id": c.standaardversie.object_id, "name": c.standaardversie.name,
             "evidence_url": c.evidence_url} for c in claims]


STANDAARDVERSIE_CLAIM = {"type": "object", "properties": {
    "object_id": {"type": "string"}, "name": {"type": "string"}, "evidence_url": {"type": "string", "nullable": True}}}


class PublicPackageSchema(Schema):
    """What anyone may read of a public package (never internal or review fields)."""

    id = fields.Integer()
    public_id = fields.String()
    name = fields.String()
    short_description = fields.String(allow_none=True)
    long_description = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    status = fields.String()
    published_on = utc_datetime(allow_none=True)
    supplier = fields.Nested(SupplierRefSchema, attribute="organisation")
    referentiecomponenten = fields.Nested(ConceptSchema, many=True)
    versions = fields.Nested(VersionSchema, many=True)
    modules = fields.Nested(ModuleSchema, many=True)
    standaardversies = fields.Function(_standaardversies,
                                       metadata={"type": "array", "items": STANDAARDVERSIE_CLAIM})
    cloud_models = fields.Function(lambda p: p.cloud_model_list,
                                   metadata={"type": "array", "items": {"type": "string"}})
    cloud_provider = fields.String(allow_none=True)
    data_location = fields.String(allow_none=True)
    licence_type = fields.String(allow_none=True)
    licence_spdx = fields.String(allow_none=True)
    municipality_count = fields.Integer(metadata={"description": "Aantal gemeenten dat het pakket gebruikt."})


class PublicPackageShowSchema(PublicPackageSchema):
    """The same fields for one package (its own name in the OpenAPI description)."""


class PublicPackageApi(PublicReadApi):
    datamodel = PackageInterface(Package)
    resource_name = "catalogus/pakketten"
    class_permission_name = "PublicPackageApi"
    base_filters = [["id", PublicPackageFilter, None]]
    list_columns = show_columns = list(PublicPackageSchema._declared_fields)
    # Only real columns are selected; the lists come from PackageInterface.
    list_select_columns = show_select_columns = [
        "id", "public_id", "name", "short_description", "long_description", "website", "status", "published_on",
        "organisation_id", "cloud_models", "cloud_provider", "data_location", "licence_type", "licence_spdx",
        "municipality_count"]
    list_model_schema = PublicPackageSchema()
    show_model_schema = PublicPackageShowSchema()
    search_columns = ["name", "status", "organisation", "referentiecomponenten", "data_location", "licence_type",
                      "public_id"]
    order_columns = ["name", "published_on"]
    base_order = ("name", "asc")
    list_title = show_title = "Pakketten"


# --- suppliers ---------------------------------------------------------------------
class ApprovedSupplierFilter(BaseFilter):
    name = "Goedgekeurde leveranciers"
    arg_name = None

    def apply(self, query, value):
        return query.filter(Organisation.type == "leverancier",
                            Organisation.status == OrganisationStatus.goedgekeurd.value)


class PublicSupplierApi(PublicReadApi):
    datamodel = SQLAInterface(Organisation)
    resource_name = "catalogus/leveranciers"
    class_permission_name = "PublicSupplierApi"
    base_filters = [["id", ApprovedSupplierFilter, None]]
    list_columns = show_columns = ["id", "name", "description", "website", "email", "phone"]
    search_columns = ["name"]
    order_columns = ["name"]
    base_order = ("name", "asc")
    list_title = show_title = "Leveranciers"


# --- GEMMA ---------------------------------------------------------------------------
GEMMA_COLUMNS = ["id", "object_id", "name", "description", "gemma_status", "in_release"]


class PublicReferentiecomponentApi(PublicReadApi):
    datamodel = SQLAInterface(Referentiecomponent)
    resource_name = "catalogus/referentiecomponenten"
    class_permission_name = "PublicReferentiecomponentApi"
    list_columns = show_columns = GEMMA_COLUMNS
    search_columns = ["name", "object_id", "in_release"]
    order_columns = ["name"]
    base_order = ("name", "asc")
    list_title = show_title = "Referentiecomponenten"


class PublicStandaardApi(PublicReadApi):
    """Standards with their versions (FAB joins the versions into the page query)."""

    datamodel = SQLAInterface(Standaard)
    resource_name = "catalogus/standaarden"
    class_permission_name = "PublicStandaardApi"
    list_columns = show_columns = GEMMA_COLUMNS + ["versies.object_id", "versies.name", "versies.gemma_status",
                                                   "versies.in_release"]
    search_columns = ["name", "object_id", "in_release"]
    order_columns = ["name"]
    base_order = ("name", "asc")
    list_title = show_title = "Standaarden"


APIS = (PublicPackageApi, PublicSupplierApi, PublicReferentiecomponentApi, PublicStandaardApi)
