"""``flask scg create-admin EMAIL``: the first Functioneel beheerder of a new installation.

The account belongs to the VNG organisation (made when there is none). It gets no
password on the command line: the command prints a one-time link (the password reset
link, valid RESET_LINK_MAX_AGE and usable once) through which the person chooses a
password that passes the password policy. So no password ends up in a shell history,
a terminal scroll-back or a process list. At the first login the Functioneel
beheerder must set up two-factor authentication (always required for that role).
"""

from __future__ import annotations

import re

import click
from flask import current_app
from flask.cli import with_appcontext

from core import accounts, audit, password_reset
from core.extensions import db
from core.models import Organisation, OrganisationStatus, OrganisationType
from core.plugins import hookimpl
from core.roles import FUNCTIONEEL_BEHEERDER

VNG_NAME = "VNG"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def vng_organisation() -> Organisation:
    """The (first) VNG organisation, made approved if there is none (no commit)."""
    org = (db.session.query(Organisation).filter_by(type=OrganisationType.vng.value)
           .order_by(Organisation.id).first())
    if org is None:
        org = Organisation(name=VNG_NAME, type=OrganisationType.vng.value,
                           status=OrganisationStatus.goedgekeurd.value)
        db.session.add(org)
        db.session.flush()
    return org


@hookimpl
def register_commands(cli):
    @cli.command("create-admin", help="Een functioneel beheerder (VNG) aanmaken; toont een eenmalige link "
                                      "om het wachtwoord te kiezen.")
    @click.argument("email")
    @click.option("--first-name", default="Functioneel", show_default=True, help="Voornaam.")
    @click.option("--last-name", default="Beheerder", show_default=True, help="Achternaam.")
    @with_appcontext
    def create_admin(email, first_name, last_name):
        email = accounts.normalise_email(email)
        if not EMAIL_RE.match(email) or len(email) > 320:
            raise click.ClickException(f"Dit is geen geldig e-mailadres: {email}")
        if accounts.find_user_by_email(email) is not None:
            raise click.ClickException(f"Er bestaat al een account met het e-mailadres {email}. "
                                       "Er is niets aangemaakt.")
        org = vng_organisation()
        user = accounts.create_user(email=email, first_name=first_name, last_name=last_name, password=None,
                                    organisation=org, role_name=FUNCTIONEEL_BEHEERDER)
        audit.record(db.session, "beheerder_aanmaken", object_type="ScgUser", object_id=user.id,
                     details={"via": "flask scg create-admin", "email": email})
        db.session.commit()
        with current_app.test_request_context():
            link = password_reset.reset_link(user)
        hours = current_app.config["RESET_LINK_MAX_AGE"] // 3600
        click.echo(f"Functioneel beheerder {email} aangemaakt (organisatie: {org.name}).")
        click.echo(f"Kies het wachtwoord via deze link. Hij werkt één keer en is {hours} uur geldig:")
        click.echo(link)
        click.echo("Bij de eerste keer inloggen stelt de beheerder twee-factorauthenticatie in.")
        click.echo("Link verlopen? Vraag een nieuwe aan via 'Wachtwoord vergeten' op de inlogpagina.")
