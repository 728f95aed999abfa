"""F011 demo data: the run command's seed loads a fictional catalogue once, with real GEMMA shelves
and real municipalities, and the demo supplier user owns one of its packages."""

from __future__ import annotations

from sqlalchemy import func, select

from core.catalogue.models import Module, Package, Screenshot, Service, StandardClaim, Usage, Version, service_package
from core.extensions import db
from core.files import StoredFile
from core.models import Organisation
from tests.f011.conftest import facet, results

TABLES = (Organisation, Package, Module, Version, StandardClaim, Screenshot, StoredFile, Service, Usage)


def counts() -> dict:
    found = {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}
    found["service_package"] = db.session.scalar(select(func.count()).select_from(service_package))
    return found


def test_demo_seed_loads_a_public_catalogue_once(app):
    from core.accounts import find_user_by_email
    from core.builtin.demo import DEMO_PASSWORD

    seed = app.extensions["scg_plugins"].hook.seed_data
    seed(app=app, demo=True)
    first = counts()
    seed(app=app, demo=True)
    assert counts() == first  # idempotent
    assert first["Package"] == 4 and first["Service"] == 3 and first["Usage"] == 10 and first["Screenshot"] == 1

    client = app.test_client()
    page = client.get("/catalogus/?sort=gemeenten").get_data(as_text=True)
    # (Vergaderapp Regio: the usage F013's demo samenwerking registered for a member)
    assert results(page) == ["Zaakwijzer (demo)", "Documentenstraat (demo)", "Archiefkast Café (demo)",
                             "Vergaderapp Regio (demo)"]
    assert "gebruikt door 3 gemeenten" in page
    assert facet(page, "rc")["Generiek zaakafhandelcomponent"] == 1  # a real GEMMA shelf, found by name
    assert facet(page, "dienst") == {"Functioneel beheer": 1, "Technisch beheer / hosting": 2,
                                     "Implementatieondersteuning": 1}
    assert sum(facet(page, "standaard").values()) >= 1
    assert results(client.get("/catalogus/?q=cafe").get_data(as_text=True)) == ["Archiefkast Café (demo)"]

    zaakwijzer = db.session.scalar(select(Package).filter_by(name="Zaakwijzer (demo)"))
    page = client.get(f"/catalogus/pakketten/{zaakwijzer.public_id}").get_data(as_text=True)
    assert "Hosting en technisch beheer (demo)" in page and "Fictief Hosting B.V. (demo)" in page  # other supplier
    assert 'alt="Overzicht van lopende zaken (demo)"' in page
    screenshot = db.session.scalar(select(Screenshot).filter_by(package_id=zaakwijzer.id))
    image = client.get(f"/bestanden/{screenshot.file.token}")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    # the demo supplier user owns it and still logs in
    jan = find_user_by_email("jan@voorbeeldsoftware.example")
    assert jan.organisation.id == zaakwijzer.organisation_id
    from tests.support.actors import login

    login(client, jan, password=DEMO_PASSWORD)
