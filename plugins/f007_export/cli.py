"""F007 commands: ``flask scg export`` and ``flask scg import`` with a progress bar."""

from __future__ import annotations

import os
import shutil
import sys

import click
from flask.cli import with_appcontext

from core import accounts
from core.files import UploadRejected
from core.io import ImportRejected, NoOrganisation, NotAllowed


def _user(email):
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    return user


def add_commands(cli):
    @cli.command("export", help="Het aanbod van een organisatie exporteren als xlsx of csv.")
    @click.option("--gebruiker", required=True, help="E-mailadres van de gebruiker namens wie u exporteert.")
    @click.option("--formaat", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
    @click.option("--organisatie", type=int, default=None,
                  help="Nummer van de organisatie (alleen voor de Functioneel beheerder).")
    @click.option("--inhoud", default=None, help="Bij csv: naam van het blad (standaard aanbod-pakketversies).")
    @click.argument("uitvoer", type=click.Path(dir_okay=False, writable=True))
    @with_appcontext
    def export_command(gebruiker, formaat, organisatie, inhoud, uitvoer):
        from plugins.f007_export import exchange

        user = _user(gebruiker)
        done = [0]

        def progress(n):  # the number of rows is not known beforehand: a running count
            done[0] += n
            click.echo(f"\rExporteren: {done[0]} rijen", nl=False, err=True)

        try:
            export = exchange.make_export(user, formaat, organisatie, inhoud, progress=progress)
        except (PermissionError, NotAllowed, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo("", err=True)
        shutil.move(export.path, uitvoer)
        click.echo(f"{export.rows} rijen geschreven naar {uitvoer}.")

    @cli.command("import", help="Een bewerkte export importeren (eerst een voorbeeld; --bevestigen voert uit).")
    @click.option("--gebruiker", required=True, help="E-mailadres van de gebruiker namens wie u importeert.")
    @click.option("--bevestigen", is_flag=True, help="De wijzigingen echt doorvoeren.")
    @click.option("--verwijderen", is_flag=True, help="Rijen die niet in het bestand staan verwijderen.")
    @click.argument("bestand", type=click.Path(exists=True, dir_okay=False))
    @with_appcontext
    def import_command(gebruiker, bevestigen, verwijderen, bestand):
        from plugins.f007_export import exchange

        user = _user(gebruiker)
        with open(bestand, "rb") as handle:
            data = handle.read(exchange.max_bytes() + 1)
        try:
            upload = exchange.read(user, data)
            with click.progressbar(length=upload.rows, label="Controleren" if not bevestigen else "Importeren",
                                   show_pos=True, file=sys.stderr) as bar:
                _, outcome = exchange.run(user, data, apply=bevestigen, remove_missing=verwijderen,
                                          progress=bar.update)
        except ImportRejected as exc:
            for error in exc.errors[:200]:
                click.echo(f"  {error}", err=True)
            raise click.ClickException(f"Er is niets geïmporteerd: {len(exc.errors)} fout(en).") from None
        except (UploadRejected, NoOrganisation, NotAllowed) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Nieuw: {outcome.created}, gewijzigd: {outcome.changed}, ongewijzigd: {outcome.unchanged}, "
                   f"verwijderd: {outcome.removed}, fouten: {len(outcome.errors)}.")
        for error in outcome.errors[:200]:
            click.echo(f"  {error}")
        for warning in outcome.warnings[:200]:
            click.echo(f"  Waarschuwing: {warning}")
        if outcome.errors:
            raise click.ClickException("Het bestand bevat fouten; er is niets geïmporteerd.")
        click.echo("Doorgevoerd." if outcome.applied else "Dit was een voorbeeld; gebruik --bevestigen om door te "
                   "voeren.")


def add_archimate_command(cli):
    """``flask scg export-archimate --organisatie ID [-o FILE]``: a supplier's offering as AMEFF."""
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
