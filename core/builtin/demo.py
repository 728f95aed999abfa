"""Demo accounts and a demo catalogue for the development run: clearly fictional, never loaded without --demo."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from core import accounts
from core.catalogue.models import Module, Package, Screenshot, Service, StandardClaim, Usage, Version
from core.extensions import db
from core.gemma.models import Referentiecomponent, StandaardVerplichting, Standaardversie
from core.models import Organisation, OrganisationStatus, utcnow
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER, GEBRUIK_BEHEERDER, VNG_RAADPLEGER
from core.security import requires_totp

DEMO_PASSWORD = "Demo-Wachtwoord-2026"
# A fixed secret so that the printed instructions stay valid between runs.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_ORGANISATIONS = [
    {"name": "VNG Realisatie (demo)", "type": "vng"},
    {"name": "Voorbeeld Software BV (demo)", "type": "leverancier", "kvk_number": "99000001",
     "website": "https://voorbeeldsoftware.example", "email": "info@voorbeeldsoftware.example",
     "description": "Fictieve leverancier om de catalogus te verkennen."},
    {"name": "Fictief Hosting B.V. (demo)", "type": "leverancier", "kvk_number": "99000002",
     "website": "https://fictiefhosting.example", "email": "info@fictiefhosting.example",
     "description": "Fictieve leverancier van hosting en beheer, om de catalogus te verkennen."},
    # F010's demo gives it two member gemeenten; F013's demo a usage it registered for one of them.
    {"name": "Samenwerking Demo-regio", "type": "samenwerking",
     "description": "Fictieve samenwerking van twee gemeenten."},
]

DEMO_USERS = [
    ("beheerder@vng.example", "Frida", "Beheerder", FUNCTIONEEL_BEHEERDER, None),
    ("raadpleger@vng.example", "Vera", "Raadpleger", VNG_RAADPLEGER, "VNG Realisatie (demo)"),
    ("jan@voorbeeldsoftware.example", "Jan", "Pietersen", AANBOD_BEHEERDER, "Voorbeeld Software BV (demo)"),
    # registers usage for the member gemeenten of the samenwerking (F013)
    ("regio@samenwerking.example", "Rik", "Regio", GEBRUIK_BEHEERDER, "Samenwerking Demo-regio"),
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
            if requires_totp(user):  # every beheerder role (TOTP_REQUIRED_ROLES): one demo key
                user.totp_secret = DEMO_TOTP_SECRET
                user.totp_enabled = True
    logins = [(u[0], u[3]) for u in users]
    if gemeente is not None:
        logins.append(_demo_two_organisations(gemeente, orgs["Fictief Hosting B.V. (demo)"]))
    db.session.commit()
    return logins


MULTI_EMAIL = "mira@gemeente.example"


def _demo_two_organisations(gemeente: Organisation, supplier: Organisation) -> tuple[str, str]:
    """One account in two organisations: Gebruik-beheerder of a gemeente, Aanbod-beheerder of a supplier."""
    user = accounts.find_user_by_email(MULTI_EMAIL)
    if user is None:
        user = accounts.create_user(email=MULTI_EMAIL, first_name="Mira", last_name="Meerdere",
                                    password=DEMO_PASSWORD, organisation=gemeente, role_name=GEBRUIK_BEHEERDER)
        user.totp_secret = DEMO_TOTP_SECRET
        user.totp_enabled = True
    if not any(m.organisation_id == supplier.id for m in user.memberships):
        accounts.add_membership(user, supplier, AANBOD_BEHEERDER)
    return MULTI_EMAIL, (f"{GEBRUIK_BEHEERDER} ({gemeente.name}) en {AANBOD_BEHEERDER} ({supplier.name}); "
                         "wisselen in het gebruikersmenu")


# --------------------------------------------------------------------------- demo catalogue
#: Fictional packages (names marked "(demo)") on real GEMMA referentiecomponenten, by name.
DEMO_PACKAGES = [
    {"supplier": "Voorbeeld Software BV (demo)", "name": "Zaakwijzer (demo)",
     "short_description": "Fictief pakket: zaakgericht werken van aanvraag tot archief.",
     "long_description": "Een **fictief** pakket om de catalogus te verkennen.\n\n- Zaken en dossiers\n"
                         "- Koppelingen via de ZGW API's\n- Een portaal voor inwoners",
     "website": "https://voorbeeldsoftware.example/zaakwijzer", "demo_video_url": "https://video.example/zaakwijzer",
     "cloud_models": "saas", "cloud_provider": "Fictieve Cloud NL (demo)", "data_location": "nl",
     "licence_type": "proprietary",
     "referentiecomponenten": ["Generiek zaakafhandelcomponent", "Zaakregistratiecomponent"],
     "modules": [("Zaakdossier", "Alle documenten van een zaak bij elkaar."),
                 ("Inwonersportaal", "Inwoners volgen hun aanvraag.")],
     "versions": [("3.2", "in_gebruik", "2025-03-01"), ("4.0", "in_ontwikkeling", "2026-09-01")],
     "municipalities": ["Utrecht", "Groningen", "Tilburg"], "screenshot": True},
    {"supplier": "Voorbeeld Software BV (demo)", "name": "Archiefkast Café (demo)",
     "short_description": "Fictief pakket: digitaal archief voor gemeenten.",
     "cloud_models": "on_premises,hybride", "data_location": "nl", "licence_type": "open_source",
     "licence_spdx": "EUPL-1.2", "referentiecomponenten": ["Archiefbeheercomponent"],
     "modules": [], "versions": [("1.0", "in_gebruik", "2024-06-01")], "municipalities": ["Zwolle"]},
    {"supplier": "Fictief Hosting B.V. (demo)", "name": "Documentenstraat (demo)",
     "short_description": "Fictief pakket: documenten maken en beheren.",
     "cloud_models": "paas,saas", "data_location": "eu", "licence_type": "open_source", "licence_spdx": "MIT",
     "referentiecomponenten": ["Documentbeheercomponent", "Documentcreatiecomponent"],
     "modules": [("Sjablonen", None)], "versions": [("2.5", "in_gebruik", "2025-11-01")],
     "municipalities": ["Utrecht", "Almere"]},
]
#: (supplier, service name, kind, package names): services, also on another supplier's package.
DEMO_SERVICES = [
    ("Fictief Hosting B.V. (demo)", "Hosting en technisch beheer (demo)", "technisch_beheer",
     ["Zaakwijzer (demo)", "Documentenstraat (demo)"]),
    ("Fictief Hosting B.V. (demo)", "Functioneel beheer op afstand (demo)", "functioneel_beheer",
     ["Documentenstraat (demo)"]),
    ("Voorbeeld Software BV (demo)", "Implementatie Zaakwijzer (demo)", "implementatie", ["Zaakwijzer (demo)"]),
]


def _demo_png(text_color, size=(640, 400)) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (245, 247, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, size[0], 48], fill=(21, 66, 115))
    for row in range(5):
        draw.rectangle([24, 80 + row * 56, size[0] - 24, 120 + row * 56], outline=text_color, width=2)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _stored_image(org_id: int, kind: str, name: str, color):
    from core import files

    checked = files.validate_image(_demo_png(color), original_name=name, max_side=640)
    return files.store(db.session, checked, org_id, kind=kind, public=True)


def _demo_package(spec: dict, orgs: dict, gemeenten: dict) -> Package | None:
    org = orgs.get(spec["supplier"])
    if org is None:
        return None
    package = db.session.scalar(select(Package).filter_by(organisation_id=org.id, name=spec["name"]))
    if package is None:
        fields = {k: spec[k] for k in ("short_description", "long_description", "website", "demo_video_url",
                                       "cloud_models", "cloud_provider", "data_location", "licence_type",
                                       "licence_spdx") if k in spec}
        package = Package(organisation_id=org.id, name=spec["name"], status="gepubliceerd",
                          published_on=utcnow(), **fields)
        db.session.add(package)
        package.referentiecomponenten = list(db.session.scalars(
            select(Referentiecomponent).where(Referentiecomponent.name.in_(spec["referentiecomponenten"]))))
        db.session.flush()
    have = {m.name for m in package.modules}
    for name, description in spec["modules"]:
        if name not in have:
            db.session.add(Module(organisation_id=org.id, package_id=package.id, name=name, description=description))
    have = {v.name for v in package.versions}
    for name, status, start in spec["versions"]:
        if name not in have:
            db.session.add(Version(organisation_id=org.id, package_id=package.id, name=name, status=status,
                                   start_distribution=dt.date.fromisoformat(start)))
    _claim_mandatory_standards(package, org)
    if spec.get("screenshot") and not package.screenshots:
        db.session.add(Screenshot(organisation_id=org.id, package_id=package.id, position=1,
                                  caption="Overzicht van lopende zaken (demo)",
                                  file=_stored_image(org.id, "screenshot", "zaakwijzer.png", (21, 66, 115))))
        package.logo = _stored_image(org.id, "logo", "zaakwijzer-logo.png", (200, 80, 20))
    _usages(package, spec["municipalities"], gemeenten)
    return package


def _claim_mandatory_standards(package: Package, org: Organisation) -> None:
    """Claim the first version of (at most three) mandatory standards of its referentiecomponenten."""
    claimed = {c.standaardversie_id for c in package.standard_claims}
    rc_ids = [rc.id for rc in package.referentiecomponenten]
    versies = db.session.scalars(
        select(Standaardversie).join(StandaardVerplichting,
                                     StandaardVerplichting.standaard_id == Standaardversie.standaard_id)
        .where(StandaardVerplichting.referentiecomponent_id.in_(rc_ids), StandaardVerplichting.kind == "verplicht",
               Standaardversie.in_release.is_(True))
        .order_by(Standaardversie.name)).all() if rc_ids else []
    per_standard = {}
    for versie in versies:
        per_standard.setdefault(versie.standaard_id, versie)
    for versie in list(per_standard.values())[:3]:
        if versie.id not in claimed:
            db.session.add(StandardClaim(organisation_id=org.id, package_id=package.id, standaardversie_id=versie.id,
                                         evidence_url="https://voorbeeldsoftware.example/conformiteit"))


def _usages(package: Package, names, gemeenten: dict) -> None:
    for name in names:
        gemeente = gemeenten.get(name)
        if gemeente is not None and db.session.scalar(
                select(Usage.id).filter_by(organisation_id=gemeente.id, package_id=package.id)) is None:
            db.session.add(Usage(organisation_id=gemeente.id, package_id=package.id, status="in_productie",
                                 status_date=dt.date(2025, 1, 1)))


def load_demo_catalogue() -> None:
    """Fictional published packages, services and usage by real municipalities; loading twice adds nothing."""
    names = {spec["supplier"] for spec in DEMO_PACKAGES}
    orgs = {o.name: o for o in db.session.scalars(select(Organisation).where(Organisation.name.in_(names)))}
    wanted = {name for spec in DEMO_PACKAGES for name in spec["municipalities"]}
    gemeenten = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.type == "gemeente", Organisation.name.in_(wanted)))}
    packages = {}
    for spec in DEMO_PACKAGES:
        package = _demo_package(spec, orgs, gemeenten)
        if package is not None:
            packages[package.name] = package
    for supplier, name, kind, package_names in DEMO_SERVICES:
        org = orgs.get(supplier)
        if org is None or db.session.scalar(select(Service.id).filter_by(organisation_id=org.id, name=name)):
            continue
        service = Service(organisation_id=org.id, name=name, kind=kind,
                          description="Fictieve dienst om de catalogus te verkennen.")
        service.packages = [packages[p] for p in package_names if p in packages]
        db.session.add(service)
    db.session.commit()


@hookimpl(trylast=True)
def seed_data(app, demo):
    if demo:
        current_app.extensions["scg_demo_users"] = load_demo()
        load_demo_catalogue()
