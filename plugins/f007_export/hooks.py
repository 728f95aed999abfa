"""F007 Export en import: spreadsheet export and import of the own offering (page, API, CLI)."""

from __future__ import annotations

from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER

MENU = "Exporteren en importeren"
CATEGORY = "Aanbod"
VIEW = "Uitwisseling"
API = "UitwisselingApi"


@hookimpl
def register_views(appbuilder):
    from plugins.f007_export.views import ExchangeView

    appbuilder.add_view(ExchangeView, MENU, label=MENU, icon="fa-exchange", category=CATEGORY,
                        category_label=CATEGORY, category_icon="fa-cubes")


@hookimpl
def register_apis(appbuilder):
    from plugins.f007_export.api import ExchangeApi

    appbuilder.add_api(ExchangeApi)


@hookimpl
def register_commands(cli):
    from plugins.f007_export.cli import add_commands

    add_commands(cli)


@hookimpl
def role_permissions():
    return {
        AANBOD_BEHEERDER: [("can_export", VIEW), ("can_import", VIEW), ("menu_access", MENU),
                           ("menu_access", CATEGORY), ("can_export", API), ("can_import", API)],
    }
