"""F007 Export en import: spreadsheet export and import of the own offering, and its ArchiMate
(AMEFF) export, each by page, API and CLI."""

from __future__ import annotations

from core.menu import AANBOD, in_category
from core.permissions import crud, menu
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, VNG_RAADPLEGER

MENU = "Exporteren en importeren"
CATEGORY = AANBOD  # the same menu category as F004's packages
ARCHIMATE_MENU = "ArchiMate-export"


@hookimpl
def register_views(appbuilder):
    from plugins.f007_export.archimate_views import ArchimateExportView
    from plugins.f007_export.views import ExchangeView

    appbuilder.add_view(ExchangeView, MENU, label=MENU, icon="fa-exchange", **in_category(CATEGORY))
    appbuilder.add_view(ArchimateExportView, ARCHIMATE_MENU, label=ARCHIMATE_MENU, icon="fa-sitemap",
                        **in_category(CATEGORY))


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
    from plugins.f007_export.api import ExchangeApi
    from plugins.f007_export.archimate_views import ArchimateExportApi, ArchimateExportView
    from plugins.f007_export.views import ExchangeView

    archimate = crud(ArchimateExportView, ArchimateExportApi) + menu(ARCHIMATE_MENU, CATEGORY)
    return {
        AANBOD_BEHEERDER: crud(ExchangeView, ExchangeApi) + menu(MENU) + archimate,
        VNG_RAADPLEGER: archimate,
    }


@hookimpl
def default_settings():
    from core import spreadsheets

    # Largest upload and most rows an import reads.
    return {"F007_MAX_BYTES": spreadsheets.MAX_BYTES, "F007_MAX_ROWS": spreadsheets.MAX_ROWS}
