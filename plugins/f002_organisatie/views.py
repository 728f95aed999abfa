"""Pages of the organisation profile: own profile, contact persons, certifications, public pages."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_wtf.file import FileField
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp

from core import files
from core.contacts import ContactPerson
from core.extensions import db
from core.formatting import local_time
from core.models import Organisation
from core.page_cache import cacheable
from core.tenancy import TenantModelView, current_organisation_id, sees_all_organisations
from plugins.f002_organisatie import service
from plugins.f002_organisatie.forms import PdfUpload, ProfileForm, https_only
from plugins.f002_organisatie.models import CERTIFICATION_KINDS, Certification, OrganisationProfile

ORGANISATION_FIELDS = ("name", "description", "website", "email", "phone")
#: Only a supplier has a KvK-nummer on its profile (municipalities have a CBS-code, set by VNG).
SUPPLIER_FIELDS = ("kvk_number",)
DUPLICATE_KVK = "Dit KvK-nummer hoort al bij een andere organisatie in de catalogus."
PROFILE_FIELDS = ("long_description", "street", "postcode", "city", "support_url", "manual_url")


def _text(value) -> str:
    return "" if value is None else value


def safe_next(value: str | None) -> str | None:
    """A local path to return to after saving (e.g. ``/welkom/``), never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    return value


def _organisation_fields(org) -> tuple[str, ...]:
    return ORGANISATION_FIELDS + (SUPPLIER_FIELDS if org.type == "leverancier" else ())


def _kvk_taken(org, number: str | None) -> bool:
    if not number or number == org.kvk_number:
        return False
    return db.session.scalar(select(Organisation.id).where(Organisation.kvk_number == number,
                                                           Organisation.id != org.id)) is not None


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _Pages(TenantModelView):
    """Dutch page templates with one h1 each."""

    list_template = "f002/list.html"
    show_template = "f002/show.html"
    add_template = "f002/add.html"
    edit_template = "f002/edit.html"
    page_size = 50
    tenant_parent = "organisation"  # the form sets the relationship, not the column


class ProfileView(_Pages):
    """The organisation profile: suppliers edit their own, VNG reads all, the Functioneel beheerder edits all."""

    datamodel = SQLAInterface(OrganisationProfile)
    route_base = "/profiel"
    class_permission_name = "OrganisationProfile"
    base_permissions = ["can_list", "can_show", "can_edit"]
    method_permission_name = {"list": "list", "show": "show", "edit": "edit", "mine": "edit",
                              "of_organisation": "edit"}
    exclude_route_methods = {"add", "delete", "download", "action", "action_post"}
    list_title = "Profielen"
    show_title = "Profiel"
    edit_title = "Profiel bewerken"
    label_columns = {"organisation": "Organisatie", "city": "Plaats", "changed_on": "Gewijzigd op",
                     "long_description": "Uitgebreide omschrijving", "street": "Straat en huisnummer",
                     "postcode": "Postcode", "support_url": "Supportportaal", "manual_url": "Handleidingen"}
    list_columns = ["organisation", "city", "changed_on"]
    show_columns = ["organisation", "long_description", "street", "postcode", "city", "support_url",
                    "manual_url", "changed_on"]
    search_columns = ["city"]
    order_columns = ["city", "changed_on"]
    base_order = ("changed_on", "desc")
    formatters_columns = {"changed_on": lambda v: local_time(v, empty=""), "city": _text, "street": _text,
                          "postcode": _text, "support_url": _text, "manual_url": _text, "long_description": _text}

    @expose("/mijn")
    @has_access
    def mine(self):
        """The own organisation's profile page (made empty the first time); ``next``: where a save returns."""
        org_id = current_organisation_id()
        if org_id is None:
            return redirect(url_for(".list"))
        return redirect(url_for(".edit", pk=service.profile_of(org_id, create=True).id,
                                next=safe_next(request.args.get("next"))))

    @expose("/organisatie/<int:org_id>")
    @has_access
    def of_organisation(self, org_id):
        """The profile page of an organisation the user may edit (the own one; any for the Functioneel beheerder)."""
        if not sees_all_organisations() and org_id != current_organisation_id():
            abort(404)
        org = db.session.get(Organisation, org_id)
        if org is None or org.type != "leverancier":
            abort(404)
        return redirect(url_for(".edit", pk=service.profile_of(org_id, create=True).id))

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        pk = _int_or_none(pk)
        profile = self.get_tenant_item(pk) if pk is not None else None
        if profile is None:
            abort(404)
        org = profile.organisation
        fields = _organisation_fields(org)
        form = ProfileForm()
        if org.type != "leverancier":
            del form.kvk_number
        if request.method == "GET":
            for name in fields:
                getattr(form, name).data = getattr(org, name)
            for name in PROFILE_FIELDS:
                getattr(form, name).data = getattr(profile, name)
        back = safe_next(request.args.get("next"))
        if form.validate_on_submit() and self._save(form, org, profile, fields):
            flash("Het profiel is opgeslagen.", "success")
            return redirect(back or url_for(".edit", pk=profile.id))
        status = 400 if form.errors else 200
        return self.render_template("f002/profile_edit.html", form=form, profile=profile, organisation=org,
                                    contacts=service.contact_count(org.id), back=back,
                                    title=self.edit_title), status

    def _save(self, form, org, profile, fields) -> bool:
        """Store the form; False (nothing changed, a message at the field) when the logo or KvK-nummer is refused."""
        checked = None
        try:
            checked = service.check_upload(form.logo.data, files.validate_image)
        except files.UploadRejected as exc:
            form.logo.errors = list(form.logo.errors) + [str(exc)]
        if "kvk_number" in fields and _kvk_taken(org, form.kvk_number.data):
            form.kvk_number.errors = list(form.kvk_number.errors) + [DUPLICATE_KVK]
        if form.logo.errors or ("kvk_number" in fields and form.kvk_number.errors):
            return False
        for name in fields:
            setattr(org, name, (getattr(form, name).data or "").strip() or None)
        for name in PROFILE_FIELDS:
            setattr(profile, name, getattr(form, name).data or None)
        self.pre_update(profile)
        service.replace_logo(profile, checked, remove=form.remove_logo.data)
        try:
            db.session.commit()
        except IntegrityError:  # the same KvK-nummer saved by someone else just now
            db.session.rollback()
            if "kvk_number" not in fields:
                raise
            form.kvk_number.errors = [DUPLICATE_KVK]
            return False
        return True


class ContactPersonView(_Pages):
    datamodel = SQLAInterface(ContactPerson)
    route_base = "/contactpersonen"
    class_permission_name = "ContactPerson"
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit"}
    exclude_route_methods = {"download"}
    list_title = "Contactpersonen"
    empty_message = "Nog geen contactpersonen"
    show_title = "Contactpersoon"
    add_title = "Contactpersoon toevoegen"
    edit_title = "Contactpersoon wijzigen"
    add_row_message = "De contactpersoon is toegevoegd aan {organisation}."
    edit_row_message = "De contactpersoon van {organisation} is opgeslagen."
    delete_row_message = "De contactpersoon is verwijderd uit {organisation}."
    label_columns = {"organisation": "Organisatie", "name": "Naam", "role": "Rol of functie",
                     "email": "E-mailadres", "phone": "Telefoonnummer", "changed_on": "Gewijzigd op"}
    list_columns = ["name", "role", "email", "phone", "organisation"]
    show_columns = ["name", "role", "email", "phone", "organisation", "changed_on"]
    add_columns = ["organisation", "name", "role", "email", "phone"]
    edit_columns = ["name", "role", "email", "phone"]
    search_columns = ["name", "role", "email"]
    order_columns = ["name", "role"]
    base_order = ("name", "asc")
    formatters_columns = {"role": _text, "email": _text, "phone": _text,
                          "changed_on": lambda v: local_time(v, empty="")}
    validators_columns = {
        "name": [DataRequired(message="Vul een naam in."), Length(max=200, message="Maximaal 200 tekens.")],
        "role": [Optional(), Length(max=200, message="Maximaal 200 tekens.")],
        "email": [Optional(), Email(message="Vul een geldig e-mailadres in."), Length(max=320)],
        "phone": [Optional(), Regexp(r"^[0-9+() \-]{6,30}$", message="Vul een geldig telefoonnummer in.")],
    }


def _evidence_upload_field():
    return FileField("Bewijs (PDF, maximaal 10 MB)", validators=[PdfUpload()],
                     description="Of vul bij Bewijs (webadres) een webadres in.")


CERTIFICATION_VALIDATORS = {
    "issuer": [DataRequired(message="Vul in wie het certificaat heeft uitgegeven."),
               Length(max=200, message="Maximaal 200 tekens.")],
    "other_name": [Optional(), Length(max=200, message="Maximaal 200 tekens.")],
    "evidence_url": [Optional(), URL(require_tld=True, message="Vul een volledig webadres in, met https://."),
                     Length(max=500, message="Maximaal 500 tekens."), https_only],
}


class CertificationView(files.EvidenceUploadMixin, _Pages):
    evidence_kind = "certificaat"
    datamodel = SQLAInterface(Certification)
    route_base = "/certificeringen"
    class_permission_name = "Certification"
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit"}
    exclude_route_methods = {"download"}
    list_title = "Certificeringen en verklaringen"
    empty_message = "Nog geen certificeringen of verklaringen"
    show_title = "Certificering"
    add_title = "Certificering toevoegen"
    edit_title = "Certificering wijzigen"
    add_row_message = "De certificering is toegevoegd aan {organisation}."
    edit_row_message = "De certificering van {organisation} is opgeslagen."
    delete_row_message = "De certificering is verwijderd uit {organisation}."
    label_columns = {"organisation": "Organisatie", "kind": "Soort", "title": "Certificering",
                     "other_name": "Naam (bij Anders)", "issuer": "Uitgegeven door", "valid_until": "Geldig tot",
                     "validity": "Geldigheid", "evidence_url": "Bewijs (webadres)",
                     "evidence_upload": "Bewijs (PDF, maximaal 10 MB)", "evidence_file": "Bewijs (PDF)",
                     "changed_on": "Gewijzigd op"}
    list_columns = ["title", "issuer", "validity", "organisation"]
    show_columns = ["title", "issuer", "validity", "evidence_url", "evidence_file", "organisation", "changed_on"]
    add_columns = ["organisation", "kind", "other_name", "issuer", "valid_until", "evidence_url", "evidence_upload"]
    edit_columns = ["kind", "other_name", "issuer", "valid_until", "evidence_url", "evidence_upload"]
    search_columns = ["kind", "issuer", "valid_until"]
    order_columns = ["issuer", "valid_until"]
    base_order = ("valid_until", "asc")
    formatters_columns = {"evidence_url": _text, "evidence_file": lambda v: "" if v is None else v.download_name,
                          "changed_on": lambda v: local_time(v, empty="")}
    validators_columns = CERTIFICATION_VALIDATORS
    add_form_extra_fields = {
        "kind": SelectField("Soort", choices=list(CERTIFICATION_KINDS), validators=[DataRequired()]),
        "evidence_upload": _evidence_upload_field(),
    }
    edit_form_extra_fields = add_form_extra_fields


class PublicSupplierView(BaseView):
    """The public pages of approved suppliers: anyone may read them."""

    route_base = "/leveranciers"
    default_view = "index"

    @expose("/")
    def index(self):
        return self.render_template("f002/public_list.html", suppliers=service.public_suppliers(),
                                    title="Leveranciers")

    @expose("/<int:org_id>")
    @cacheable
    def show(self, org_id):
        found = service.public_supplier(org_id)
        if found is None:
            abort(404)
        org, profile, contacts, certifications = found
        return self.render_template("f002/public_show.html", organisation=org, profile=profile,
                                    contacts=contacts, certifications=certifications, title=org.name)
