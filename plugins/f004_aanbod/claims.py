"""Standard claims of packages (page and API), their evidence files and the per-package standards page."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import contains_eager
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from core import files
from core.catalogue.access import is_public
from core.catalogue.models import Package, StandardClaim
from core.catalogue.standards import standards_for_package, standards_for_packages, version_label
from core.extensions import db
from core.gemma.models import Standaard, Standaardversie
from core.models import Organisation
from core.tenancy import current_organisation_id, sees_all_organisations
from plugins.f004_aanbod.shared import URL_CHECK, Api, ApiRefused, Pages, own_package, pdf_upload, text, when

EVIDENCE_REQUIRED = "Voeg bewijs toe: upload een PDF-bestand of vul een webadres in."


def _editing_pk() -> int | None:
    pk = (request.view_args or {}).get("pk")
    try:
        return int(pk) if pk is not None else None
    except (TypeError, ValueError):
        return None


def _editing_claim() -> StandardClaim | None:
    pk = _editing_pk()
    return db.session.get(StandardClaim, pk) if pk is not None else None


def version_choices():
    """Versions of standards in the current release, plus the one the edited claim links to."""
    claim = _editing_claim()
    current = claim.standaardversie_id if claim is not None else None
    in_release = and_(Standaardversie.in_release.is_(True), Standaard.in_release.is_(True))
    return (db.session.query(Standaardversie).join(Standaardversie.standaard)
            .options(contains_eager(Standaardversie.standaard))
            .filter(or_(in_release, Standaardversie.id == current) if current else in_release)
            .order_by(Standaard.name, Standaardversie.name))


def claim_exists(package_id: int, version_id: int, except_id: int | None = None) -> bool:
    query = select(StandardClaim.id).where(StandardClaim.package_id == package_id,
                                           StandardClaim.standaardversie_id == version_id)
    if except_id is not None:
        query = query.where(StandardClaim.id != except_id)
    return db.session.scalar(query) is not None


def duplicate_message(package: Package, version: Standaardversie) -> str:
    return (f"{package.name} claimt {version_label(version)} al. Wijzig de bestaande claim in plaats van "
            "een tweede toe te voegen.")


def unique_claim(form, field):
    package = getattr(form, "package", None)
    package = package.data if package is not None else None
    if package is None or field.data is None:
        return
    if claim_exists(package.id, field.data.id, _editing_pk()):
        raise ValidationError(duplicate_message(package, field.data))


def evidence_required(form, field):
    """On the upload field, after its check: an uploaded PDF, a URL, or (when editing) the PDF it has."""
    if getattr(field, "checked", None) is not None or (form.evidence_url.data or "").strip():
        return
    claim = _editing_claim()
    if claim is not None and claim.evidence_file_id is not None:
        return
    raise ValidationError(EVIDENCE_REQUIRED)


def _evidence_link(stored) -> Markup | str:
    if stored is None:
        return ""
    return Markup('<a href="{}">{}</a>').format(url_for("StandardClaimView.evidence", token=stored.token),
                                               stored.download_name)


def _url_link(url) -> Markup | str:
    if not url:
        return ""
    if not url.lower().startswith(("https://", "http://")):
        return escape(url)
    return Markup('<a href="{0}" rel="noopener noreferrer nofollow">{0}</a>').format(url)


class StandardClaimView(files.EvidenceUploadMixin, Pages):
    """Standards a package supports, each with evidence (PDF or URL)."""

    evidence_kind = "standaardbewijs"
    datamodel = SQLAInterface(StandardClaim)
    route_base = "/standaardclaims"
    class_permission_name = "StandardClaim"
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit"}
    list_title = "Standaardclaims"
    empty_message = "Nog geen standaardclaims"
    show_title = "Standaardclaim"
    add_title = "Standaardclaim toevoegen"
    edit_title = "Standaardclaim wijzigen"
    add_row_message = "De standaardclaim is toegevoegd aan {parent}."
    edit_row_message = "De standaardclaim van {parent} is opgeslagen."
    delete_row_message = "De standaardclaim is verwijderd uit {parent}."
    label_columns = {"package": "Pakket", "standaardversie": "Standaardversie", "note": "Toelichting",
                     "evidence_url": "Bewijs (webadres)", "evidence_upload": "Bewijs (PDF, maximaal 10 MB)",
                     "evidence_file": "Bewijs (PDF)", "changed_on": "Gewijzigd op"}
    description_columns = {
        "standaardversie": "Alleen versies van standaarden in de huidige GEMMA-release. Typ om te zoeken.",
        "evidence_url": "Een webadres met het bewijs, of upload hieronder een PDF.",
    }
    list_columns = ["package", "standaardversie", "evidence_url", "evidence_file", "note", "changed_on"]
    show_columns = ["package", "standaardversie", "evidence_url", "evidence_file", "note", "changed_on"]
    add_columns = ["package", "standaardversie", "evidence_url", "evidence_upload", "note"]
    edit_columns = add_columns
    search_columns = ["package", "standaardversie", "note"]
    order_columns = ["changed_on"]
    base_order = ("changed_on", "desc")
    formatters_columns = {"note": text, "evidence_url": _url_link, "evidence_file": _evidence_link,
                          "changed_on": when}
    validators_columns = {
        "evidence_url": URL_CHECK,
        "note": [Optional(), Length(max=2000, message="Maximaal 2000 tekens.")],
        "package": [DataRequired(message="Kies een pakket.")],
    }
    add_form_extra_fields = {
        "standaardversie": QuerySelectField(
            "Standaardversie", query_func=version_choices, get_pk_func=lambda v: v.id, get_label=version_label,
            widget=Select2Widget(), allow_blank=True, blank_text="Kies een standaardversie",
            validators=[DataRequired(message="Kies een standaardversie."), unique_claim]),
        "evidence_upload": FileField("Bewijs (PDF, maximaal 10 MB)",
                                     validators=[pdf_upload(), evidence_required]),
    }
    edit_form_extra_fields = add_form_extra_fields

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        """``?standaardversie=<id>`` preselects a version (links on the standards page)."""
        if request.method == "GET" and request.args.get("standaardversie", "").isdigit():
            wanted = int(request.args["standaardversie"])
            form.standaardversie.data = next((v for v in version_choices() if v.id == wanted), None)
        return super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    @expose("/bewijs/<token>")
    def evidence(self, token):
        """The evidence PDF: for everybody when the package is public, else for the owner and VNG."""
        row = db.session.execute(
            select(StandardClaim, files.StoredFile)
            .join(files.StoredFile, files.StoredFile.id == StandardClaim.evidence_file_id)
            .where(files.StoredFile.token == token[:64])
        ).first()
        if row is None:
            abort(404)
        claim, stored = row
        mine = sees_all_organisations() or claim.organisation_id == current_organisation_id()
        if not (mine or is_public(claim.package)):
            abort(404)
        response = files.file_response(stored, inline=False)
        if response is None:
            abort(404)
        return response


class StandardClaimApi(Api):
    """``/api/v1/standaardclaims``: evidence as a URL (a PDF is uploaded on the page)."""

    datamodel = SQLAInterface(StandardClaim)
    resource_name = "standaardclaims"
    class_permission_name = "StandardClaimApi"
    list_columns = show_columns = ["id", "package.id", "package.name", "standaardversie.id",
                                   "standaardversie.name", "evidence_url", "note", "changed_on"]
    add_columns = ["package", "standaardversie", "evidence_url", "note"]
    edit_columns = add_columns
    order_columns = ["changed_on"]
    search_columns = ["package", "standaardversie"]

    def _check(self, item, existing_version_id=None):
        version = item.standaardversie
        if version is None or item.package is None:
            raise ApiRefused("Kies een pakket en een standaardversie.")
        in_release = version.in_release and (version.standaard is None or version.standaard.in_release)
        if not in_release and version.id != existing_version_id:
            raise ApiRefused("Deze standaardversie hoort niet bij de huidige GEMMA-release.")
        if claim_exists(item.package.id, version.id, item.id):
            raise ApiRefused(duplicate_message(item.package, version))
        if not item.evidence_url and item.evidence_file_id is None:
            raise ApiRefused(EVIDENCE_REQUIRED)
        if item.evidence_url and not item.evidence_url.lower().startswith(("https://", "http://")):
            raise ApiRefused("Een webadres begint met https://.")

    def pre_add(self, item):
        super().pre_add(item)
        with db.session.no_autoflush:
            self._check(item)

    def pre_update(self, item):
        from sqlalchemy import inspect

        history = inspect(item).attrs.standaardversie_id.history
        original = history.deleted[0] if history.deleted else item.standaardversie_id
        super().pre_update(item)
        with db.session.no_autoflush:
            self._check(item, existing_version_id=original)


class PackageStandardsView(BaseView):
    """Per package: the standards its referentiecomponenten make mandatory or recommend, claimed or not."""

    route_base = "/pakketstandaarden"
    default_view = "index"
    class_permission_name = "PackageStandards"
    method_permission_name = {"index": "show", "show": "show"}

    @expose("/")
    @has_access
    def index(self):
        query = select(Package).order_by(Package.name)
        if not sees_all_organisations():
            query = query.where(Package.organisation_id == (current_organisation_id() or -1))
        packages = list(db.session.scalars(query.limit(500)).unique())
        overview = standards_for_packages([p.id for p in packages])
        return self.render_template("f004/standards_index.html", packages=packages, overview=overview,
                                    title="Standaarden per pakket")

    @expose("/<package_id>")
    @has_access
    def show(self, package_id):
        package = own_package(package_id)
        if package is None:
            abort(404)
        standards = standards_for_package(package.id)
        supplier = db.session.get(Organisation, package.organisation_id)
        return self.render_template("f004/standards.html", package=package, supplier=supplier,
                                    standards=standards, version_label=version_label,
                                    title=f"Standaarden van {package.name}")
