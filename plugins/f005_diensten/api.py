"""The write API of services (``/api/v1/diensten``), through the tenancy base class."""

from __future__ import annotations

import prison
from flask import request
from flask_appbuilder.exceptions import ApplyFilterException
from flask_appbuilder.hooks import before_request
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.exc import DataError

from core.catalogue.access import public_package_clause
from core.catalogue.models import Service
from core.extensions import db
from core.tenancy import TenantModelRestApi
from plugins.f005_diensten.forms import api_kind, api_packages, check_service

BAD_Q = "Ongeldige zoekvraag q: gebruik rison met page en page_size van 0 of meer en passende filterwaarden."


class ServiceApi(TenantModelRestApi):
    """FAB joins the dotted to-many columns (packages) into the page query itself: no N+1."""

    datamodel = SQLAInterface(Service)
    resource_name = "diensten"
    class_permission_name = "ServiceApi"
    shared_relations = {"packages": public_package_clause}
    list_columns = show_columns = ["id", "public_id", "organisation.id", "organisation.name", "name", "kind",
                                   "description", "contact_person.id", "contact_person.name", "packages.id",
                                   "packages.public_id", "packages.name"]
    add_columns = ["organisation", "name", "kind", "description", "contact_person", "packages"]
    edit_columns = ["name", "kind", "description", "contact_person", "packages"]
    order_columns = ["name", "kind"]
    search_columns = ["name", "kind"]
    validators_columns = {"kind": api_kind, "packages": api_packages}

    @before_request
    def refuse_unreadable_q(self):
        """``q`` must be rison (the parser recurses without end on ``(((``) without negative pages."""
        value = request.args.get("q")
        if not value:
            return None
        try:
            args = prison.loads(value)
        except Exception:
            return self.response_400(message=BAD_Q)
        if isinstance(args, dict) and any(isinstance(args.get(k), int) and args[k] < 0
                                          for k in ("page", "page_size")):
            return self.response_400(message=BAD_Q)
        return None

    def get_list_headless(self, **kwargs):
        """A ``q`` the database refuses (negative page, text for a number) is a 400, not a 500."""
        try:
            return super().get_list_headless(**kwargs)
        except (ApplyFilterException, DataError):
            db.session.rollback()
            return self.response_400(message=BAD_Q)

    def pre_add(self, item):
        if getattr(item, "organisation", None) is not None and item.organisation_id is None:
            item.organisation_id = item.organisation.id
        super().pre_add(item)
        check_service(item)

    def pre_update(self, item):
        super().pre_update(item)
        check_service(item)
