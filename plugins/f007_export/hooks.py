"""F007 Export en import: spreadsheet export and import of the own offering, and its ArchiMate
(AMEFF) export, each by page, API and CLI."""

from __future__ import annotations

from core.menu import AANBOD, GEBRUIK, in_category
from core.permissions import crud, menu
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER

MENU = "Exporteren en importeren"
CATEGORY = AANBOD  # the same menu category as F004's packages
ARCHIMATE_MENU = "ArchiMate-export"
LANDSCAPE_MENU = "Landschap exporteren en importeren"


@hookimpl
def register_views(appbuilder):
    from plugins.f007_export.archimate_views import ArchimateExportView
    from plugins.f007_export.views import ExchangeView, LandscapeExchangeView

    appbuilder.add_view(ExchangeView, MENU, label=MENU, icon="fa-exchange", **in_category(CATEGORY))
    appbuilder.add_view(LandscapeExchangeView, LANDSCAPE_MENU, label=LANDSCAPE_MENU, icon="fa-exchange",
                        **in_category(GEBRUIK))
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
    from plugins.f007_export.views import ExchangeView, LandscapeExchangeView

    archimate = crud(ArchimateExportView, ArchimateExportApi) + menu(ARCHIMATE_MENU, CATEGORY)
    landscape_export = [("can_export", "LandschapUitwisseling")] + menu(LANDSCAPE_MENU, GEBRUIK)
    return {
        AANBOD_BEHEERDER: crud(ExchangeView, ExchangeApi) + menu(MENU) + archimate,
        # the Gebruik-beheerder imports the own landscape; the raadplegers export (VNG: every landscape)
        GEBRUIK_BEHEERDER: crud(LandscapeExchangeView) + menu(LANDSCAPE_MENU, GEBRUIK),
        GEBRUIK_RAADPLEGER: landscape_export,
        VNG_RAADPLEGER: archimate + landscape_export,
    }


@hookimpl
def default_settings():
    from core import spreadsheets

    # Largest upload and most rows an import reads.
    return {"F007_MAX_BYTES": spreadsheets.MAX_BYTES, "F007_MAX_ROWS": spreadsheets.MAX_ROWS}
