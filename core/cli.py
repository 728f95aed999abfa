"""The ``flask scg`` command group and the ``softwarecatalogus`` entry point."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from core.roles_sync import sync_roles


@click.group("scg", help="Beheer van de Softwarecatalogus.")
def scg_group():
    pass


@scg_group.command("sync-roles", help="Rollen en rechten bijwerken.")
@with_appcontext
def sync_roles_command():
    counts = sync_roles(current_app.appbuilder, current_app.extensions["scg_plugins"])
    for role, n in counts.items():
        click.echo(f"{role}: {n} rechten")


@scg_group.command("seed", help="Referentiegegevens laden (idempotent).")
@click.option("--demo", is_flag=True, help="Ook demogegevens laden.")
@with_appcontext
def seed_command(demo):
    current_app.extensions["scg_plugins"].hook.seed_data(app=current_app, demo=demo)
    click.echo("Gegevens geladen.")


def main():  # pragma: no cover - thin wrapper around ``flask``
    from flask.cli import FlaskGroup

    from core.app import create_app

    FlaskGroup(create_app=lambda: create_app())()
