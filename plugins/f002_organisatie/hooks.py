"""F002 Organisatieprofiel: profile, contact persons, certifications and the public supplier page."""

from __future__ import annotations

from flask import url_for

from core.menu import ORGANISATIE, in_category
from core.permissions import crud, menu, read
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from core.slots import Link
from core.welcome import Step, count_text

CATEGORY = ORGANISATIE
PROFILE_MENU, CONTACTS_MENU, CERTIFICATIONS_MENU = "Profiel", "Contactpersonen", "Certificeringen"


@hookimpl
def register_models():
    from core.contacts import ContactPerson
    from plugins.f002_organisatie.models import Certification, OrganisationProfile

    return [ContactPerson, OrganisationProfile, Certification]


@hookimpl
def register_views(appbuilder):
    from plugins.f002_organisatie.views import CertificationView, ContactPersonView, ProfileView, PublicSupplierView

    common = in_category(CATEGORY)
    appbuilder.add_view_no_menu(ProfileView)
    appbuilder.add_view(ContactPersonView, CONTACTS_MENU, label="Contactpersonen", icon="fa-address-book",
                        **common)
    appbuilder.add_view(CertificationView, CERTIFICATIONS_MENU, label="Certificeringen", icon="fa-certificate",
                        **common)
    appbuilder.add_view_no_menu(PublicSupplierView())


@hookimpl
def register_apis(appbuilder):
    from plugins.f002_organisatie.api import CertificationApi, ContactPersonApi

    appbuilder.add_api(ContactPersonApi)
    appbuilder.add_api(CertificationApi)


@hookimpl
def register_menu(appbuilder):
    appbuilder.add_link(PROFILE_MENU, href="ProfileView.mine", label="Profiel", icon="fa-id-card",
                        **in_category(CATEGORY))


@hookimpl
def role_permissions():
    from plugins.f002_organisatie.api import CertificationApi, ContactPersonApi
    from plugins.f002_organisatie.views import CertificationView, ContactPersonView, ProfileView

    contacts_crud = crud(ContactPersonView, ContactPersonApi) + menu(CONTACTS_MENU, CATEGORY)
    contacts_read = read(ContactPersonView, ContactPersonApi) + menu(CONTACTS_MENU, CATEGORY)
    return {
        AANBOD_BEHEERDER: contacts_crud + crud(CertificationView, CertificationApi, ProfileView)
        + menu(PROFILE_MENU, CERTIFICATIONS_MENU),
        GEBRUIK_BEHEERDER: contacts_crud,
        GEBRUIK_RAADPLEGER: contacts_read,
        VNG_RAADPLEGER: contacts_read + read(CertificationView, CertificationApi, ProfileView)
        + menu(CERTIFICATIONS_MENU),
    }


def _missing_text(missing: list[str]) -> str:
    if len(missing) == 1:
        return f"{missing[0]} ontbreekt"
    return f"{', '.join(missing[:-1])} en {missing[-1]} ontbreken"


@hookimpl
def welcome_steps(user, organisation):
    """For a supplier's Aanbod-beheerder: the one company profile, and a contact person."""
    from plugins.f002_organisatie import service

    roles = {role.name for role in user.roles}
    if organisation is None or organisation.type != "leverancier" or AANBOD_BEHEERDER not in roles:
        return []
    profile = service.profile_of(organisation.id)
    missing = [what for what, present in (("logo", profile is not None and profile.logo is not None),
                                          ("omschrijving", bool(organisation.description)),
                                          ("website", bool(organisation.website))) if not present]
    contacts = service.contact_count(organisation.id)
    welcome = url_for("WelcomeView.index")
    return [
        Step("Vul uw bedrijfsprofiel aan",
             "Naam, KvK-nummer, logo, omschrijving, website en contactgegevens op één pagina. Gemeenten zien "
             "deze gegevens bij al uw pakketten.",
             url_for("ProfileView.mine", next=welcome), order=10, done=not missing,
             reason=_missing_text(missing).capitalize() if missing else "Logo, omschrijving en website ingevuld"),
        Step("Voeg een contactpersoon toe",
             "Wie kunnen gemeenten bellen of mailen over uw pakketten?",
             url_for("ContactPersonView.list"), order=15, done=contacts > 0,
             reason=count_text(contacts, "{n} contactpersoon", "{n} contactpersonen") if contacts
             else "Nog geen contactpersoon"),
    ]


@hookimpl
def page_links(slot, obj, user):
    if slot == "start_browse":
        return [Link("Alle leveranciers", url_for("PublicSupplierView.index"), order=20)]
    if slot == "organisation_edit" and obj is not None and obj.type == "leverancier":
        # One company profile: core's form keeps the basic data, the profile page has everything.
        from flask import current_app

        if current_app.appbuilder.sm.has_access("can_edit", "OrganisationProfile"):
            return [Link("Vul het bedrijfsprofiel aan", url_for("ProfileView.of_organisation", org_id=obj.id),
                         lead="Naam, KvK-nummer, logo, omschrijving en contactgegevens staan samen op één pagina:")]
    return []


#: Certifications ending within this many days are reminded of (and those ended up to as long ago).
CERTIFICATION_REMINDER_DAYS = 30


@hookimpl
def register_commands(cli):
    import click
    from flask.cli import with_appcontext

    @cli.command("certificeringen-herinneren", help="Meld certificeringen die binnenkort verlopen of net verlopen "
                                                     "zijn (dagelijks uitvoeren).")
    @with_appcontext
    def remind_certifications():
        import datetime as dt

        from sqlalchemy import select

        from core.events import CertificationExpiring, emit
        from core.extensions import db
        from plugins.f002_organisatie.models import Certification

        today = dt.date.today()
        window = dt.timedelta(days=CERTIFICATION_REMINDER_DAYS)
        rows = db.session.scalars(select(Certification).where(
            Certification.valid_until.isnot(None), Certification.valid_until <= today + window,
            Certification.valid_until >= today - window)).all()
        for row in rows:
            emit(CertificationExpiring(organisation_id=row.organisation_id, certification_id=row.id,
                                       name=row.title, valid_until=row.valid_until))
        db.session.commit()
        click.echo(f"{len(rows)} certificering(en) gemeld.")
