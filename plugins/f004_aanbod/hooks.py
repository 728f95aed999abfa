"""F004 Aanbod: the supplier's packages with modules and versions, publishing, standard claims,
documents (with VNG review), screenshots, takeover of packages a municipality registered,
merging duplicates, REST API and the export/import handlers of the offering.

Pages (route bases): /pakketten, /modules, /versies, /standaardclaims, /pakketstandaarden,
/pakketdocumenten, /documentbestanden, /beheer/documenten, /schermafbeeldingen,
/schermafbeeldingbestanden, /pakketaanmeldingen, /over-te-nemen, /beheer/pakketten-samenvoegen.
APIs: /api/v1/pakketten, /modules, /versies, /standaardclaims, /pakketdocumenten, /schermafbeeldingen.
"""

from __future__ import annotations

from flask import url_for

from core.menu import AANBOD, BEHEER, PAKKETAANMELDINGEN, in_category
from core.permissions import crud, menu, read
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, VNG_RAADPLEGER
from core.slots import Link
from core.welcome import Step, count_text

CATEGORY = AANBOD
PACKAGES_MENU, MODULES_MENU, VERSIONS_MENU = "Pakketten", "Modules", "Versies"
CLAIMS_MENU, STANDARDS_MENU, DOCUMENTS_MENU = "Standaardclaims", "Standaarden per pakket", "Documenten"
SCREENSHOTS_MENU, TAKEOVER_MENU = "Schermafbeeldingen", "Over te nemen"
REGISTRATION_CATEGORY, REGISTRATION_MENU = PAKKETAANMELDINGEN, "Pakket aanmelden namens leverancier"
ADMIN_CATEGORY, REVIEW_MENU, MERGE_MENU = BEHEER, "Documenten beoordelen", "Pakketten samenvoegen"
#: The supplier's and VNG's menu items (the review queue and merging are the Functioneel beheerder's).
READ_MENU = menu(CATEGORY, PACKAGES_MENU, MODULES_MENU, VERSIONS_MENU, CLAIMS_MENU, STANDARDS_MENU, DOCUMENTS_MENU,
                 SCREENSHOTS_MENU)


@hookimpl
def register_views(appbuilder):
    from plugins.f004_aanbod.claims import PackageStandardsView, StandardClaimView
    from plugins.f004_aanbod.documents import DocumentFileView, DocumentReviewView, PackageDocumentView
    from plugins.f004_aanbod.merge import PackageMergeView
    from plugins.f004_aanbod.screenshots import ScreenshotFileView, ScreenshotView
    from plugins.f004_aanbod.takeover import PackageRegistrationView, PackageTakeoverView
    from plugins.f004_aanbod.views import ModuleView, PackageView, VersionView

    aanbod = in_category(CATEGORY)
    appbuilder.add_view(PackageView, PACKAGES_MENU, label="Pakketten", icon="fa-cube", **aanbod)
    appbuilder.add_view(ModuleView, MODULES_MENU, label="Modules", icon="fa-puzzle-piece", **aanbod)
    appbuilder.add_view(VersionView, VERSIONS_MENU, label="Versies", icon="fa-code-fork", **aanbod)
    beheer = in_category(ADMIN_CATEGORY)
    appbuilder.add_view(StandardClaimView, CLAIMS_MENU, label="Standaardclaims", icon="fa-check-square-o", **aanbod)
    appbuilder.add_view(PackageStandardsView, STANDARDS_MENU, label="Standaarden per pakket", icon="fa-list-alt",
                        **aanbod)
    appbuilder.add_view(PackageDocumentView, DOCUMENTS_MENU, label="Documenten", icon="fa-file-pdf-o", **aanbod)
    appbuilder.add_view(ScreenshotView, SCREENSHOTS_MENU, label="Schermafbeeldingen", icon="fa-picture-o",
                        **aanbod)
    appbuilder.add_view(PackageTakeoverView, TAKEOVER_MENU, label="Over te nemen", icon="fa-handshake-o", **aanbod)
    appbuilder.add_view(PackageRegistrationView, REGISTRATION_MENU, label="Pakket aanmelden namens leverancier",
                        icon="fa-plus-square", **in_category(REGISTRATION_CATEGORY))
    appbuilder.add_view(DocumentReviewView, REVIEW_MENU, label="Documenten beoordelen", icon="fa-inbox", **beheer)
    appbuilder.add_view(PackageMergeView, MERGE_MENU, label="Pakketten samenvoegen", icon="fa-compress", **beheer)
    appbuilder.add_view_no_menu(DocumentFileView())
    appbuilder.add_view_no_menu(ScreenshotFileView())


@hookimpl
def page_links(slot, user):
    """F013's add-to-landscape page: a package that is not in the catalogue is registered for its supplier."""
    if slot != "usage_add" or not getattr(user, "is_authenticated", False):
        return []
    from flask import current_app

    if not current_app.appbuilder.sm.has_access("can_add", "PackageRegistration"):
        return []
    return [Link("Pakket aanmelden namens de leverancier", url_for("PackageRegistrationView.register"), order=10,
                 lead="Staat het pakket niet in de catalogus? Meld het aan; het komt als concept bij de leverancier "
                      "en u kunt het daarna aan uw applicatielandschap toevoegen.")]


@hookimpl
def register_apis(appbuilder):
    from plugins.f004_aanbod.api import ModuleApi, PackageApi, VersionApi
    from plugins.f004_aanbod.claims import StandardClaimApi
    from plugins.f004_aanbod.documents import PackageDocumentApi
    from plugins.f004_aanbod.screenshots import ScreenshotApi

    appbuilder.add_api(PackageApi)
    appbuilder.add_api(ModuleApi)
    appbuilder.add_api(VersionApi)
    appbuilder.add_api(StandardClaimApi)
    appbuilder.add_api(PackageDocumentApi)
    appbuilder.add_api(ScreenshotApi)


@hookimpl
def role_permissions():
    from plugins.f004_aanbod.api import ModuleApi, PackageApi, VersionApi
    from plugins.f004_aanbod.claims import PackageStandardsView, StandardClaimApi, StandardClaimView
    from plugins.f004_aanbod.documents import PackageDocumentApi, PackageDocumentView
    from plugins.f004_aanbod.screenshots import ScreenshotApi, ScreenshotView
    from plugins.f004_aanbod.takeover import PackageRegistrationView, PackageTakeoverView
    from plugins.f004_aanbod.views import ModuleView, PackageView, VersionView

    rows = (ModuleView, ModuleApi, VersionView, VersionApi, StandardClaimView, StandardClaimApi,
            PackageDocumentView, PackageDocumentApi, ScreenshotView, ScreenshotApi)
    return {
        # Unpublishing a package with a reason (depubliceren) is left to the Functioneel beheerder.
        AANBOD_BEHEERDER: crud(PackageView, without={"can_unpublish"}) + crud(PackageApi, *rows)
        + crud(PackageStandardsView, PackageTakeoverView) + READ_MENU + menu(TAKEOVER_MENU),
        VNG_RAADPLEGER: read(PackageView, PackageApi, *rows) + crud(PackageStandardsView) + READ_MENU,
        GEBRUIK_BEHEERDER: crud(PackageRegistrationView) + menu(REGISTRATION_CATEGORY, REGISTRATION_MENU),
    }


@hookimpl
def welcome_steps(user, organisation):
    """For a supplier's Aanbod-beheerder: a first package, publishing it, the standards it supports."""
    from plugins.f004_aanbod import service

    roles = {role.name for role in user.roles}
    if organisation is None or organisation.type != "leverancier" or AANBOD_BEHEERDER not in roles:
        return []
    packages, published, claims = service.offering_counts(organisation.id)
    return [
        Step("Zet uw eerste pakket in de etalage", "Beschrijf uw pakket en kies de referentiecomponenten die het "
             "invult.", url_for("PackageView.list") if packages else url_for("PackageView.add"), order=20,
             done=packages > 0,
             reason=count_text(packages, "{n} pakket", "{n} pakketten") if packages else "Nog geen pakket"),
        Step("Publiceer uw pakket", "Een gepubliceerd pakket staat in de catalogus, zodat gemeenten het vinden.",
             url_for("PackageView.list"), order=25, done=published > 0,
             reason=f"{published} van {packages} gepubliceerd" if published else "Nog geen gepubliceerd pakket"),
        Step("Geef aan welke standaarden uw pakketten ondersteunen", "Gemeenten zoeken pakketten op de "
             "standaarden die ze nodig hebben.", url_for("PackageStandardsView.index"), order=27, done=claims > 0,
             reason=count_text(claims, "{n} standaard opgegeven", "{n} standaarden opgegeven") if claims
             else "Nog geen standaard opgegeven"),
    ]


@hookimpl
def io_handlers():
    from plugins.f004_aanbod.io import HANDLERS

    return HANDLERS
