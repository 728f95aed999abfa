"""F007 pages: export the own offering, upload an edited file, preview, confirm, result.

The upload is kept server-side (instance folder, readable by the app only) under a
random name stored in the signed session; "Bevestigen" re-reads that file and applies
it, so nothing the browser sends back is trusted. Every step that changes or reads a
file is a CSRF-protected POST.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from flask import abort, current_app, flash, redirect, request, send_file, session, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectField

from core import jobs
from core.extensions import db
from core.files import UploadRejected
from core.io import ALL_ORGANISATIONS, ImportConflict, ImportRejected, NoOrganisation, NotAllowed, export_organisation
from core.models import Organisation
from core.tenancy import current_organisation_id, current_user, sees_all_organisations
from plugins.f007_export import exchange
from plugins.f007_export import jobs as export_jobs

SESSION_KEY = "f007_upload"
RESULT_KEY = "f007_result"
STALE_SECONDS = 2 * 60 * 60
CHUNK = 64 * 1024


class ExportForm(FlaskForm):
    formaat = RadioField("Formaat", choices=[("xlsx", "Excel-werkmap (.xlsx): alle bladen met toelichting"),
                                             ("csv", "CSV (.csv), puntkomma-gescheiden")], default="xlsx")
    inhoud = SelectField("Inhoud van het CSV-bestand")
    organisatie = SelectField("Organisatie", coerce=lambda v: int(v) if str(v or "").isdigit() else None,
                              validate_choice=False)  # checked by the export itself: own, or any for VNG


class UploadForm(FlaskForm):
    bestand = FileField("Bestand (.xlsx of .csv)")
    verwijderen = BooleanField("Rijen die niet in het bestand staan verwijderen")


class StepForm(FlaskForm):
    pass


def _upload_dir() -> Path:
    folder = Path(current_app.instance_path) / "f007-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_stale() -> None:
    cutoff = time.time() - STALE_SECONDS
    for path in _upload_dir().glob("*.upload"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _stored() -> tuple[Path, dict] | None:
    info = session.get(SESSION_KEY)
    user = current_user()
    if not isinstance(info, dict) or user is None or info.get("user") != user.id:
        return None
    token = str(info.get("token", ""))
    if not token.isalnum():
        return None
    path = _upload_dir() / f"{token}.upload"
    return (path, info) if path.is_file() else None


def _discard() -> None:
    found = _stored()
    session.pop(SESSION_KEY, None)
    if found is not None:
        found[0].unlink(missing_ok=True)


def _send(export: exchange.ExportFile):
    """Send the file as a download; it is opened now and removed after the response is made."""
    response = send_file(export.path, mimetype=export.mimetype, as_attachment=True,
                         download_name=export.filename, max_age=0)
    export.discard()  # the open handle keeps the data readable until the response is sent
    response.headers["Cache-Control"] = "no-store"
    return response


def _choices(form_data) -> dict:
    """The answers to the preview's questions (``core.io.Sync.choose``) in a submitted form."""
    return {key: str(value)[:100] for key, value in form_data.items() if key.startswith("keuze-")}


class ExchangeView(BaseView):
    """Exporteren en importeren van het eigen aanbod."""

    route_base = "/uitwisseling"
    default_view = "index"
    scope = exchange.OFFERING
    index_template = "f007/index.html"
    page_title = "Exporteren en importeren"
    remove_label = None
    class_permission_name = "Uitwisseling"
    method_permission_name = {"index": "export", "export": "export", "export_job": "export",
                              "export_file": "export", "upload": "import", "confirm": "import",
                              "cancel": "import", "errors": "import", "result": "import", "update": "import"}

    def _export_form(self):
        user = current_user()
        form = ExportForm()
        form.inhoud.choices = [(h.name, h.label) for h in exchange.csv_handlers(user, self.scope)]
        own = current_organisation_id(user)
        chooses = own is None or (self.scope.everyone and sees_all_organisations(user))
        if chooses:  # the Functioneel beheerder chooses a supplier; VNG also every landscape at once
            orgs = db.session.execute(select(Organisation.id, Organisation.name)
                                      .where(Organisation.type.in_(self.scope.org_types))
                                      .order_by(Organisation.name)).all()
            everyone = [(ALL_ORGANISATIONS, "Alle gemeenten en samenwerkingen")] if self.scope.everyone else []
            form.organisatie.choices = everyone + [(i, n) for i, n in orgs]
        else:
            form.organisatie.choices = [(own, user.organisation.name)]
        return form

    def _page(self, export_form=None, upload_form=None, status=200):
        user = current_user()
        sheets = exchange.workbook_handlers(user, self.scope)
        upload_form = upload_form or UploadForm()
        if self.remove_label:
            upload_form.verwijderen.label.text = self.remove_label
        return self.render_template(self.index_template, export_form=export_form or self._export_form(),
                                    upload_form=upload_form, limit_mb=exchange.max_bytes() // 2**20,
                                    max_rows=exchange.max_rows(), sheets=sheets, endpoint=self.endpoint,
                                    may_import=current_organisation_id(user) is not None,
                                    may_upload=any(h.may_import(user) for h in exchange.csv_handlers(user, self.scope)),
                                    title=self.page_title), status

    @expose("/")
    @has_access
    def index(self):
        return self._page()

    @expose("/exporteren", methods=["POST"])
    @has_access
    def export(self):
        form = self._export_form()
        if not form.validate_on_submit():
            return self._page(export_form=form, status=400)
        handler = form.inhoud.data if form.formaat.data == "csv" else None
        if jobs.uses_redis():
            return self._export_as_job(form, handler)
        try:
            export = exchange.make_export(current_user(), form.formaat.data, form.organisatie.data, handler,
                                          scope=self.scope)
        except (PermissionError, NotAllowed) as exc:
            flash(str(exc), "danger")
            return self._page(export_form=form, status=403)
        return _send(export)

    def _export_as_job(self, form, handler):
        """With a worker the export is a job: the page follows it and then offers the file."""
        user = current_user()
        try:
            export_organisation(user, form.organisatie.data)
        except PermissionError as exc:
            flash(str(exc), "danger")
            return self._page(export_form=form, status=403)
        export_jobs.remove_stale()
        key = secrets.token_hex(16)
        try:
            job_id = jobs.enqueue_call(export_jobs.export_job,
                                       (user.id, form.formaat.data, form.organisatie.data, handler, key,
                                        self.scope.group),
                                       meta={"user_id": user.id})
        except Exception:  # noqa: BLE001 - the queue (Redis) is away
            current_app.logger.exception("Export niet gestart")
            flash("De export kon niet worden gestart (de takenwachtrij is niet bereikbaar). Probeer het later "
                  "opnieuw.", "danger")
            return self._page(export_form=form, status=503)
        return redirect(url_for(".export_job", job_id=job_id))

    def _own_job(self, job_id: str):
        info = jobs.status(job_id[:64]) if job_id.isalnum() else None
        user = current_user()
        if info is None or user is None or info.meta.get("user_id") != user.id:
            abort(404)  # someone else's export is not there for this user
        return info

    @expose("/export-taak/<string:job_id>")
    @has_access
    def export_job(self, job_id):
        info = self._own_job(job_id)
        result = info.result if isinstance(info.result, dict) else {}
        if result.get("error"):
            flash(result["error"], "danger")
            return redirect(url_for(".index"))
        return self.render_template("f007/export_job.html", job=info, result=result,
                                    title="Export wordt gemaakt")

    @expose("/export-taak/<string:job_id>/bestand")
    @has_access
    def export_file(self, job_id):
        info = self._own_job(job_id)
        result = info.result if isinstance(info.result, dict) else {}
        path = export_jobs.export_dir() / str(result.get("file") or "-")
        if info.status != jobs.FINISHED or not result.get("file") or not path.is_file():
            flash("Dit exportbestand is er niet (meer); maak de export opnieuw.", "warning")
            return redirect(url_for(".index"))
        return _send(exchange.ExportFile(str(path), result["filename"], result["mimetype"], result["rows"]))

    @expose("/importeren", methods=["POST"])
    @has_access
    def upload(self):
        form = UploadForm()
        if not form.validate_on_submit():
            return self._page(upload_form=form, status=400)
        user = current_user()
        upload = form.bestand.data
        if upload is None or not getattr(upload, "filename", ""):
            form.bestand.errors.append("Kies een bestand.")
            return self._page(upload_form=form, status=400)
        data = upload.stream.read(exchange.max_bytes() + 1)
        _discard()
        _remove_stale()
        try:
            parsed, outcome = exchange.run(user, data, apply=False, remove_missing=form.verwijderen.data,
                                           scope=self.scope)
        except (UploadRejected, NoOrganisation, NotAllowed) as exc:
            form.bestand.errors.append(str(exc))
            return self._page(upload_form=form, status=400)
        token = secrets.token_hex(16)
        path = _upload_dir() / f"{token}.upload"
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(data)
        session[SESSION_KEY] = {"token": token, "user": user.id, "remove": bool(form.verwijderen.data),
                                "name": os.path.basename(upload.filename)[:200], "state": outcome.state,
                                "scope": self.scope.group}
        return self._preview(parsed, outcome, session[SESSION_KEY])

    def _preview(self, parsed, outcome, info):
        return self.render_template("f007/preview.html", outcome=outcome, upload=parsed, form=StepForm(),
                                    filename=info["name"], remove=info.get("remove"), endpoint=self.endpoint,
                                    landscape=self.scope.everyone, title="Voorbeeld van de import")

    @expose("/bijwerken", methods=["POST"])
    @has_access
    def update(self):
        """The preview again, with the choices made on it (which near match, a new concept, skip)."""
        found = self._step()
        if not isinstance(found, tuple):
            return found  # back to the page: the upload is gone
        path, info = found
        try:
            parsed, outcome = exchange.run(current_user(), path.read_bytes(), apply=False,
                                           remove_missing=info.get("remove", False), scope=self.scope,
                                           choices=_choices(request.form))
        except (UploadRejected, NoOrganisation, NotAllowed) as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".index"))
        info["state"] = outcome.state
        session[SESSION_KEY] = info
        return self._preview(parsed, outcome, info)

    def _step(self):
        """A step after the upload (update, confirm, errors): the step form's check, then the stored
        upload as (path, info), or a redirect to the page with a message when there is none."""
        if not StepForm().validate_on_submit():
            abort(400)
        found = self._stored()
        if found is None:
            flash("Er staat geen geüpload bestand meer klaar; upload het opnieuw.", "warning")
            return redirect(url_for(".index"))
        return found

    def _stored(self):
        found = _stored()
        if found is None or found[1].get("scope", exchange.OFFERING.group) != self.scope.group:
            return None
        return found

    @expose("/bevestigen", methods=["POST"])
    @has_access
    def confirm(self):
        found = self._step()
        if not isinstance(found, tuple):
            return found  # back to the page: the upload is gone
        path, info = found
        data = path.read_bytes()
        try:
            _, outcome = exchange.run(current_user(), data, apply=True, remove_missing=info.get("remove", False),
                                      expected_state=info.get("state"), scope=self.scope,
                                      choices=_choices(request.form))
        except ImportConflict as exc:
            _discard()
            flash(str(exc), "warning")
            return redirect(url_for(".index"))
        except ImportRejected as exc:
            flash(f"Er is niets geïmporteerd: het bestand bevat {len(exc.errors)} fout(en). Upload het opnieuw "
                  "voor het overzicht.", "danger")
            return redirect(url_for(".index"))
        except (UploadRejected, NoOrganisation, NotAllowed) as exc:
            _discard()
            flash(str(exc), "danger")
            return redirect(url_for(".index"))
        _discard()
        session[RESULT_KEY] = {"nieuw": outcome.created, "gewijzigd": outcome.changed,
                               "ongewijzigd": outcome.unchanged, "verwijderd": outcome.removed,
                               "bestand": info.get("name"), "bladen": outcome.per_sheet}
        return redirect(url_for(".result"))

    @expose("/resultaat")
    @has_access
    def result(self):
        result = session.get(RESULT_KEY)
        if not isinstance(result, dict):
            return redirect(url_for(".index"))
        return self.render_template("f007/result.html", result=result, title="Import uitgevoerd",
                                    endpoint=self.endpoint, landscape=self.scope.everyone)

    @expose("/fouten", methods=["POST"])
    @has_access
    def errors(self):
        found = self._step()
        if not isinstance(found, tuple):
            return found  # back to the page: the upload is gone
        path, info = found
        data = path.read_bytes()
        user = current_user()
        try:
            _, outcome = exchange.run(user, data, apply=False, remove_missing=info.get("remove", False),
                                      scope=self.scope, choices=_choices(request.form))
            report = exchange.error_report(user, data, outcome.errors, self.scope)
        except (UploadRejected, NoOrganisation, NotAllowed) as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".index"))
        stem = os.path.splitext(info.get("name") or "bestand")[0]
        report.filename = f"{stem}-fouten.{report.filename.rsplit('.', 1)[-1]}"
        return _send(report)

    @expose("/annuleren", methods=["POST"])
    @has_access
    def cancel(self):
        if not StepForm().validate_on_submit():
            abort(400)
        _discard()
        flash("De import is geannuleerd; er is niets gewijzigd.", "info")
        return redirect(url_for(".index"))


class LandscapeExchangeView(ExchangeView):
    """Exporteren en importeren van het applicatielandschap (F013's handlers of group "gebruik").

    A Gebruik-beheerder exports and imports the own landscape (a samenwerking also for its current members),
    a Gebruik-raadpleger exports it; the Functioneel beheerder and the VNG-raadpleger export every landscape or
    the one of a chosen gemeente.
    """

    route_base = "/landschap-uitwisseling"
    class_permission_name = "LandschapUitwisseling"
    scope = exchange.LANDSCAPE
    index_template = "f007/landscape_index.html"
    page_title = "Applicatielandschap exporteren en importeren"
    remove_label = "Gebruik dat niet in het bestand staat beëindigen (uitgefaseerd)"
