"""References: a municipality tells others "ask us about this package".

The supplier asks a customer to be a reference (from its klantoverzicht): that sets
``Reference.asked_on`` and e-mails the customer's beheerders. The municipality opts in
or out per usage, with a contact person it chooses, on its usage page; it may opt in
without being asked. The public package page lists the names of the organisations that
opted in with an active usage; visitors see names only. Ending a usage drops it from
that list (``drop_ended``, called on ``UsageEnded``).

Every change is audited (the row changes automatically, plus an explicit entry naming
the act) and emitted as ``ReferenceChanged`` (organisation and day, never the person).
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import Email, Length, Optional, ValidationError

from core import accounts, audit, mail
from core.catalogue.models import ACTIVE_USAGE_STATUSES, Usage
from core.contacts import ContactPerson
from core.events import ReferenceChanged, emit
from core.extensions import db
from core.mail import absolute_url
from core.models import Organisation, utcnow
from core.tenancy import current_organisation_id, current_user, sees_all_organisations
from plugins.f013_gebruik.models import Reference

log = logging.getLogger(__name__)

#: Organisation types whose signed-in users see a reference's contact person on the package page.
PEER_TYPES = ("gemeente", "samenwerking")
NOT_ACTIVE = "Alleen een gebruik dat niet is beëindigd kan als referentie dienen."
OWN_CONTACT = "Kies een contactpersoon van uw eigen organisatie, of vul de gegevens zelf in."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def reference_of(usage_id: int) -> Reference | None:
    return db.session.scalar(select(Reference).where(Reference.usage_id == usage_id))


def _row_for(usage: Usage) -> Reference:
    reference = reference_of(usage.id)
    if reference is None:
        reference = Reference(usage_id=usage.id, organisation_id=usage.organisation_id, package_id=usage.package_id,
                              opted_in=False)
        db.session.add(reference)
    return reference


def _actor_id() -> int | None:
    user = current_user()
    return user.id if user is not None else None


# --- asking (the supplier) ------------------------------------------------------------
def ask(usage: Usage) -> Reference:
    """The supplier asks the customer of ``usage`` to be a reference (the caller checked ownership).

    Sets ``asked_on`` (again, when asked before), audits it and, after the commit, mails
    the customer's beheerders. Raises ValueError (Dutch) for an ended usage.
    """
    if usage.status not in ACTIVE_USAGE_STATUSES:
        raise ValueError(NOT_ACTIVE)
    reference = _row_for(usage)
    reference.asked_on = utcnow()
    reference.asked_by_id = _actor_id()
    db.session.flush()
    audit.record(db.session, "referentie_gevraagd", object_type="Reference", object_id=reference.id,
                 organisation_id=usage.package.organisation_id,
                 details={"pakket": usage.package.name, "klant": usage.organisation.name})
    _mail_asked(usage)  # in the outbox, committed with the request
    db.session.commit()
    return reference


def _mail_asked(usage: Usage) -> bool:
    to = sorted({u.email for u in accounts.active_managers(usage.organisation_id) if u.email})
    if not to:
        return False
    supplier = usage.package.organisation
    try:
        mail.send(to, f"{supplier.name} vraagt of u referentie wilt zijn voor {usage.package.name}",
                  "f013_reference_asked", municipality=usage.organisation, supplier=supplier, package=usage.package,
                  link=absolute_url(url_for("UsageView.show", pk=usage.id)))
    except Exception:  # noqa: BLE001 - a failing mail server must not undo the request
        log.exception("Referentieverzoek voor gebruik %s kon niet worden gemaild", usage.id)
        return False
    return True


# --- opting in or out (the municipality) ------------------------------------------------
def set_reference(usage: Usage, opted_in: bool, name: str | None = None, email: str | None = None,
                  phone: str | None = None) -> Reference:
    """The municipality of ``usage`` opts in (with a contact) or out (the caller checked ownership)."""
    if opted_in and usage.status not in ACTIVE_USAGE_STATUSES:
        raise ValueError(NOT_ACTIVE)
    reference = _row_for(usage)
    was = bool(reference.opted_in)
    reference.opted_in = opted_in
    reference.contact_name = (name or None) if opted_in else None
    reference.contact_email = (email or None) if opted_in else None
    reference.contact_phone = (phone or None) if opted_in else None
    reference.changed_by_id = _actor_id()
    db.session.flush()
    audit.record(db.session, "referentie_aan" if opted_in else "referentie_uit", object_type="Reference",
                 object_id=reference.id, organisation_id=usage.organisation_id,
                 details={"pakket": usage.package.name, "was": was})
    emit(ReferenceChanged(organisation_id=usage.organisation_id, package_id=usage.package_id,
                          day=dt.date.today(), opted_in=opted_in))
    return reference


def drop_ended(organisation_id: int, package_id: int) -> None:
    """A usage ended: its organisation is no reference for the package any more (same transaction)."""
    reference = db.session.scalar(select(Reference).where(Reference.organisation_id == organisation_id,
                                                          Reference.package_id == package_id,
                                                          Reference.opted_in.is_(True)))
    if reference is None:
        return
    reference.opted_in = False
    reference.changed_by_id = _actor_id()
    audit.record(db.session, "referentie_uit", object_type="Reference", object_id=reference.id,
                 organisation_id=organisation_id, details={"reden": "gebruik beëindigd"})
    emit(ReferenceChanged(organisation_id=organisation_id, package_id=package_id, day=dt.date.today(),
                          opted_in=False))


# --- the public package page ---------------------------------------------------------------
def public_references(package_id: int) -> list[Reference]:
    """Opted-in references of the package with an active usage, by organisation name (one statement)."""
    return list(db.session.scalars(
        select(Reference).join(Usage, Usage.id == Reference.usage_id)
        .join(Organisation, Organisation.id == Reference.organisation_id)
        .where(Reference.package_id == package_id, Reference.opted_in.is_(True),
               Usage.status.in_(ACTIVE_USAGE_STATUSES))
        .options(joinedload(Reference.organisation))
        .order_by(func.lower(Organisation.name), Organisation.id)))


def sees_contacts(user) -> bool:
    """Signed-in users of a gemeente or samenwerking (peers who may call the reference) and VNG.

    Visitors and suppliers see names only: a contact person is shared with fellow
    municipalities, not harvested by anyone who opens the page.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if sees_all_organisations(user):
        return True
    org = getattr(user, "organisation", None)
    return org is not None and org.type in PEER_TYPES


def package_section(package, user):
    """The "Referenties" section of the public package page, or None without references."""
    references = public_references(package.id)
    if not references:
        return None
    from core.slots import Section

    html = render_template("f013/reference_section.html", package=package, references=references,
                           contacts=sees_contacts(user))
    return Section("Referenties", Markup(html), order=20)


# --- the municipality's form -----------------------------------------------------------------
class ReferenceForm(FlaskForm):
    opted_in = RadioField("Wilt u referentie zijn voor dit pakket?", choices=[
        ("ja", "Ja, andere gemeenten mogen ons noemen en benaderen"), ("nee", "Nee")], validate_choice=False)
    contact = SelectField("Kies een van uw contactpersonen", coerce=lambda v: int(v) if str(v or "").isdigit() else 0,
                          validate_choice=False)
    contact_name = StringField("Naam contactpersoon", filters=[_strip],
                               validators=[Optional(), Length(max=200, message="Maximaal 200 tekens.")])
    contact_email = StringField("E-mailadres contactpersoon", filters=[_strip], validators=[
        Optional(), Length(max=320, message="Maximaal 320 tekens."),
        Email(message="Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl.")])
    contact_phone = StringField("Telefoonnummer contactpersoon (optioneel)", filters=[_strip],
                                validators=[Optional(), Length(max=30, message="Maximaal 30 tekens.")])

    def __init__(self, organisation_id: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {c.id: c for c in db.session.scalars(
            select(ContactPerson).where(ContactPerson.organisation_id == organisation_id)
            .order_by(func.lower(ContactPerson.name)))}
        self.contact.choices = [(0, "Zelf invullen")] + [(pk, repr(c)) for pk, c in self.people.items()]

    def validate_opted_in(self, field):
        if field.data not in ("ja", "nee"):
            raise ValidationError("Kies ja of nee.")

    def validate_contact(self, field):
        if field.data and field.data not in self.people:
            raise ValidationError(OWN_CONTACT)

    def chosen_contact(self) -> tuple[str | None, str | None, str | None]:
        person = self.people.get(self.contact.data or 0)
        if person is not None:  # the chosen person's data, unless the user typed over it
            return (self.contact_name.data or person.name, self.contact_email.data or person.email,
                    self.contact_phone.data or person.phone)
        return self.contact_name.data or None, self.contact_email.data or None, self.contact_phone.data or None

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.opted_in.data == "ja":
            name, email, _ = self.chosen_contact()
            if not name:
                self.contact_name.errors = list(self.contact_name.errors) + [
                    "Kies een contactpersoon of vul de naam in."]
                ok = False
            if not email:
                self.contact_email.errors = list(self.contact_email.errors) + [
                    "Vul het e-mailadres van de contactpersoon in."]
                ok = False
        return ok


class ReferenceView(BaseView):
    """The municipality's reference choice for one of its usages (Gebruik-beheerder)."""

    route_base = "/gebruik/referentie"
    default_view = "edit"
    class_permission_name = "Reference"
    method_permission_name = {"edit": "edit"}

    def _usage(self, pk) -> Usage:
        """The usage, only of the own organisation (also for global roles: a reference is the municipality's word)."""
        org_id = current_organisation_id()
        usage = db.session.scalar(select(Usage).where(Usage.id == pk, Usage.organisation_id == (
            org_id if org_id is not None else -1)).options(joinedload(Usage.package), joinedload(Usage.organisation)))
        if usage is None:
            abort(404)
        return usage

    @expose("/<int:pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        usage = self._usage(pk)
        back = url_for("UsageView.show", pk=usage.id)
        reference = reference_of(usage.id)
        form = ReferenceForm(usage.organisation_id)
        if request.method == "GET":
            form.opted_in.data = "ja" if reference is not None and reference.opted_in else (
                "nee" if reference is not None and reference.changed_by_id else None)
            if reference is not None and reference.opted_in:
                form.contact_name.data = reference.contact_name
                form.contact_email.data = reference.contact_email
                form.contact_phone.data = reference.contact_phone
        elif form.validate_on_submit():
            name, email, phone = form.chosen_contact()
            try:
                set_reference(usage, form.opted_in.data == "ja", name, email, phone)
            except ValueError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
                return redirect(back)
            db.session.commit()
            flash(f"U bent nu referentie voor {usage.package.name}." if form.opted_in.data == "ja"
                  else f"U bent geen referentie voor {usage.package.name}.", "success")
            return redirect(back)
        status = 400 if form.is_submitted() and form.errors else 200
        return self.render_template("f013/reference_form.html", form=form, usage=usage, reference=reference,
                                    back=back, ended=usage.status not in ACTIVE_USAGE_STATUSES,
                                    title=f"Referentie voor {usage.package.name}"), status
