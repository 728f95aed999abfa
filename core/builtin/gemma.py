"""GEMMA reference data: import by the Functioneel beheerder (page and CLI), public pages, seed."""

from __future__ import annotations

import os
import secrets
import time
import unicodedata
from pathlib import Path

import click
from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask.cli import with_appcontext
from flask_appbuilder import BaseView, expose, has_access
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy.orm import selectinload

from core import audit, jobs, maintenance
from core.extensions import db
from core.gemma import importer
from core.gemma.ameff import DEFAULT_MAX_BYTES, AmeffError, read_release
from core.gemma.models import MODELS, Referentiecomponent, StandaardVerplichting
from core.menu import BEHEER, GEMMA, in_category
from core.page_cache import cacheable
from core.permissions import menu
from core.plugins import hookimpl
from core.roles import all_roles

RELEASE_PATH = Path(__file__).resolve().parent.parent / "data" / "gemma" / "GEMMA-release.xml"
SESSION_KEY = "gemma_upload"
PUBLIC_VIEW = "GemmaReferentiecomponenten"
CHUNK = 64 * 1024
# An upload whose report was never confirmed or cancelled is removed after this many seconds.
STALE_UPLOAD_SECONDS = 24 * 60 * 60


def max_bytes() -> int:
    return int(current_app.config["GEMMA_MAX_UPLOAD_BYTES"])


def import_file(path, dry_run: bool = False, user=None) -> importer.Report:
    """Read and (unless ``dry_run``) import a release in one transaction; raise AmeffError."""
    jobs.progress(1, 3, "Bestand lezen")
    release = read_release(path, max_bytes=max_bytes())
    if dry_run:
        return importer.diff(db.session, release)
    jobs.progress(2, 3, "Wijzigingen doorvoeren")
    try:
        report = importer.apply(db.session, release)
        if report.has_changes:
            audit.record(db.session, "gemma_import", object_type="GEMMA", details=report.counts(),
                         **({"user": user} if user is not None else {}))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if report.has_changes:
        maintenance.analyze()  # a release brings thousands of concepts and links at once
    return report


def import_job(path: str, user_id: int | None) -> importer.Report | str:
    """The confirmed import as a job (``core.jobs``): the report, or the Dutch reason it was refused."""
    from core.models import ScgUser

    try:
        user = db.session.get(ScgUser, user_id) if user_id else None
        return import_file(path, user=user)
    except AmeffError as exc:
        return str(exc)
    finally:
        Path(path).unlink(missing_ok=True)


# --------------------------------------------------------------------------- upload
def _upload_dir() -> Path:
    folder = Path(current_app.instance_path) / "gemma-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_stale_uploads() -> None:
    cutoff = time.time() - STALE_UPLOAD_SECONDS
    for path in _upload_dir().glob("*.xml"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _stored_path() -> Path | None:
    token = session.get(SESSION_KEY)
    if not token or not token.isalnum():
        return None
    path = _upload_dir() / f"{token}.xml"
    return path if path.is_file() else None


def _discard_upload() -> None:
    path = _stored_path()
    session.pop(SESSION_KEY, None)
    if path is not None:
        path.unlink(missing_ok=True)


class UploadForm(FlaskForm):
    bestand = FileField("GEMMA-release (ArchiMate-uitwisselingsbestand, .xml)")


class ConfirmForm(FlaskForm):
    pass


class GemmaImportView(BaseView):
    route_base = "/beheer/gemma-import"
    default_view = "index"
    class_permission_name = "GemmaImport"
    method_permission_name = {"index": "import", "confirm": "import", "cancel": "import", "job": "import"}

    @expose("/", methods=["GET", "POST"])
    @has_access
    def index(self):
        form = UploadForm()
        if request.method == "POST" and form.validate_on_submit():
            upload = form.bestand.data
            if upload is None or not getattr(upload, "filename", ""):
                form.bestand.errors.append("Kies een bestand.")
            else:
                _discard_upload()
                _remove_stale_uploads()
                token = secrets.token_hex(16)
                path = _upload_dir() / f"{token}.xml"
                error = self._save(upload.stream, path)
                if error is None:
                    try:
                        report = importer.diff(db.session, read_release(path, max_bytes=max_bytes()))
                    except AmeffError as exc:
                        error = str(exc)
                if error is not None:
                    path.unlink(missing_ok=True)
                    form.bestand.errors.append(error)
                else:
                    session[SESSION_KEY] = token
                    return self.render_template("gemma/import_report.html", report=report,
                                                form=ConfirmForm(), applied=False)
        return self.render_template("gemma/import_upload.html", form=form, limit_mb=max_bytes() // (1024 * 1024))

    @staticmethod
    def _save(stream, path: Path) -> str | None:
        """Copy the upload to ``path`` with the size limit; a Dutch error or None."""
        written, limit = 0, max_bytes()
        with open(path, "wb") as handle:
            os.chmod(path, 0o600)
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    return (f"Het bestand is te groot; de grens is {limit // (1024 * 1024)} MB.")
                handle.write(chunk)
        return None if written else "Het bestand is leeg."

    @expose("/bevestigen", methods=["POST"])
    @has_access
    def confirm(self):
        form = ConfirmForm()
        if not form.validate_on_submit():
            abort(400)
        path = _stored_path()
        if path is None:
            flash("Er staat geen geüpload bestand meer klaar; upload het opnieuw.", "warning")
            return redirect(url_for(".index"))
        # The import runs as a job (the worker, or in-process without Redis); the page follows it.
        job_path = path.with_name(f"job-{secrets.token_hex(16)}.xml")
        path.rename(job_path)
        session.pop(SESSION_KEY, None)
        try:
            job_id = jobs.enqueue(import_job, str(job_path), getattr(g.user, "id", None))
        except Exception:  # noqa: BLE001 - the queue (Redis) is away: nothing was changed
            current_app.logger.exception("GEMMA-import niet gestart")
            job_path.unlink(missing_ok=True)
            flash("De import kon niet worden gestart (de takenwachtrij is niet bereikbaar). Probeer het later "
                  "opnieuw; er is niets gewijzigd.", "danger")
            return redirect(url_for(".index"))
        return redirect(url_for(".job", job_id=job_id))

    @expose("/taak/<string:job_id>")
    @has_access
    def job(self, job_id):
        info = jobs.status(job_id[:64]) if job_id.isalnum() else None
        if info is None:
            abort(404)
        if info.status == jobs.FINISHED and isinstance(info.result, str):
            flash(f"Import geweigerd, er is niets gewijzigd: {info.result}", "danger")
            return redirect(url_for(".index"))
        if info.status == jobs.FINISHED:
            return self.render_template("gemma/import_report.html", report=info.result, form=None, applied=True)
        return self.render_template("gemma/import_job.html", job=info)

    @expose("/annuleren", methods=["POST"])
    @has_access
    def cancel(self):
        form = ConfirmForm()
        if not form.validate_on_submit():
            abort(400)
        _discard_upload()
        flash("De import is geannuleerd; er is niets gewijzigd.", "info")
        return redirect(url_for(".index"))


# --------------------------------------------------------------------------- public pages
def _fold(text: str | None) -> str:
    normalized = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in normalized if not unicodedata.combining(c)).casefold()


class GemmaPublicView(BaseView):
    """Public reference data: readable by everybody, the Bezoeker (anonymous) included."""

    route_base = "/gemma/referentiecomponenten"
    default_view = "list"
    class_permission_name = PUBLIC_VIEW

    @expose("/")
    def list(self):
        query = request.args.get("q", "").strip()[:200]
        rows = (db.session.query(Referentiecomponent).filter(Referentiecomponent.in_release.is_(True))
                .order_by(Referentiecomponent.name).all())
        if query:
            needle = _fold(query)
            rows = [r for r in rows if needle in _fold(r.name) or needle in _fold(r.description)]
        return self.render_template("gemma/referentiecomponenten.html", rows=rows, q=query)

    @expose("/<string:object_id>")
    @cacheable
    def show(self, object_id):
        row = db.session.query(Referentiecomponent).filter_by(object_id=object_id.lower()[:64]).first()
        if row is None:
            abort(404)
        links = (db.session.query(StandaardVerplichting)
                 .options(selectinload(StandaardVerplichting.standaard))
                 .filter_by(referentiecomponent_id=row.id, in_release=True).all())
        by_kind = {kind: sorted((link.standaard for link in links if link.kind == kind), key=lambda s: s.name.lower())
                   for kind in ("verplicht", "aanbevolen")}
        from core.catalogue.queries import public_packages_on_referentiecomponent

        return self.render_template("gemma/referentiecomponent.html", row=row, verplicht=by_kind["verplicht"],
                                    aanbevolen=by_kind["aanbevolen"],
                                    packages=public_packages_on_referentiecomponent(row.id))


# --------------------------------------------------------------------------- hooks
@hookimpl
def register_models():
    return list(MODELS)


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view(GemmaImportView, "GEMMA importeren", label="GEMMA importeren", icon="fa-upload",
                        **in_category(BEHEER))
    appbuilder.add_view_no_menu(GemmaPublicView())


@hookimpl
def register_menu(appbuilder):
    appbuilder.add_link("Referentiecomponenten", href="/gemma/referentiecomponenten/", label="Referentiecomponenten",
                        **in_category(GEMMA))


@hookimpl
def role_permissions():
    return {name: menu("Referentiecomponenten", GEMMA) for name in all_roles()}


@hookimpl
def register_commands(cli):
    @cli.command("gemma-import", help="Een GEMMA-release (ArchiMate-uitwisselingsbestand) importeren.")
    @click.argument("bestand", type=click.Path(dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Alleen tonen wat er zou veranderen.")
    @with_appcontext
    def gemma_import(bestand, dry_run):
        if not os.path.isfile(bestand):
            raise click.ClickException(f"Bestand niet gevonden: {bestand}")
        try:
            report = import_file(bestand, dry_run=dry_run)
        except AmeffError as exc:
            raise click.ClickException(f"Import geweigerd, er is niets gewijzigd: {exc}") from None
        for line in report.lines():
            click.echo(line)
        if dry_run:
            click.echo("Proefimport: er is niets gewijzigd.")
        elif report.has_changes:
            click.echo("De GEMMA-release is geïmporteerd.")


@hookimpl
def seed_data(app, demo):
    if not importer.has_gemma_data(db.session):
        import_file(RELEASE_PATH)


@hookimpl
def default_settings():
    # Largest GEMMA release (AMEFF file) an upload may be.
    return {"GEMMA_MAX_UPLOAD_BYTES": DEFAULT_MAX_BYTES}
