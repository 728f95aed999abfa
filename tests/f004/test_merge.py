"""F004 merge of duplicate packages: preview, conflicts, one transaction, only for the Functioneel beheerder."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.catalogue import merge as catalogue_merge
from core.catalogue.models import (
    Module,
    Package,
    PackageDocument,
    Screenshot,
    Service,
    StandardClaim,
    Usage,
    Version,
    package_referentiecomponent,
    service_package,
)
from core.extensions import db
from core.models import AuditLog
from core.plugins import hookimpl
from tests.f004.support import (
    classify,
    make_claim,
    make_document,
    make_package,
    make_rc,
    make_screenshot,
    make_standard,
    version_of,
)
from tests.support.actors import csrf_token, login


@pytest.fixture
def fb(app, world):
    client = app.test_client()
    login(client, world.users["fb"])
    return client


@pytest.fixture
def pair(app, world):
    """A survivor and a duplicate with overlapping and own data."""
    survivor = make_package(world.supplier, "Zaakwijzer")
    duplicate = make_package(world.supplier, "ZaakWijzer (dubbel)")
    zaak, dms = make_rc("Zaakregistratiecomponent"), make_rc("Documentbeheercomponent")
    classify(survivor, zaak)
    classify(duplicate, zaak, dms)
    stuf, zgw = make_standard("StUF-ZKN"), make_standard("ZGW API's")
    make_claim(survivor, version_of(stuf), url="https://survivor.example/stuf")
    make_claim(duplicate, version_of(stuf), url="https://duplicate.example/stuf")
    make_claim(duplicate, version_of(zgw))
    org = world.supplier.id
    db.session.add_all([
        Module(organisation_id=org, package_id=survivor.id, name="Balie"),
        Module(organisation_id=org, package_id=duplicate.id, name="Balie"),
        Module(organisation_id=org, package_id=duplicate.id, name="Archief"),
        Version(organisation_id=org, package_id=survivor.id, name="4.0"),
        Version(organisation_id=org, package_id=duplicate.id, name="4.0"),
        Version(organisation_id=org, package_id=duplicate.id, name="5.0"),
    ])
    db.session.commit()
    dup_v4 = db.session.scalar(select(Version).where(Version.package_id == duplicate.id, Version.name == "4.0"))
    make_document(duplicate, "Handleiding dubbel")
    make_screenshot(survivor, "Scherm blijvend", 0)
    make_screenshot(duplicate, "Scherm dubbel", 0)
    service = Service(organisation_id=org, name="Hosting", kind="technisch_beheer")
    db.session.add(service)
    db.session.flush()
    db.session.execute(service_package.insert().values(service_id=service.id, package_id=duplicate.id))
    db.session.add_all([
        Usage(organisation_id=world.gemeente.id, package_id=survivor.id, status="in_productie"),
        Usage(organisation_id=world.gemeente.id, package_id=duplicate.id, status="gepland"),
        Usage(organisation_id=world.other_gemeente.id, package_id=duplicate.id, version_id=dup_v4.id,
              status="in_productie", status_date=dt.date(2024, 1, 1)),
    ])
    db.session.commit()
    return survivor.id, duplicate.id


def _count(model, **where):
    db.session.expire_all()
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query)


def test_preview_counts_what_moves_and_what_is_dropped(fb, pair):
    survivor_id, duplicate_id = pair
    resp = fb.get(f"/beheer/pakketten-samenvoegen/?survivor={survivor_id}&duplicate={duplicate_id}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Samenvoegen controleren" in body
    plan = catalogue_merge.preview(survivor_id, duplicate_id)
    assert plan.moved == {"modules": 1, "versions": 1, "referentiecomponenten": 1, "claims": 1, "services": 1,
                          "usages": 1, "documents": 1, "screenshots": 1}
    assert plan.dropped == {"modules": 1, "versions": 1, "referentiecomponenten": 1, "claims": 1, "usages": 1}
    assert "Modules met dezelfde naam: die van Zaakwijzer blijven" in body
    assert "5 gegevens van ZaakWijzer (dubbel) vervallen" in body
    assert _count(Package) == 2  # a preview changes nothing


def test_merge_moves_everything_and_deletes_the_duplicate(fb, app, pair, world):
    survivor_id, duplicate_id = pair
    received = []

    class Mover:
        @hookimpl
        def on_event(self, event):
            if type(event).__name__ == "PackagesMerged":
                # emitted before the duplicate is deleted: it is still there
                received.append((event.survivor_id, event.duplicate_id,
                                 db.session.get(Package, event.duplicate_id) is not None))

    app.extensions["scg_plugins"].register(Mover())
    page = f"/beheer/pakketten-samenvoegen/?survivor={survivor_id}&duplicate={duplicate_id}"
    resp = fb.post("/beheer/pakketten-samenvoegen/samenvoegen", data={
        "csrf_token": csrf_token(fb, page), "survivor": str(survivor_id), "duplicate": str(duplicate_id)},
        follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert "ZaakWijzer (dubbel) is samengevoegd met Zaakwijzer. 5 dubbele gegevens zijn vervallen." in body
    assert received == [(survivor_id, duplicate_id, True)]
    assert db.session.get(Package, duplicate_id) is None
    assert sorted(m.name for m in db.session.scalars(select(Module).where(Module.package_id == survivor_id))) == [
        "Archief", "Balie"]
    versions = {v.name: v.id for v in db.session.scalars(select(Version).where(Version.package_id == survivor_id))}
    assert sorted(versions) == ["4.0", "5.0"]
    assert _count(StandardClaim, package_id=survivor_id) == 2
    kept = db.session.scalar(select(StandardClaim.evidence_url).join(StandardClaim.standaardversie)
                             .where(StandardClaim.package_id == survivor_id,
                                    StandardClaim.evidence_url.like("%stuf")))
    assert kept == "https://survivor.example/stuf"
    assert _count(PackageDocument, package_id=survivor_id) == 1
    shots = db.session.scalars(select(Screenshot).where(Screenshot.package_id == survivor_id)
                               .order_by(Screenshot.position)).all()
    assert [s.caption for s in shots] == ["Scherm blijvend", "Scherm dubbel"]
    rcs = db.session.execute(select(package_referentiecomponent.c.referentiecomponent_id)
                             .where(package_referentiecomponent.c.package_id == survivor_id)).all()
    assert len(rcs) == 2
    assert db.session.execute(select(service_package).where(service_package.c.package_id == survivor_id)).all()
    usages = {u.organisation_id: u for u in db.session.scalars(select(Usage))}
    assert len(usages) == 2
    assert usages[world.gemeente.id].status == "in_productie"  # the survivor's usage stays
    assert usages[world.other_gemeente.id].package_id == survivor_id
    assert usages[world.other_gemeente.id].version_id == versions["4.0"]  # pointed at the survivor's 4.0
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "pakketten_samenvoegen"))
    assert audit is not None and audit.object_id == str(survivor_id)


def test_merge_across_suppliers_moves_rows_and_files_to_the_survivors_organisation(app, world):
    survivor = make_package(world.supplier, "Zaakwijzer")
    duplicate = make_package(world.other_supplier, "Zaakwijzer kopie")
    doc = make_document(duplicate, "Handleiding", with_file=True)
    shot = make_screenshot(duplicate, "Scherm")
    doc_id, shot_id, survivor_id, duplicate_id = doc.id, shot.id, survivor.id, duplicate.id
    catalogue_merge.merge(survivor_id, duplicate_id)
    db.session.commit()
    db.session.expire_all()
    doc, shot = db.session.get(PackageDocument, doc_id), db.session.get(Screenshot, shot_id)
    assert doc.organisation_id == shot.organisation_id == world.supplier.id
    assert doc.file.organisation_id == shot.file.organisation_id == world.supplier.id


def test_a_failing_listener_rolls_back_the_whole_merge(app, pair):
    survivor_id, duplicate_id = pair

    class Refuser:
        @hookimpl
        def on_event(self, event):
            raise RuntimeError("kan niet verplaatsen")

    app.extensions["scg_plugins"].register(Refuser())
    with pytest.raises(RuntimeError):
        catalogue_merge.merge(survivor_id, duplicate_id)
    db.session.rollback()
    assert db.session.get(Package, duplicate_id) is not None
    assert _count(Module, package_id=duplicate_id) == 2 and _count(Version, package_id=duplicate_id) == 2
    assert _count(Usage, package_id=duplicate_id) == 2


def test_merging_twice_or_into_itself_is_refused_in_dutch(fb, pair):
    survivor_id, duplicate_id = pair
    resp = fb.get(f"/beheer/pakketten-samenvoegen/?survivor={survivor_id}&duplicate={survivor_id}")
    assert resp.status_code == 400 and "Kies twee verschillende pakketten." in resp.get_data(as_text=True)
    resp = fb.get("/beheer/pakketten-samenvoegen/?survivor=abc&duplicate=999999")
    assert resp.status_code == 400 and "Kies een pakket uit de lijst." in resp.get_data(as_text=True)
    token = csrf_token(fb, f"/beheer/pakketten-samenvoegen/?survivor={survivor_id}&duplicate={duplicate_id}")
    data = {"csrf_token": token, "survivor": str(survivor_id), "duplicate": str(duplicate_id)}
    fb.post("/beheer/pakketten-samenvoegen/samenvoegen", data=data)
    resp = fb.post("/beheer/pakketten-samenvoegen/samenvoegen", data=data, follow_redirects=True)
    assert "bestaat niet (meer)" in resp.get_data(as_text=True)
    assert _count(Package) == 1


def test_only_the_functioneel_beheerder_may_merge(app, world, pair):
    survivor_id, duplicate_id = pair
    for who in ("aanbod", "vng", "gebruik"):
        client = app.test_client()
        login(client, world.users[who])
        resp = client.get(f"/beheer/pakketten-samenvoegen/?survivor={survivor_id}&duplicate={duplicate_id}")
        assert resp.status_code in (302, 403) and "Samenvoegen controleren" not in resp.get_data(as_text=True)
        token = csrf_token(client, "/account/twee-factor/")
        resp = client.post("/beheer/pakketten-samenvoegen/samenvoegen", data={
            "csrf_token": token, "survivor": str(survivor_id), "duplicate": str(duplicate_id)})
        assert resp.status_code in (302, 403)
    anonymous = app.test_client().post("/beheer/pakketten-samenvoegen/samenvoegen", data={
        "survivor": str(survivor_id), "duplicate": str(duplicate_id)})
    assert anonymous.status_code in (302, 400, 403)
    assert _count(Package) == 2


def test_merge_without_csrf_changes_nothing(fb, pair):
    survivor_id, duplicate_id = pair
    resp = fb.post("/beheer/pakketten-samenvoegen/samenvoegen", data={
        "survivor": str(survivor_id), "duplicate": str(duplicate_id)})
    assert resp.status_code in (302, 400)
    assert _count(Package) == 2
