"""F007 ArchiMate export: hook implementations (the lead folds these into ``hooks.py``)."""

from __future__ import annotations

import os
import sys

import click
from flask.cli import with_appcontext

from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, VNG_RAADPLEGER

CATEGORY = "Export en import"
MENU = "ArchiMate-export"
VIEW_PERMISSION = "ArchimateExport"
API_PERMISSION = "ArchimateExportApi"
GRANTS = [("can_export", VIEW_PERMISSION), ("can_export", API_PERMISSION), ("menu_access", MENU),
          ("menu_access", CATEGORY)]


@hookimpl
def register_views(appbuilder):
    from plugins.f007_export.archimate_views import ArchimateExportView

    appbuilder.add_view(ArchimateExportView, MENU, label=MENU, icon="fa-sitemap", category=CATEGORY,
                        category_label=CATEGORY, category_icon="fa-exchange")


@hookimpl
def register_apis(appbuilder):
    from plugins.f007_export.archimate_views import ArchimateExportApi

    appbuilder.add_api(ArchimateExportApi)


@hookimpl
def role_permissions():
    return {AANBOD_BEHEERDER: list(GRANTS), VNG_RAADPLEGER: list(GRANTS)}


@hookimpl
def register_commands(cli):
    @cli.command("export-archimate", help="Het aanbod van een leverancier exporteren als ArchiMate-bestand (AMEFF).")
    @click.option("--organisatie", "organisation_id", required=True, type=int,
                  help="Het id van de leverancier.")
    @click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True),
                  help="Het bestand om te schrijven (standaard: de gebruikelijke naam in de huidige map; "
                       "'-' voor standaarduitvoer).")
    @with_appcontext
    def export_archimate(organisation_id, output):
        from core import audit
        from core.extensions import db
        from core.models import Organisation, OrganisationType
        from plugins.f007_export import archimate

        organisation = db.session.get(Organisation, organisation_id) if 0 < organisation_id < 2**31 else None
        if organisation is None or organisation.type != OrganisationType.leverancier.value:
            raise click.ClickException(f"Er is geen leverancier met id {organisation_id}.")
        target = output or archimate.export_filename(organisation)
        if target == "-":
            result = archimate.write_offering(sys.stdout.buffer, organisation)
            sys.stdout.buffer.flush()
        else:
            partial = f"{target}.deel"
            try:
                with open(partial, "wb") as handle:
                    result = archimate.write_offering(handle, organisation)
                os.replace(partial, target)
            except OSError as exc:
                raise click.ClickException(f"Kon {target} niet schrijven: {exc.strerror or exc}") from None
            finally:
                if os.path.exists(partial):
                    os.unlink(partial)
        audit.record(db.session, "export", object_type="ArchiMate", object_id=organisation.id,
                     details={"organisatie": organisation.name, "pakketten": result.packages, "formaat": "AMEFF",
                              "via": "cli"})
        db.session.commit()
        if target != "-":
            click.echo(f"{result.packages} pakketten van {organisation.name} geschreven naar {target}.", err=True)
