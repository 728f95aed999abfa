"""F002 Organisatieprofiel: profile, contact persons, certifications and the public supplier page."""

from __future__ import annotations

from flask import url_for

from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from core.slots import Link
from core.welcome import Step

CATEGORY = "Organisatie"
PROFILE_MENU, CONTACTS_MENU, CERTIFICATIONS_MENU = "Profiel", "Contactpersonen", "Certificeringen"


def _crud(view: str, api: str) -> list[tuple[str, str]]:
    return [(p, view) for p in ("can_list", "can_show", "can_add", "can_edit", "can_delete")] + [
        (p, api) for p in ("can_get", "can_info", "can_post", "can_put", "can_delete")]


def _read(view: str, api: str | None) -> list[tuple[str, str]]:
    return [("can_list", view), ("can_show", view)] + ([("can_get", api), ("can_info", api)] if api else [])


CONTACTS_CRUD = _crud("ContactPerson", "ContactPersonApi") + [("menu_access", CONTACTS_MENU),
                                                                ("menu_access", CATEGORY)]
CONTACTS_READ = _read("ContactPerson", "ContactPersonApi") + [("menu_access", CONTACTS_MENU),
                                                                ("menu_access", CATEGORY)]
SUPPLIER = CONTACTS_CRUD + _crud("Certification", "CertificationApi") + _read("OrganisationProfile", None) + [
    ("can_edit", "OrganisationProfile"), ("menu_access", PROFILE_MENU), ("menu_access", CERTIFICATIONS_MENU)]
VNG_READ = (CONTACTS_READ + _read("Certification", "CertificationApi") + _read("OrganisationProfile", None)
            + [("menu_access", CERTIFICATIONS_MENU)])


@hookimpl
def register_models():
    from core.contacts import ContactPerson
    from plugins.f002_organisatie.models import Certification, OrganisationProfile

    return [ContactPerson, OrganisationProfile, Certification]


@hookimpl
def register_views(appbuilder):
    from plugins.f002_organisatie.views import (CertificationView, ContactPersonView, ProfileView,
                                                PublicSupplierView)

    common = {"category": CATEGORY, "category_label": CATEGORY, "category_icon": "fa-building"}
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
                        category=CATEGORY, category_label=CATEGORY, category_icon="fa-building")


@hookimpl
def role_permissions():
    return {
        AANBOD_BEHEERDER: SUPPLIER,
        GEBRUIK_BEHEERDER: CONTACTS_CRUD,
        GEBRUIK_RAADPLEGER: CONTACTS_READ,
        VNG_RAADPLEGER: VNG_READ,
    }


@hookimpl
def welcome_steps(user, organisation):
    roles = {role.name for role in user.roles}
    if organisation is None or organisation.type != "leverancier" or AANBOD_BEHEERDER not in roles:
        return []
    return [Step("Vul uw profiel aan", "Voeg logo, contactpersonen en certificeringen toe, zodat gemeenten "
                 "zien wie u bent.", url_for("ProfileView.mine"), order=15)]


@hookimpl
def page_links(slot, user):
    if slot == "start_browse":
        return [Link("Alle leveranciers", url_for("PublicSupplierView.index"), order=20)]
    return []
