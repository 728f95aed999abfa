"""F007 Export en import: spreadsheet export and import of the own offering, and its ArchiMate
(AMEFF) export, each by page, API and CLI."""

from __future__ import annotations

from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, VNG_RAADPLEGER

MENU = "Exporteren en importeren"
CATEGORY = "Mijn aanbod"  # the same menu category as F004's packages
VIEW = "Uitwisseling"
API = "UitwisselingApi"
ARCHIMATE_MENU = "ArchiMate-export"
ARCHIMATE_GRANTS = [("can_export", "ArchimateExport"), ("can_export", "ArchimateExportApi"),
                    ("menu_access", ARCHIMATE_MENU), ("menu_access", CATEGORY)]


@hookimpl
def register_views(appbuilder):
    from plugins.f007_export.archimate_views import ArchimateExportView
    from plugins.f007_export.views import ExchangeView

    appbuilder.add_view(ExchangeView, MENU, label=MENU, icon="fa-exchange", category=CATEGORY,
                        category_label=CATEGORY, category_icon="fa-shopping-bag")
    appbuilder.add_view(ArchimateExportView, ARCHIMATE_MENU, label=ARCHIMATE_MENU, icon="fa-sitemap",
                        category=CATEGORY, category_label=CATEGORY, category_icon="fa-shopping-bag")


@hookimpl
def register_apis(appbuilder):
    from plugins.f007_export.api import ExchangeApi
    from plugins.f007_export.archimate_views import ArchimateExportApi

    appbuilder.add_api(ExchangeApi)
    appbuilder.add_api(ArchimateExportApi)


@hookimpl
def register_commands(cli):
    from plugins.f007_export.cli import add_archimate_command, add_commands

    add_commands(cli)
    add_archimate_command(cli)


@hookimpl
def role_permissions():
    return {
        AANBOD_BEHEERDER: [("can_export", VIEW), ("can_import", VIEW), ("menu_access", MENU),
                           ("menu_access", CATEGORY), ("can_export", API), ("can_import", API)]
        + ARCHIMATE_GRANTS,
        VNG_RAADPLEGER: list(ARCHIMATE_GRANTS),
    }


@hookimpl
def default_settings():
    from core import spreadsheets

    # Largest upload and most rows an import reads.
    return {"F007_MAX_BYTES": spreadsheets.MAX_BYTES, "F007_MAX_ROWS": spreadsheets.MAX_ROWS}
