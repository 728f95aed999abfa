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

    @scg_group.command("worker", help="Taken uit de wachtrij (Redis) uitvoeren, ook e-mail versturen.")
    @click.option("--burst", is_flag=True, help="Stoppen zodra de wachtrij leeg is.")
    @click.option("--simple", is_flag=True, help="Taken in dit proces uitvoeren in plaats van per taak een fork.")
    @with_appcontext
    def worker_command(burst, simple):
        from core import jobs

        if not jobs.uses_redis():
            raise click.ClickException(
                "Geen Redis ingesteld (JOBS_REDIS_URL): zonder Redis voert de app taken zelf uit en is "
                "geen worker nodig. Stel JOBS_REDIS_URL=redis://host:6379/0 in voor een aparte worker.")
        click.echo(f"Worker op wachtrij {jobs.queue_name()} ({'burst' if burst else 'doorlopend'}).")
        jobs.run_worker(current_app._get_current_object(), burst=burst, simple=simple)

    @scg_group.command("mail-versturen", help="E-mail uit de outbox versturen die aan de beurt is (ook voor cron).")
    @click.option("--opnieuw", is_flag=True, help="Ook mislukte e-mail (na het maximum aantal pogingen) opnieuw.")
    @with_appcontext
    def deliver_mail_command(opnieuw):
        from core import mail

        if opnieuw:
            click.echo(f"{mail.retry_failed()} mislukte e-mail(s) opnieuw in de wachtrij.")
        report = mail.deliver_due(limit=10_000)
        click.echo(f"Verstuurd: {report.sent}, mislukt: {report.failed}.")
        counts = mail.counts()
        click.echo(f"In de outbox: {counts[mail.WAITING]} wachtend, {counts[mail.FAILED]} mislukt, "
                   f"{counts[mail.SENDING]} bezig.")

    return scg_group


def main():  # pragma: no cover - thin wrapper around ``flask``
    from flask.cli import FlaskGroup

    from core.app import create_app

    FlaskGroup(create_app=lambda: create_app())()
