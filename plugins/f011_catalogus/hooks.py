"""F011 Catalogus, public REST API part: registration and the visitor's read permissions."""

from __future__ import annotations

from core.plugins import hookimpl
from core.roles import BEZOEKER, FUNCTIONEEL_BEHEERDER, ROLES

#: Anyone may read these APIs (FAB serves an API without login when the public role,
#: Bezoeker, holds the permission) ...
PUBLIC_API_READ = [(p, api) for api in ("PublicPackageApi", "PublicSupplierApi", "PublicReferentiecomponentApi",
                                        "PublicStandaardApi") for p in ("can_get", "can_info")]
#: ... and the OpenAPI description (``/api/v1/_openapi``) with its Swagger UI (``/swagger/v1``):
#: a description of the endpoints, no data. Logged-in users need them on their own roles,
#: since FAB checks a page's public role only for visitors.
API_DOCS = [("can_get", "OpenApi"), ("can_show", "SwaggerView")]


@hookimpl
def register_apis(appbuilder):
    from plugins.f011_catalogus.api import APIS

    for api in APIS:
        appbuilder.add_api(api)


@hookimpl
def role_permissions():
    grants = {name: list(API_DOCS) for name in ROLES if name != FUNCTIONEEL_BEHEERDER}
    grants[BEZOEKER] = PUBLIC_API_READ + API_DOCS
    return grants
