"""Documents of packages: the supplier's pages and API, VNG's review queue and the file route.

Security documents (``SECURITY_DOCUMENT_KINDS``) start as concept and are visible to
others only after the Functioneel beheerder approves them; a new file or URL sends them
back to concept. Sales material (e.g. case studies) needs no review.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup
from marshmallow import ValidationError as SchemaError
from sqlalchemy import inspect, select, update
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from core import audit, files
from core.catalogue.access import is_public, may_see_document
from core.catalogue.models import (
    DOCUMENT_AUDIENCES,
    DOCUMENT_KINDS,
    DOCUMENT_REVIEW_STATUSES,
    SECURITY_DOCUMENT_KINDS,
    PackageDocument,
    label,
)
from core.events import DocumentApproved, DocumentRejected, emit
from core.extensions import db
from core.mail import absolute_url
from core.models import utcnow
from core.tenancy import TenantModelView, current_user, sees_all_organisations
from plugins.f004_aanbod.shared import (
    URL_CHECK,
    Api,
    ApiRefused,
    Pages,
    manager_emails,
    pdf_upload,
    send_safely,
    text,
    when,
)

FILE_OR_URL_REQUIRED = "Voeg het document toe: upload een PDF-bestand of vul een webadres in."
CONCEPT, APPROVED, REJECTED = "concept", "goedgekeurd", "afgewezen"


def initial_status(kind: str) -> str:
    return CONCEPT if kind in SECURITY_DOCUMENT_KINDS else APPROVED


def reset_review(item: PackageDocument) -> None:
    item.review_status = CONCEPT
    item.review_note = None
    item.reviewed_by_id = None
    item.reviewed_on = None


def apply_review_rule(item: PackageDocument, new_file: bool) -> bool:
    """After a change: a security document with a new file or URL (or a new kind) waits for review again.

    Returns True when the document (again) waits for review.
    """
    state = inspect(item)
    changed = new_file or any(state.attrs[name].history.has_changes() for name in ("url", "kind"))
    if item.kind not in SECURITY_DOCUMENT_KINDS:
        item.review_status = APPROVED
        return False
    if state.transient or state.pending or changed:
        reset_review(item)
        return True
    return item.review_status == CONCEPT


def file_required(form, field):
    """On the upload field, after its check: a PDF, a URL, or (when editing) the file it already has."""
    if getattr(field, "checked", None) is not None or (form.url.data or "").strip():
        return
    pk = (request.view_args or {}).get("pk")
    doc = db.session.get(PackageDocument, int(pk)) if pk is not None and str(pk).isdigit() else None
    if doc is not None and doc.file_id is not None:
        return
    raise ValidationError(FILE_OR_URL_REQUIRED)


def _link(doc_file) -> Markup | str:
    if doc_file is None:
        return ""
    return Markup('<a href="{}">{}</a>').format(url_for("DocumentFileView.download", token=doc_file.token),
                                               doc_file.download_name)


class PackageDocumentView(Pages):
    """The supplier's documents of its packages."""

    datamodel = SQLAInterface(PackageDocument)
    route_base = "/pakketdocumenten"
    class_permission_name = "PackageDocument"
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit"}
    list_title = "Documenten"
    empty_message = "Nog geen documenten"
    show_title = "Document"
    add_title = "Document toevoegen"
    edit_title = "Document wijzigen"
    add_row_message = "Het document is toegevoegd aan {parent}."
    edit_row_message = "Het document van {parent} is opgeslagen."
    delete_row_message = "Het document is verwijderd uit {parent}."
    label_columns = {"package": "Pakket", "kind": "Soort", "title": "Titel", "url": "Webadres",
                     "upload": "Bestand (PDF, maximaal 10 MB)", "file": "Bestand", "audience": "Zichtbaar voor",
                     "review_status": "Beoordeling", "review_note": "Reden van afwijzing", "changed_on": "Gewijzigd op"}
    description_columns = {
        "kind": "Verwerkersovereenkomst, TPM-verklaring, pentest en DPIA-criteria worden eerst door VNG "
                "beoordeeld; daarna zien anderen ze.",
        "url": "Een webadres van het document, of upload hieronder een PDF.",
    }
    list_columns = ["package", "kind", "title", "audience", "review_status", "changed_on"]
    show_columns = ["package", "kind", "title", "url", "file", "audience", "review_status", "review_note",
                    "changed_on"]
    add_columns = ["package", "kind", "title", "url", "upload", "audience"]
    edit_columns = add_columns
    search_columns = ["package", "kind", "title", "audience", "review_status"]
    order_columns = ["kind", "title", "changed_on"]
    base_order = ("changed_on", "desc")
    formatters_columns = {"kind": lambda v: label(DOCUMENT_KINDS, v),
                          "audience": lambda v: label(DOCUMENT_AUDIENCES, v),
                          "review_status": lambda v: label(DOCUMENT_REVIEW_STATUSES, v),
                          "title": text, "url": text, "review_note": text, "file": _link, "changed_on": when}
    validators_columns = {
        "package": [DataRequired(message="Kies een pakket.")],
        "title": [DataRequired(message="Vul een titel in."), Length(max=200, message="Maximaal 200 tekens.")],
        "url": URL_CHECK,
    }
    add_form_extra_fields = {
        "kind": SelectField("Soort", choices=list(DOCUMENT_KINDS),
                            validators=[DataRequired(message="Kies een soort document.")]),
        "audience": SelectField("Zichtbaar voor", choices=list(DOCUMENT_AUDIENCES), default="iedereen",
                                validators=[DataRequired(message="Kies voor wie het document zichtbaar is.")]),
        "upload": FileField("Bestand (PDF, maximaal 10 MB)", validators=[pdf_upload(), file_required]),
    }
    edit_form_extra_fields = add_form_extra_fields

    def process_form(self, form, is_created):
        g.f004_document = getattr(form.upload, "checked", None)
        form.upload.data = None
        del form.upload

    def _store(self, item) -> bool:
        checked = g.pop("f004_document", None)
        if checked is None:
            return False
        old = item.file
        item.file = files.store(db.session, checked, item.organisation_id, kind="document", public=False)
        if old is not None:
            db.session.flush()
            files.discard(db.session, old)
        return True

    def pre_add(self, item):
        super().pre_add(item)
        self._store(item)
        item.review_status = initial_status(item.kind)

    def post_add(self, item):
        if item.review_status == CONCEPT:
            flash("Dit document is zichtbaar voor anderen zodra VNG het heeft goedgekeurd.", "info")

    def pre_update(self, item):
        super().pre_update(item)
        if apply_review_rule(item, self._store(item)) and inspect(item).attrs.review_status.history.has_changes():
            flash("Het document is gewijzigd en wordt opnieuw door VNG beoordeeld.", "info")

    def pre_delete(self, item):
        super().pre_delete(item)
        if item.file is not None:
            files.discard(db.session, item.file)


def document_file_url(doc: PackageDocument) -> str | None:
    return url_for("DocumentFileView.download", token=doc.file.token) if doc.file is not None else None


def _choice(choices, what: str):
    values = [value for value, _ in choices]

    def check(value):
        if value not in values:
            raise SchemaError(f"Kies een {what} uit de lijst: " + ", ".join(values) + ".")
    return check


def _url(value):
    if value and not value.lower().startswith(("https://", "http://")):
        raise SchemaError("Vul een volledig webadres in, met https://.")


class PackageDocumentApi(Api):
    """``/api/v1/pakketdocumenten``: documents by URL (files are uploaded on the page)."""

    datamodel = SQLAInterface(PackageDocument)
    resource_name = "pakketdocumenten"
    class_permission_name = "PackageDocumentApi"
    list_columns = show_columns = ["id", "package.id", "package.name", "kind", "title", "url", "audience",
                                   "review_status", "review_note", "changed_on"]
    add_columns = ["package", "kind", "title", "url", "audience"]
    edit_columns = add_columns
    order_columns = ["title", "changed_on"]
    search_columns = ["package", "kind", "review_status"]
    validators_columns = {"kind": _choice(DOCUMENT_KINDS, "soort"),
                          "audience": _choice(DOCUMENT_AUDIENCES, "doelgroep"), "url": _url}

    def _check(self, item):
        if not (item.url or "").strip() and item.file_id is None:
            raise ApiRefused(FILE_OR_URL_REQUIRED)
        if not (item.title or "").strip():
            raise ApiRefused("Vul een titel in.")

    def pre_add(self, item):
        super().pre_add(item)
        self._check(item)
        item.review_status = initial_status(item.kind)

    def pre_update(self, item):
        super().pre_update(item)
        self._check(item)
        apply_review_rule(item, new_file=False)


# --- the review queue of the Functioneel beheerder ------------------------------------

QUEUE_TABS = [(CONCEPT, "Te beoordelen"), (APPROVED, "Goedgekeurd"), (REJECTED, "Afgewezen"), ("alle", "Alle")]


def selected_status() -> str:
    wanted = request.args.get("status", "")
    return wanted if wanted in {key for key, _ in QUEUE_TABS} else QUEUE_TABS[0][0]


class ReviewQueueFilter(BaseFilter):
    """Security documents only; on the list page only the chosen status tab."""

    name = "Beoordeling"
    arg_name = None

    def apply(self, query, value):
        query = query.filter(PackageDocument.kind.in_(SECURITY_DOCUMENT_KINDS))
        status = selected_status()
        if request.endpoint == "DocumentReviewView.list" and status != "alle":
            query = query.filter(PackageDocument.review_status == status)
        return query


class ApproveForm(FlaskForm):
    """Only the CSRF token."""


class RejectForm(FlaskForm):
    reason = TextAreaField("Reden van afwijzing (de leverancier krijgt deze tekst te zien)",
                           validators=[DataRequired(message="Vul de reden van de afwijzing in."),
                                       Length(min=5, max=2000, message="De reden moet 5 tot 2000 tekens lang zijn.")])


class DocumentReviewView(TenantModelView):
    """Security documents for the Functioneel beheerder: read, approve, reject with a reason."""

    datamodel = SQLAInterface(PackageDocument)
    route_base = "/beheer/documenten"
    class_permission_name = "DocumentReview"
    base_permissions = ["can_list", "can_show", "can_approve", "can_reject"]
    exclude_route_methods = {"add", "edit", "delete", "download", "action", "action_post"}
    list_template = "f004/document_review_list.html"
    list_title = "Documenten beoordelen"
    empty_message = "Er wachten geen documenten op beoordeling"
    show_title = "Document beoordelen"
    list_columns = ["package.organisation.name", "package.name", "kind", "title", "review_status", "changed_on"]
    label_columns = {"package.organisation.name": "Leverancier", "package.name": "Pakket", "kind": "Soort",
                     "title": "Titel", "review_status": "Beoordeling", "changed_on": "Gewijzigd op"}
    formatters_columns = {"kind": lambda v: label(DOCUMENT_KINDS, v), "title": text,
                          "review_status": lambda v: label(DOCUMENT_REVIEW_STATUSES, v), "changed_on": when}
    search_columns = ["title", "changed_on"]
    order_columns = ["changed_on", "title"]
    base_order = ("changed_on", "asc")
    base_filters = [["id", ReviewQueueFilter, None]]
    page_size = 50

    @expose("/list/")
    @has_access
    def list(self):
        widgets = self._list()
        return self.render_template(self.list_template, title=self.list_title, widgets=widgets,
                                    tabs=QUEUE_TABS, current_status=selected_status())

    def _document(self, pk) -> PackageDocument | None:
        return self.get_tenant_item(pk)

    def _render_show(self, doc, reject_form=None, status: int = 200):
        return self.render_template(
            "f004/document_review_show.html", document=doc, title=self.show_title, approve_form=ApproveForm(),
            reject_form=reject_form or RejectForm(formdata=None), label=label, kinds=DOCUMENT_KINDS,
            audiences=DOCUMENT_AUDIENCES, statuses=DOCUMENT_REVIEW_STATUSES, when=when,
            file_url=document_file_url(doc)), status

    @expose("/show/<int:pk>")
    @has_access
    def show(self, pk):
        doc = self._document(pk)
        if doc is None:
            abort(404)
        return self._render_show(doc)

    def _decide(self, doc, status: str, reason: str | None) -> bool:
        """Conditional update: only a document that still waits for review; True if this request did it."""
        user = current_user()
        result = db.session.execute(
            update(PackageDocument)
            .where(PackageDocument.id == doc.id, PackageDocument.review_status == CONCEPT)
            .values(review_status=status, review_note=reason, reviewed_by_id=user.id, reviewed_on=utcnow(),
                    changed_on=utcnow())
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            db.session.rollback()
            flash("Dit document wacht niet (meer) op beoordeling.", "warning")
            return False
        return True

    def _mail(self, doc, subject: str, template: str, **context) -> None:
        sent = send_safely(manager_emails(doc.organisation_id), subject, template, document=doc,
                           package=doc.package, kind=label(DOCUMENT_KINDS, doc.kind),
                           link=absolute_url(url_for("PackageDocumentView.show", pk=doc.id)), **context)
        if not sent:
            flash("De e-mail aan de leverancier kon niet worden verstuurd.", "warning")

    @expose("/goedkeuren/<int:pk>", methods=["POST"])
    @has_access
    def approve(self, pk):
        doc = self._document(pk)
        if doc is None:
            abort(404)
        if not ApproveForm().validate_on_submit():
            flash("Goedkeuren kan alleen met de knop op deze pagina.", "warning")
            return redirect(url_for(".show", pk=pk))
        if self._decide(doc, APPROVED, None):
            audit.record(db.session, "document_goedkeuren", object_type="PackageDocument", object_id=doc.id,
                         organisation_id=doc.organisation_id)
            emit(DocumentApproved(document_id=doc.id, package_id=doc.package_id, organisation_id=doc.organisation_id,
                                  actor_id=current_user().id))
            db.session.refresh(doc)  # the review was an UPDATE
            self._mail(doc, "Uw document is goedgekeurd", "f004_document_approved")
            db.session.commit()  # the review and its mail (outbox) together
            doc = db.session.get(PackageDocument, pk)
            flash(f"Het document “{doc}” van {doc.package.name} is goedgekeurd.", "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/afwijzen/<int:pk>", methods=["POST"])
    @has_access
    def reject(self, pk):
        doc = self._document(pk)
        if doc is None:
            abort(404)
        form = RejectForm()
        if not form.validate_on_submit():
            return self._render_show(doc, reject_form=form, status=400)
        reason = form.reason.data.strip()
        if self._decide(doc, REJECTED, reason):
            audit.record(db.session, "document_afwijzen", object_type="PackageDocument", object_id=doc.id,
                         organisation_id=doc.organisation_id, details={"reden": reason})
            emit(DocumentRejected(document_id=doc.id, package_id=doc.package_id, organisation_id=doc.organisation_id,
                                  reason=reason, actor_id=current_user().id))
            db.session.refresh(doc)  # the review was an UPDATE
            self._mail(doc, "Uw document is afgewezen", "f004_document_rejected", reason=reason)
            db.session.commit()  # the review and its mail (outbox) together
            doc = db.session.get(PackageDocument, pk)
            flash(f"Het document “{doc}” van {doc.package.name} is afgewezen.", "success")
        return redirect(url_for(".show", pk=pk))


# --- the files of documents ------------------------------------------------------------

def viewer() -> tuple[int | None, str | None, bool]:
    """(organisation id, organisation type, sees all) of the current visitor."""
    user = current_user()
    org = getattr(user, "organisation", None) if user is not None else None
    return (org.id if org else None), (org.type if org else None), sees_all_organisations()


def may_download(doc: PackageDocument) -> bool:
    """The document rule (audience, review) and, for others than the owner and VNG, a public package."""
    org_id, org_type, sees_all = viewer()
    if not may_see_document(doc, org_id, org_type, sees_all):
        return False
    return sees_all or doc.organisation_id == org_id or is_public(doc.package)


class DocumentFileView(BaseView):
    """The file of a package document, for whoever may see the document (else 404)."""

    route_base = "/documentbestanden"
    default_view = "download"

    @expose("/<token>")
    def download(self, token):
        row = db.session.execute(
            select(PackageDocument, files.StoredFile)
            .join(files.StoredFile, files.StoredFile.id == PackageDocument.file_id)
            .where(files.StoredFile.token == token[:64])).first()
        if row is None or not may_download(row[0]):
            abort(404)
        response = files.file_response(row[1], inline=False)
        if response is None:
            abort(404)
        response.headers["Cache-Control"] = "private, no-store"
        return response

