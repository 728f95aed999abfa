"""Demo accounts for the development run: clearly fictional, never loaded without --demo."""

from __future__ import annotations

import pyotp
from flask import current_app

from core import accounts
from core.extensions import db
from core.models import Organisation, OrganisationStatus
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER, GEBRUIK_BEHEERDER, VNG_RAADPLEGER

DEMO_PASSWORD = "Demo-Wachtwoord-2026"
# A fixed secret so that the printed instructions stay valid between runs.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_ORGANISATIONS = [
    {"name": "VNG Realisatie (demo)", "type": "vng"},
    {"name": "Voorbeeld Software BV (demo)", "type": "leverancier", "kvk_number": "99000001",
     "website": "https://voorbeeldsoftware.example", "email": "info@voorbeeldsoftware.example",
     "description": "Fictieve leverancier om de catalogus te verkennen."},
]

DEMO_USERS = [
    ("beheerder@vng.example", "Frida", "Beheerder", FUNCTIONEEL_BEHEERDER, None),
    ("raadpleger@vng.example", "Vera", "Raadpleger", VNG_RAADPLEGER, "VNG Realisatie (demo)"),
    ("jan@voorbeeldsoftware.example", "Jan", "Pietersen", AANBOD_BEHEERDER, "Voorbeeld Software BV (demo)"),
]


def load_demo() -> list[tuple[str, str]]:
    """Create the demo organisations and users if missing. Returns (e-mail, role) per user."""
    orgs = {}
    for spec in DEMO_ORGANISATIONS:
        org = db.session.query(Organisation).filter_by(name=spec["name"]).first()
        if org is None:
            org = Organisation(status=OrganisationStatus.goedgekeurd.value, **spec)
            db.session.add(org)
            db.session.flush()
        orgs[spec["name"]] = org
    gemeente = db.session.query(Organisation).filter_by(type="gemeente").order_by(Organisation.name).first()
    users = list(DEMO_USERS)
    if gemeente is not None:
        users.append(("gebruik@gemeente.example", "Gerda", "Gemeente", GEBRUIK_BEHEERDER, gemeente.name))
        orgs[gemeente.name] = gemeente
    for email, first, last, role, org_name in users:
        if accounts.find_user_by_email(email) is None:
            user = accounts.create_user(email=email, first_name=first, last_name=last, password=DEMO_PASSWORD,
                                        organisation=orgs.get(org_name), role_name=role)
            if role == FUNCTIONEEL_BEHEERDER:
                user.totp_secret = DEMO_TOTP_SECRET
                user.totp_enabled = True
    db.session.commit()
    return [(u[0], u[3]) for u in users]


@hookimpl(trylast=True)
def seed_data(app, demo):
    if demo:
        current_app.extensions["scg_demo_users"] = load_demo()
