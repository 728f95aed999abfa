"""The REST API of the own landscape (``/api/v1/gebruik``), through the tenancy base class.

List, show, add and edit; ending a usage is an edit of its status to ``uitgefaseerd``.
"""

from __future__ import annotations

import datetime as dt

from flask import g, request
from flask_appbuilder import expose
from flask_appbuilder.api import safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect

from core.catalogue.models import Usage
from core.tenancy import TenantModelRestApi, current_user
from plugins.f013_gebruik import proposals, service
from plugins.f013_gebruik.forms import api_status
from plugins.f013_gebruik.models import Proposal
from plugins.f013_gebruik.service import UsageRejected
from plugins.f013_gebruik.views import ACTING_FOR, public_version_clause


class UsageApi(TenantModelRestApi):
    datamodel = SQLAInterface(Usage)
    resource_name = "gebruik"
    class_permission_name = "UsageApi"
    tenant_parent = "organisation"
    shared_relations = {"package": service.usable_package_clause, "version": public_version_clause}
    acting_for = ACTING_FOR  # a samenwerking also keeps the usages it registered for its current members
    allow_browser_login = False
    list_columns = show_columns = ["id", "public_id", "organisation.id", "organisation.name", "package.id",
                                   "package.public_id", "package.name", "version.id", "version.name", "status",
                                   "status_date", "description", "changed_on", "registered_by.id",
                                   "registered_by.name"]
    add_columns = ["organisation", "package", "version", "status", "status_date", "description"]
    edit_columns = ["version", "status", "status_date", "description"]
    order_columns = ["status", "status_date", "changed_on"]
    search_columns = ["status", "package", "organisation"]
    validators_columns = {"status": api_status}
    openapi_spec_tag = "Gebruik (applicatielandschap)"

    def pre_add(self, item):
        super().pre_add(item)
        service.check_usage(item, new=True)
        service.record_added(item)

    def put_headless(self, pk):
        # The schema loads related rows (and so flushes) before pre_update: remember the
        # values the history compares while they are still the stored ones.
        item = self.datamodel.get(pk, self._base_filters)
        g.f013_before = service.snapshot(item) if item is not None else None
        return super().put_headless(pk)

    def pre_update(self, item):
        super().pre_update(item)
        service.check_usage(item, new=False)
        service.record_changed(item, getattr(g, "f013_before", None))


# --- usage proposals (``plugins.f013_gebruik.proposals`` holds the rules) ------------------

_PROPOSAL_COLUMNS = ["id", "organisation.id", "organisation.name", "supplier.id", "supplier.name", "package.id",
                     "package.public_id", "package.name", "version.id", "version.name", "status", "status_date",
                     "note", "state", "reason", "proposed_on", "decided_on", "usage.id"]


def _json_body() -> dict:
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        raise UsageRejected("Stuur een JSON-object.")
    return body


def _date_value(body: dict, key: str):
    value = body.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageRejected("Vul de statusdatum in als jjjj-mm-dd.") from None


class _ProposalApi(TenantModelRestApi):
    datamodel = SQLAInterface(Proposal)
    allow_browser_login = False
    list_columns = show_columns = _PROPOSAL_COLUMNS
    order_columns = ["state", "proposed_on", "decided_on"]
    search_columns = ["state", "package", "organisation", "supplier"]

    def _outcome(self, pk: int, outcome):
        if not outcome.done:
            return self.response(409, message=outcome.message, state=outcome.state)
        return self.response(200, result=self.show_model_schema.dump(proposals.get(pk)), state=outcome.state)

    def _item(self, pk):
        item = self.get_tenant_item(pk)
        if item is None:
            return None
        return item


class SupplierProposalApi(_ProposalApi):
    """The supplier's sent proposals: list, show, create, withdraw (tenant column ``supplier_id``)."""

    resource_name = "voorstellen"
    class_permission_name = "SupplierProposalApi"
    tenant_column = "supplier_id"
    include_route_methods = {"get", "get_list", "post", "withdraw"}
    openapi_spec_tag = "Gebruik voorstellen (leverancier)"

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @permission_name("post")
    def post(self):
        """Propose that a gemeente or samenwerking uses one of your published packages
        ---
        post:
          description: >-
            Proposes a usage to a municipality (``organisation``: its id) of an own published ``package``, with
            an optional ``version`` (of that package), ``status``, ``status_date`` (YYYY-MM-DD) and ``note``. When
            the municipality uses the package already, the proposal changes version, status or date; one that
            changes nothing is refused. The proposal counts nowhere until the municipality accepts it.
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [organisation, package]
                  properties:
                    organisation: {type: integer}
                    package: {type: integer}
                    version: {type: integer, nullable: true}
                    status: {type: string}
                    status_date: {type: string, format: date, nullable: true}
                    note: {type: string, nullable: true}
          responses:
            201:
              description: The proposal was made (and the municipality's beheerders mailed)
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
        """
        body = _json_body()
        user = current_user()
        org = getattr(user, "organisation", None)
        proposal = proposals.propose(
            user, org if org is not None and org.type == "leverancier" else None, body.get("organisation"),
            body.get("package"), version=body.get("version"), status=body.get("status") or "in_productie",
            status_date=_date_value(body, "status_date"), note=body.get("note"))
        return self.response(201, id=proposal.id, result=self.show_model_schema.dump(proposal))

    @expose("/<int:pk>/intrekken", methods=["POST"])
    @protect()
    @safe
    @permission_name("withdraw")
    def withdraw(self, pk):
        """Withdraw an open proposal
        ---
        post:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: Withdrawn
            404:
              $ref: '#/components/responses/404'
            409:
              description: The proposal is no longer open (accepted, rejected, withdrawn or expired)
        """
        item = self._item(pk)
        if item is None:
            return self.response_404()
        return self._outcome(pk, proposals.withdraw(item, current_user()))


class IncomingProposalApi(_ProposalApi):
    """The proposals to the own municipality: list, show, accept (with corrections), reject."""

    resource_name = "ontvangen-voorstellen"
    class_permission_name = "IncomingProposalApi"
    include_route_methods = {"get", "get_list", "accept", "reject"}
    openapi_spec_tag = "Gebruik voorstellen (gemeente)"

    @expose("/<int:pk>/accepteren", methods=["POST"])
    @protect()
    @safe
    @permission_name("accept")
    def accept(self, pk):
        """Accept a proposal, optionally with a corrected version, status or status date
        ---
        post:
          description: >-
            Adds the usage to the landscape (or changes the existing usage). Leave a key out to keep the proposed
            value; ``version`` null means no version.
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          requestBody:
            required: false
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    version: {type: integer, nullable: true}
                    status: {type: string}
                    status_date: {type: string, format: date, nullable: true}
          responses:
            200:
              description: Accepted
            400:
              $ref: '#/components/responses/400'
            404:
              $ref: '#/components/responses/404'
            409:
              description: The proposal is no longer open (for example withdrawn by the supplier)
        """
        item = self._item(pk)
        if item is None:
            return self.response_404()
        body = request.get_json(silent=True) if request.is_json else {}
        body = body if isinstance(body, dict) else {}
        corrections = {}
        if "version" in body:
            corrections["version"] = body["version"]
        if "status" in body:
            corrections["status"] = body["status"]
        if "status_date" in body:
            corrections["status_date"] = _date_value(body, "status_date")
        return self._outcome(pk, proposals.accept(item, current_user(), **corrections))

    @expose("/<int:pk>/afwijzen", methods=["POST"])
    @protect()
    @safe
    @permission_name("reject")
    def reject(self, pk):
        """Reject a proposal, with an optional reason for the supplier
        ---
        post:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          requestBody:
            required: false
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    reason: {type: string, nullable: true}
          responses:
            200:
              description: Rejected
            404:
              $ref: '#/components/responses/404'
            409:
              description: The proposal is no longer open
        """
        item = self._item(pk)
        if item is None:
            return self.response_404()
        body = request.get_json(silent=True) if request.is_json else {}
        reason = body.get("reason") if isinstance(body, dict) else None
        return self._outcome(pk, proposals.reject(item, current_user(), reason if isinstance(reason, str) else None))
