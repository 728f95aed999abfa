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

from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, VNG_RAADPLEGER
from core.welcome import Step

CATEGORY = "Mijn aanbod"
PACKAGES_MENU, MODULES_MENU, VERSIONS_MENU = "Pakketten", "Modules", "Versies"
#: (view permission name, API permission name) per kind of row.
PERMISSION_NAMES = {"packages": ("Package", "PackageApi"), "modules": ("PackageModule", "PackageModuleApi"),
                    "versions": ("PackageVersion", "PackageVersionApi")}
MENU = [("menu_access", CATEGORY), ("menu_access", PACKAGES_MENU), ("menu_access", MODULES_MENU),
        ("menu_access", VERSIONS_MENU)]


def _crud(view: str, api: str, api_perms=("can_get", "can_info", "can_post", "can_put", "can_delete")):
    return ([(p, view) for p in ("can_list", "can_show", "can_add", "can_edit", "can_delete")]
            + [(p, api) for p in api_perms])


def _read(view: str, api: str) -> list[tuple[str, str]]:
    return [("can_list", view), ("can_show", view), ("can_get", api), ("can_info", api)]


SUPPLIER = [grant for view, api in PERMISSION_NAMES.values() for grant in _crud(view, api)] + MENU
VNG_READ = [grant for view, api in PERMISSION_NAMES.values() for grant in _read(view, api)] + MENU

CLAIMS_MENU, STANDARDS_MENU, DOCUMENTS_MENU = "Standaardclaims", "Standaarden per pakket", "Documenten"
SCREENSHOTS_MENU, TAKEOVER_MENU = "Schermafbeeldingen", "Over te nemen"
REGISTRATION_CATEGORY, REGISTRATION_MENU = "Pakketaanmeldingen", "Pakket aanmelden namens leverancier"
ADMIN_CATEGORY, REVIEW_MENU, MERGE_MENU = "Beheer", "Documenten beoordelen", "Pakketten samenvoegen"
SUPPLIER_EXTRA = (
    _crud("StandardClaim", "StandardClaimApi")
    + _crud("PackageDocument", "PackageDocumentApi")
    + _crud("Screenshot", "ScreenshotApi", ("can_get", "can_info", "can_put", "can_delete"))
    + [("can_show", "PackageStandards"), ("can_list", "PackageTakeover"), ("can_accept", "PackageTakeover"),
       ("can_decline", "PackageTakeover")]
    + [("menu_access", m) for m in (CATEGORY, CLAIMS_MENU, STANDARDS_MENU, DOCUMENTS_MENU, SCREENSHOTS_MENU,
                                     TAKEOVER_MENU)]
)
VNG_READ_EXTRA = (
    _read("StandardClaim", "StandardClaimApi") + _read("PackageDocument", "PackageDocumentApi")
    + _read("Screenshot", "ScreenshotApi") + [("can_show", "PackageStandards")]
    + [("menu_access", m) for m in (CATEGORY, CLAIMS_MENU, STANDARDS_MENU, DOCUMENTS_MENU, SCREENSHOTS_MENU)]
)
MUNICIPALITY = [("can_list", "PackageRegistration"), ("can_add", "PackageRegistration"),
                ("menu_access", REGISTRATION_CATEGORY), ("menu_access", REGISTRATION_MENU)]


@hookimpl
def register_views(appbuilder):
    from plugins.f004_aanbod.claims import PackageStandardsView, StandardClaimView
    from plugins.f004_aanbod.documents import DocumentFileView, DocumentReviewView, PackageDocumentView
    from plugins.f004_aanbod.merge import PackageMergeView
    from plugins.f004_aanbod.screenshots import ScreenshotFileView, ScreenshotView
    from plugins.f004_aanbod.takeover import PackageRegistrationView, PackageTakeoverView
    from plugins.f004_aanbod.views import ModuleView, PackageView, VersionView

    aanbod = {"category": CATEGORY, "category_label": CATEGORY, "category_icon": "fa-shopping-bag"}
    appbuilder.add_view(PackageView, PACKAGES_MENU, label="Pakketten", icon="fa-cube", **aanbod)
    appbuilder.add_view(ModuleView, MODULES_MENU, label="Modules", icon="fa-puzzle-piece", **aanbod)
    appbuilder.add_view(VersionView, VERSIONS_MENU, label="Versies", icon="fa-code-fork", **aanbod)
    beheer = {"category": ADMIN_CATEGORY, "category_label": ADMIN_CATEGORY, "category_icon": "fa-cogs"}
    appbuilder.add_view(StandardClaimView, CLAIMS_MENU, label="Standaardclaims", icon="fa-check-square-o", **aanbod)
    appbuilder.add_view(PackageStandardsView, STANDARDS_MENU, label="Standaarden per pakket", icon="fa-list-alt",
                        **aanbod)
    appbuilder.add_view(PackageDocumentView, DOCUMENTS_MENU, label="Documenten", icon="fa-file-pdf-o", **aanbod)
    appbuilder.add_view(ScreenshotView, SCREENSHOTS_MENU, label="Schermafbeeldingen", icon="fa-picture-o",
                        **aanbod)
    appbuilder.add_view(PackageTakeoverView, TAKEOVER_MENU, label="Over te nemen", icon="fa-handshake-o", **aanbod)
    appbuilder.add_view(PackageRegistrationView, REGISTRATION_MENU, label="Pakket aanmelden namens leverancier",
                        icon="fa-plus-square", category=REGISTRATION_CATEGORY,
                        category_label="Pakketaanmeldingen", category_icon="fa-paper-plane")
    appbuilder.add_view(DocumentReviewView, REVIEW_MENU, label="Documenten beoordelen", icon="fa-inbox", **beheer)
    appbuilder.add_view(PackageMergeView, MERGE_MENU, label="Pakketten samenvoegen", icon="fa-compress", **beheer)
    appbuilder.add_view_no_menu(DocumentFileView())
    appbuilder.add_view_no_menu(ScreenshotFileView())


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
    return {AANBOD_BEHEERDER: SUPPLIER + SUPPLIER_EXTRA, VNG_RAADPLEGER: VNG_READ + VNG_READ_EXTRA,
            GEBRUIK_BEHEERDER: MUNICIPALITY}


@hookimpl
def welcome_steps(user, organisation):
    from plugins.f004_aanbod import service

    roles = {role.name for role in user.roles}
    if organisation is None or organisation.type != "leverancier" or AANBOD_BEHEERDER not in roles:
        return []
    if service.has_packages(organisation.id):
        return []
    return [Step("Zet uw eerste pakket in de etalage", "Beschrijf uw pakket, kies de referentiecomponenten die "
                 "het invult en publiceer het, zodat gemeenten het vinden.", url_for("PackageView.add"),
                 order=20)]


@hookimpl
def io_handlers():
    from plugins.f004_aanbod.io import HANDLERS

    return HANDLERS
