"""Packages a municipality registers on behalf of a supplier, and the supplier taking them over.

The municipality's Gebruik-beheerder registers a package for an approved supplier: a
concept package of that supplier with ``takeover_pending`` set. The municipality sees
only the name, supplier and status of the packages it registered. The supplier's
Aanbod-beheerder takes the package over (the flag goes) or declines it (it is deleted
and the municipality's beheerders are told).
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core import audit
from core.catalogue.access import public_package_clause
from core.catalogue.models import Package
from core.events import PackageTakenOver, emit
from core.extensions import db
from core.mail import absolute_url
from core.models import ORGANISATION_TYPE_LABELS, Organisation, OrganisationStatus
from core.tenancy import current_organisation_id, current_user
from plugins.f004_aanbod.shared import URL_CHECK, ChoiceField, manager_emails, send_safely

PENDING_LABEL = "Wacht op overname door de leverancier"
STATUS_LABELS = {"concept": "Overgenomen, concept", "gepubliceerd": "Overgenomen, gepubliceerd"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


CONCEPT = OrganisationStatus.concept.value


def approved_suppliers() -> list[tuple[int, str]]:
    """The suppliers a package may be registered for: approved ones, and concept suppliers municipalities named."""
    creator = aliased(Organisation)
    rows = db.session.execute(select(Organisation.id, Organisation.name, Organisation.status,
                                     creator.name.label("creator"), creator.type.label("creator_type"))
                              .outerjoin(creator, creator.id == Organisation.created_by_organisation_id)
                              .where(Organisation.type == "leverancier",
                                     Organisation.status.in_((OrganisationStatus.goedgekeurd.value, CONCEPT)))
                              .order_by(Organisation.name)).all()
    return [(row.id, row.name if row.status != CONCEPT else
             f"{row.name} ({concept_label(row.creator, row.creator_type)})") for row in rows]


def concept_label(creator_name: str | None, creator_type: str | None) -> str:
    if not creator_name:
        return "aangemaakt door een gemeente"
    kind = ORGANISATION_TYPE_LABELS.get(creator_type, "").lower()
    return f"aangemaakt door {kind} {creator_name}" if kind else f"aangemaakt door {creator_name}"


def _named_supplier(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(
        Organisation.type == "leverancier", func.lower(Organisation.name) == name.lower(),
        Organisation.status.in_((OrganisationStatus.goedgekeurd.value, CONCEPT)))
        .order_by(Organisation.status.desc(), Organisation.id).limit(1))  # goedgekeurd before concept


def concept_supplier(name: str, org_id: int) -> Organisation:
    """The supplier named ``name`` (any case): an approved or concept one, else a new concept organisation.

    One concept per name: a second municipality naming the same supplier gets the first one's concept.
    """
    found = _named_supplier(name)
    if found is not None:
        return found
    org = Organisation(name=name, type="leverancier", status=CONCEPT, created_by_organisation_id=org_id)
    try:
        with db.session.begin_nested():
            db.session.add(org)
    except IntegrityError:  # another municipality named it a moment ago (unique index on the concept's name)
        return _named_supplier(name)
    audit.record(db.session, "leverancier_aanmaken_als_concept", object_type="Organisation", object_id=org.id,
                 organisation_id=org_id, details={"leverancier": name})
    return org


class RegisterForm(FlaskForm):
    supplier = ChoiceField("Leverancier", coerce=int, refused="Kies een leverancier uit de lijst.")
    new_supplier = StringField("Of: naam van een leverancier die er niet bij staat", filters=[_strip], validators=[
        Optional(), Length(max=200, message="Maximaal 200 tekens.")])
    name = StringField("Naam van het pakket", filters=[_strip], validators=[
        DataRequired(message="Vul de naam van het pakket in."), Length(max=200, message="Maximaal 200 tekens.")])
    short_description = StringField("Korte omschrijving", filters=[_strip], validators=[
        Optional(), Length(max=255, message="Maximaal 255 tekens.")])
    website = StringField("Website", filters=[_strip], validators=URL_CHECK)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.supplier.choices = [(0, "Kies een leverancier")] + approved_suppliers()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        chosen, named = bool(self.supplier.data), bool(self.new_supplier.data)
        if ok and not chosen and not named:
            self.supplier.errors = list(self.supplier.errors) + [
                "Kies een leverancier, of vul de naam in van een leverancier die er niet bij staat."]
            return False
        if ok and chosen and named:
            self.new_supplier.errors = list(self.new_supplier.errors) + [
                "Kies een leverancier uit de lijst óf vul een nieuwe naam in, niet allebei."]
            return False
        return ok


class DeclineForm(FlaskForm):
    reason = TextAreaField("Toelichting voor de gemeente (optioneel)", filters=[_strip],
                           validators=[Optional(), Length(max=2000, message="Maximaal 2000 tekens.")])


class EmptyForm(FlaskForm):
    """Only the CSRF token."""


def status_label(package: Package) -> str:
    return PENDING_LABEL if package.takeover_pending else STATUS_LABELS.get(package.status, package.status)


class PackageRegistrationView(BaseView):
    """A municipality registers packages on behalf of suppliers and sees those it registered."""

    route_base = "/pakketaanmeldingen"
    default_view = "index"
    class_permission_name = "PackageRegistration"
    method_permission_name = {"index": "list", "register": "add"}

    @expose("/")
    @has_access
    def index(self):
        org_id = current_organisation_id()
        creator = aliased(Organisation)
        rows = db.session.execute(
            select(Package.id, Package.name, Package.status, Package.takeover_pending,
                   Organisation.name.label("supplier"), Organisation.status.label("supplier_status"),
                   creator.name.label("creator"), creator.type.label("creator_type"))
            .join(Organisation, Organisation.id == Package.organisation_id)
            .outerjoin(creator, creator.id == Organisation.created_by_organisation_id)
            .where(Package.registered_by_id == (org_id if org_id is not None else -1))
            .order_by(Package.name)).all()
        return self.render_template("f004/takeover_registrations.html", rows=rows, pending_label=PENDING_LABEL,
                                    status_labels=STATUS_LABELS, concept=CONCEPT,
                                    concept_label=concept_label, title="Pakketten aangemeld namens leveranciers")

    @staticmethod
    def _new_concept(form: RegisterForm, supplier: Organisation, org_id: int) -> Package | None:
        """The new concept package, or None when another municipality registered it a moment ago."""
        package = Package(organisation_id=supplier.id, registered_by_id=org_id, takeover_pending=True,
                          status="concept", name=form.name.data, short_description=form.short_description.data or None,
                          website=form.website.data or None)
        try:
            with db.session.begin_nested():
                db.session.add(package)
        except IntegrityError:  # the unique index on a registered concept's supplier and name
            return None
        return package

    @expose("/aanmelden", methods=["GET", "POST"])
    @has_access
    def register(self):
        org_id = current_organisation_id()
        if org_id is None:
            abort(404)
        form = RegisterForm()
        if form.validate_on_submit():
            supplier = db.session.get(Organisation, form.supplier.data) if form.supplier.data else \
                concept_supplier(form.new_supplier.data, org_id)
            known = db.session.scalar(select(Package.id).where(
                Package.organisation_id == supplier.id, func.lower(Package.name) == form.name.data.lower(),
                (Package.registered_by_id == org_id) | public_package_clause()
                # one concept when two municipalities name the same missing package
                | (Package.takeover_pending.is_(True) & Package.registered_by_id.isnot(None))))
            package = None if known is not None else self._new_concept(form, supplier, org_id)
            if package is None:
                form.name.errors = list(form.name.errors) + [
                    f"{supplier.name} heeft al een pakket met deze naam in de catalogus."]
            else:
                audit.record(db.session, "pakket_aanmelden_namens_leverancier", object_type="Package",
                             object_id=package.id, organisation_id=org_id,
                             details={"leverancier": supplier.name, "pakket": package.name})
                municipality = db.session.get(Organisation, org_id)
                send_safely(manager_emails(supplier.id), f"{municipality.name} heeft een pakket voor u aangemeld",
                            "f004_takeover_registered", municipality=municipality, supplier=supplier,
                            package=package, link=absolute_url(url_for("PackageTakeoverView.index")))
                db.session.commit()  # the package and its mail (outbox) together
                if supplier.status == CONCEPT:
                    flash(f"Het pakket {package.name} is aangemeld bij {supplier.name}. Deze leverancier staat "
                          "nog niet in de catalogus; zodra die zich aanmeldt, kan VNG het pakket laten "
                          "overnemen.", "success")
                else:
                    flash(f"Het pakket {package.name} is aangemeld. {supplier.name} krijgt bericht en kan het "
                          "overnemen.", "success")
                return redirect(url_for(".index"))
        status = 400 if form.is_submitted() and form.errors else 200
        return self.render_template("f004/takeover_register.html", form=form,
                                    title="Pakket aanmelden namens leverancier"), status


class PackageTakeoverView(BaseView):
    """The supplier's packages registered by municipalities: take over or decline."""

    route_base = "/over-te-nemen"
    default_view = "index"
    class_permission_name = "PackageTakeover"
    method_permission_name = {"index": "list", "accept": "accept", "decline": "decline"}

    def _pending(self):
        org_id = current_organisation_id()
        return (select(Package).where(Package.organisation_id == (org_id if org_id is not None else -1),
                                      Package.takeover_pending.is_(True)))

    @expose("/")
    @has_access
    def index(self):
        rows = db.session.execute(
            self._pending().add_columns(Organisation.name.label("registered_by"))
            .outerjoin(Organisation, Organisation.id == Package.registered_by_id)
            .order_by(Package.created_on)).all()
        return self.render_template("f004/takeover.html", rows=rows, form=EmptyForm(), decline_form=DeclineForm(),
                                    title="Over te nemen pakketten")

    def _package(self, pk) -> Package | None:
        return db.session.scalars(self._pending().where(Package.id == pk)).unique().first()

    @expose("/overnemen/<int:pk>", methods=["POST"])
    @has_access
    def accept(self, pk):
        package = self._package(pk)
        if package is None:
            flash("Dit pakket staat niet (meer) klaar om over te nemen.", "warning")
            return redirect(url_for(".index"))
        if not EmptyForm().validate_on_submit():
            flash("Het formulier is verlopen. Probeer het opnieuw.", "danger")
            return redirect(url_for(".index"))
        result = db.session.execute(update(Package).where(Package.id == package.id,
                                                          Package.takeover_pending.is_(True))
                                    .values(takeover_pending=False).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            db.session.rollback()
            flash("Dit pakket staat niet (meer) klaar om over te nemen.", "warning")
            return redirect(url_for(".index"))
        audit.record(db.session, "pakket_overnemen", object_type="Package", object_id=package.id,
                     organisation_id=package.organisation_id,
                     details={"pakket": package.name, "aangemeld_door": package.registered_by_id})
        emit(PackageTakenOver(package_id=package.id, organisation_id=package.organisation_id,
                              registered_by_id=package.registered_by_id, actor_id=current_user().id))
        db.session.commit()
        flash(f"U heeft het pakket {package.name} overgenomen. Het staat als concept in uw aanbod.", "success")
        return redirect(url_for(".index"))

    @expose("/weigeren/<int:pk>", methods=["POST"])
    @has_access
    def decline(self, pk):
        package = self._package(pk)
        if package is None:
            flash("Dit pakket staat niet (meer) klaar om over te nemen.", "warning")
            return redirect(url_for(".index"))
        form = DeclineForm()
        if not form.validate_on_submit():
            flash(" ".join(e for errors in form.errors.values() for e in errors)
                  or "Het formulier is verlopen. Probeer het opnieuw.", "danger")
            return redirect(url_for(".index"))
        name, municipality_id = package.name, package.registered_by_id
        supplier = db.session.get(Organisation, package.organisation_id)
        audit.record(db.session, "pakket_overname_weigeren", object_type="Package", object_id=package.id,
                     organisation_id=package.organisation_id,
                     details={"pakket": name, "aangemeld_door": municipality_id, "toelichting": form.reason.data})
        db.session.delete(package)
        if municipality_id is not None:
            municipality = db.session.get(Organisation, municipality_id)
            send_safely(manager_emails(municipality_id), f"{supplier.name} neemt het pakket {name} niet over",
                        "f004_takeover_declined", municipality=municipality, supplier=supplier, package_name=name,
                        reason=form.reason.data, link=absolute_url(url_for("PackageRegistrationView.index")))
        db.session.commit()
        flash(f"U heeft het pakket {name} niet overgenomen; het is verwijderd. De gemeente krijgt bericht.",
              "success")
        return redirect(url_for(".index"))
