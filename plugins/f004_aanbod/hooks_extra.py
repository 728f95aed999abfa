"""F004 Aanbod, part 2: standard claims, documents (with VNG review), screenshots, takeover and merging.

Pages (route bases): /standaardclaims, /pakketstandaarden, /pakketdocumenten, /documentbestanden,
/beheer/documenten, /schermafbeeldingen, /schermafbeeldingbestanden, /pakketaanmeldingen,
/over-te-nemen, /beheer/pakketten-samenvoegen. APIs: /api/v1/standaardclaims,
/api/v1/pakketdocumenten, /api/v1/schermafbeeldingen.
"""

from __future__ import annotations

from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, VNG_RAADPLEGER

CATEGORY = "Aanbod"
CLAIMS_MENU, STANDARDS_MENU, DOCUMENTS_MENU = "Standaardclaims", "Standaarden per pakket", "Documenten"
SCREENSHOTS_MENU, TAKEOVER_MENU = "Schermafbeeldingen", "Over te nemen"
REGISTRATION_CATEGORY, REGISTRATION_MENU = "Pakketaanmeldingen", "Pakket aanmelden namens leverancier"
ADMIN_CATEGORY, REVIEW_MENU, MERGE_MENU = "Beheer", "Documenten beoordelen", "Pakketten samenvoegen"


def _crud(view: str, api: str, api_perms=("can_get", "can_info", "can_post", "can_put", "can_delete")):
    return ([(p, view) for p in ("can_list", "can_show", "can_add", "can_edit", "can_delete")]
            + [(p, api) for p in api_perms])


def _read(view: str, api: str):
    return [("can_list", view), ("can_show", view), ("can_get", api), ("can_info", api)]


SUPPLIER = (
    _crud("StandardClaim", "StandardClaimApi")
    + _crud("PackageDocument", "PackageDocumentApi")
    + _crud("Screenshot", "ScreenshotApi", ("can_get", "can_info", "can_put", "can_delete"))
    + [("can_show", "PackageStandards"), ("can_list", "PackageTakeover"), ("can_accept", "PackageTakeover"),
       ("can_decline", "PackageTakeover")]
    + [("menu_access", m) for m in (CATEGORY, CLAIMS_MENU, STANDARDS_MENU, DOCUMENTS_MENU, SCREENSHOTS_MENU,
                                     TAKEOVER_MENU)]
)
VNG_READ = (
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

    aanbod = {"category": CATEGORY, "category_label": CATEGORY, "category_icon": "fa-cubes"}
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
    from plugins.f004_aanbod.claims import StandardClaimApi
    from plugins.f004_aanbod.documents import PackageDocumentApi
    from plugins.f004_aanbod.screenshots import ScreenshotApi

    appbuilder.add_api(StandardClaimApi)
    appbuilder.add_api(PackageDocumentApi)
    appbuilder.add_api(ScreenshotApi)


@hookimpl
def role_permissions():
    return {AANBOD_BEHEERDER: SUPPLIER, VNG_RAADPLEGER: VNG_READ, GEBRUIK_BEHEERDER: MUNICIPALITY}
