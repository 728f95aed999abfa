"""Stored files (core.files) served at ``/bestanden/<token>``, for every plugin that keeps uploads.

Public files of approved organisations are for anyone; other files only for their
own organisation and for VNG (``core.files.may_read``). Unknown and forbidden
files both answer 404, so a token reveals nothing.
"""

from __future__ import annotations

from flask import abort
from flask_appbuilder import BaseView, expose
from sqlalchemy import select

from core import files
from core.extensions import db
from core.models import Organisation
from core.plugins import hookimpl
from core.tenancy import current_organisation_id, sees_all_organisations


class FileView(BaseView):
    """Stored files: public ones of approved organisations for anyone, others for their organisation and VNG."""

    route_base = "/bestanden"
    default_view = "download"

    @expose("/<token>")
    def download(self, token):
        stored = db.session.scalar(select(files.StoredFile).filter_by(token=token[:64]))
        if stored is None:
            abort(404)
        org = db.session.get(Organisation, stored.organisation_id)
        if not files.may_read(stored, org, current_organisation_id(), sees_all_organisations()):
            abort(404)
        # images are shown in the page; documents are downloaded
        response = files.file_response(stored, inline=stored.content_type.startswith("image/"))
        if response is None:
            abort(404)
        return response


@hookimpl
def register_models():
    return [files.StoredFile]


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(FileView())
