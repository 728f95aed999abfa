"""The ``flask scg`` command group and the ``softwarecatalogus`` entry point."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from core.roles_sync import sync_roles


def make_scg_group() -> click.Group:
    """A fresh ``flask scg`` command group with the core commands, one per app.

    Plugins add their commands to it through ``register_commands``; because every app
    gets its own group, two apps in one process never share commands.
    """

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

    return scg_group


def main():  # pragma: no cover - thin wrapper around ``flask``
    from flask.cli import FlaskGroup

    from core.app import create_app

    FlaskGroup(create_app=lambda: create_app())()
