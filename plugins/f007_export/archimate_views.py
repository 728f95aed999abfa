"""The ArchiMate export of a supplier's offering: a page, a download, a REST endpoint.

- ``/export/archimate/``: the page "ArchiMate-export" with a download button (Aanbod-beheerder:
  the own organisation; Functioneel beheerder and VNG-raadpleger: a supplier to choose).
- ``/export/archimate/bestand?organisatie=<id>``: the file (GET, reads only; recorded in the
  audit log). An Aanbod-beheerder asking for another organisation gets a Dutch 403.
- ``/api/v1/archimate/aanbod`` (own organisation) and ``/api/v1/archimate/aanbod/<id>``:
  the same file over the API, JWT only.

The file is written to a temporary file first (constant memory, and a failure is an error
page instead of a truncated download), then sent with its standard name.
"""

from __future__ import annotations

import tempfile

from flask import g, request, send_file
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi
from flask_appbuilder.security.decorators import protect

from core import audit
from core.builtin.errors import render_error
from core.extensions import db
from core.tenancy import sees_all_organisations
from plugins.f007_export import archimate

VIEW_PERMISSION = "ArchimateExport"
API_PERMISSION = "ArchimateExportApi"
MIMETYPE = "application/xml"


def export_response(user, organisation):
    """The AMEFF file of ``organisation`` as a download, recorded in the audit log."""
    handle = tempfile.TemporaryFile(prefix="scg-ameff-")
    try:
        result = archimate.write_offering(handle, organisation)
    except Exception:
        handle.close()
        raise
    audit.record(db.session, "export", object_type="ArchiMate", object_id=organisation.id, user=user,
                 details={"organisatie": organisation.name, "pakketten": result.packages, "formaat": "AMEFF"})
    db.session.commit()
    handle.seek(0)
    response = send_file(handle, mimetype=MIMETYPE, as_attachment=True, download_name=result.filename,
                         max_age=0)
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class ArchimateExportView(BaseView):
    route_base = "/export/archimate"
    default_view = "index"
    class_permission_name = VIEW_PERMISSION
    method_permission_name = {"index": "export", "download": "export"}

    @expose("/")
    @has_access
    def index(self):
        user = g.user
        choose = sees_all_organisations(user)
        own = None if choose else user.organisation
        filename = archimate.export_filename(own) if own is not None else None
        return self.render_template("f007/archimate_export.html", choose=choose, own=own, filename=filename,
                                    suppliers=archimate.suppliers() if choose else [],
                                    title="ArchiMate-export")

    @expose("/bestand")
    @has_access
    def download(self):
        try:
            organisation = archimate.organisation_for(g.user, request.args.get("organisatie"))
        except archimate.ExportRefused as refused:
            return render_error(refused.status, refused.message)
        return export_response(g.user, organisation)


class ArchimateExportApi(BaseApi):
    """The supplier's offering as an ArchiMate exchange file (AMEFF)."""

    resource_name = "archimate"
    class_permission_name = API_PERMISSION
    method_permission_name = {"own": "export", "supplier": "export"}
    allow_browser_login = False
    openapi_spec_tag = "ArchiMate-export"

    def response_401(self):
        return self.response(401, message="Log in (JWT) om het aanbod te exporteren.")

    def response_403(self):
        return self.response(403, message="U heeft geen toegang tot de ArchiMate-export.")

    def _export(self, requested):
        try:
            organisation = archimate.organisation_for(g.user, requested)
        except archimate.ExportRefused as refused:
            return self.response(refused.status, message=refused.message)
        return export_response(g.user, organisation)

    @expose("/aanbod", methods=["GET"])
    @protect()
    def own(self):
        """The own organisation's offering as AMEFF.
        ---
        get:
          description: Het aanbod van de eigen organisatie als ArchiMate-uitwisselingsbestand (AMEFF).
          responses:
            200:
              description: Het bestand
              content:
                application/xml: {}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
        """
        return self._export(None)

    @expose("/aanbod/<int:organisation_id>", methods=["GET"])
    @protect()
    def supplier(self, organisation_id):
        """A supplier's offering as AMEFF (own organisation, or any for VNG).
        ---
        get:
          description: Het aanbod van een leverancier als ArchiMate-uitwisselingsbestand (AMEFF).
          parameters:
          - in: path
            name: organisation_id
            required: true
            schema: {type: integer}
          responses:
            200:
              description: Het bestand
              content:
                application/xml: {}
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            404:
              $ref: '#/components/responses/404'
        """
        return self._export(organisation_id)
