"""F004 status: concept -> gepubliceerd after a check, back to concept, unpublishing by VNG with a reason and e-mail."""

from __future__ import annotations

import pytest

from core.catalogue.access import is_public
from core.catalogue.models import Package
from core.events import PackagePublished, PackageUnpublished
from core.extensions import db
from core.models import Membership, OrganisationStatus
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER
from tests.f004.conftest import make_package
from tests.support.actors import World, csrf_token, login, make_user


class EventRecorder:
    def __init__(self):
        self.events = []

    @hookimpl
    def on_event(self, event):
        self.events.append(event)


@pytest.fixture
def recorder():
    return EventRecorder()


@pytest.fixture
def setup(make_app, recorder):
    app = make_app(plugins=[recorder])
    with app.app_context():
        world = World.build(app)
        yield app, world


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _package(pk) -> Package:
    db.session.expire_all()
    return db.session.get(Package, pk)


def _token(client, pk) -> str:
    return csrf_token(client, f"/pakketten/edit/{pk}")


def _post_action(client, name, pk, token):
    return client.post(f"/pakketten/action/{name}/{pk}", data={"csrf_token": token, "next": "show"},
                       follow_redirects=True)


def test_show_page_lists_what_is_missing_and_publishing_refuses_until_complete(setup, recorder):
    app, world = setup
    supplier = _client(app, world.users["aanbod"])
    package = make_package(world.supplier, name="Zaakwerk")
    page = supplier.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    for missing in ("Vul een korte beschrijving in.", "Voeg minimaal één referentiecomponent toe.",
                    "Kies minimaal één hostingmodel.", "Kies de licentievorm (open source of gesloten bron)."):
        assert missing in page
    resp = _post_action(supplier, "publish", package.id, _token(supplier, package.id))
    text = resp.get_data(as_text=True)
    assert "Zaakwerk is niet gepubliceerd." in text and "Voeg minimaal één referentiecomponent toe." in text
    assert _package(package.id).status == "concept" and _package(package.id).published_on is None
    assert recorder.events == []


def test_supplier_publishes_and_sets_back_to_concept(setup, recorder):
    app, world = setup
    supplier = _client(app, world.users["aanbod"])
    package = make_package(world.supplier, name="Zaakwerk", publishable=True)
    assert "Het pakket is compleet" in supplier.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    token = _token(supplier, package.id)
    resp = _post_action(supplier, "publish", package.id, token)
    assert "Zaakwerk is gepubliceerd." in resp.get_data(as_text=True)
    published = _package(package.id)
    assert published.status == "gepubliceerd" and published.published_on is not None
    assert is_public(published)
    assert recorder.events == [PackagePublished(package_id=package.id, organisation_id=world.supplier.id,
                                                actor_id=world.users["aanbod"].id)]
    resp = _post_action(supplier, "to_concept", package.id, token)
    assert "Teruggezet naar concept: Zaakwerk." in resp.get_data(as_text=True)
    assert _package(package.id).status == "concept" and not is_public(_package(package.id))


def test_publishing_over_get_is_refused(setup):
    app, world = setup
    supplier = _client(app, world.users["aanbod"])
    package = make_package(world.supplier, publishable=True)
    supplier.get(f"/pakketten/action/publish/{package.id}")
    assert _package(package.id).status == "concept"


def test_bulk_publish_publishes_complete_packages_and_names_the_incomplete(setup):
    app, world = setup
    supplier = _client(app, world.users["aanbod"])
    ready = make_package(world.supplier, name="Klaar", publishable=True)
    half = make_package(world.supplier, name="Half")
    foreign = make_package(world.other_supplier, name="Vreemd", publishable=True)
    resp = supplier.post("/pakketten/action_post", data={
        "action": "publish", "rowid": [str(ready.id), str(half.id), str(foreign.id)],
        "csrf_token": _token(supplier, ready.id)}, follow_redirects=True)
    text = resp.get_data(as_text=True)
    assert "Klaar is gepubliceerd." in text and "Half is niet gepubliceerd." in text and "Vreemd" not in text
    assert [_package(p.id).status for p in (ready, half, foreign)] == ["gepubliceerd", "concept", "concept"]


def test_only_packages_of_approved_suppliers_are_public(setup):
    app, world = setup
    package = make_package(world.supplier, publishable=True, status="gepubliceerd")
    assert is_public(package)
    world.supplier.status = OrganisationStatus.bevestigd.value
    db.session.commit()
    assert not is_public(_package(package.id))


def test_functioneel_beheerder_unpublishes_with_a_reason_mailed_to_the_aanbod_beheerders(setup, recorder, mailbox):
    app, world = setup
    colleague = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    former = make_user("vertrokken@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    db.session.query(Membership).filter_by(user_id=former.id).update({"active": False})
    db.session.commit()
    package = make_package(world.supplier, name="Zaakwerk", publishable=True, status="gepubliceerd")
    fb = _client(app, world.users["fb"])
    page = fb.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    assert f"/pakketten/depubliceren/{package.id}" in page
    path = f"/pakketten/depubliceren/{package.id}"
    token = csrf_token(fb, path)
    # without a reason: refused, nothing changed
    resp = fb.post(path, data={"csrf_token": token, "reason": "  "})
    assert resp.status_code == 400 and "Vul de reden in" in resp.get_data(as_text=True)
    assert _package(package.id).status == "gepubliceerd" and mailbox.messages == []
    resp = fb.post(path, data={"csrf_token": token, "reason": "De beschrijving klopt niet."}, follow_redirects=True)
    assert "Zaakwerk is teruggezet naar concept." in resp.get_data(as_text=True)
    unpublished = _package(package.id)
    assert unpublished.status == "concept" and unpublished.unpublished_reason == "De beschrijving klopt niet."
    assert recorder.events[-1] == PackageUnpublished(package_id=package.id, organisation_id=world.supplier.id,
                                                     reason="De beschrijving klopt niet.",
                                                     actor_id=world.users["fb"].id)
    for address in ("jan@ictsolutions.example", colleague.email):
        mail = mailbox.last_to(address)
        assert "teruggezet naar concept" in mail.subject and "De beschrijving klopt niet." in mail.text
        assert f"http://localhost/pakketten/show/{package.id}" in mail.text
    assert mailbox.to("vertrokken@ictsolutions.example") == []
    # the supplier sees the reason; publishing again clears it
    supplier = _client(app, world.users["aanbod"])
    page = supplier.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    assert "VNG heeft dit pakket teruggezet naar concept." in page and "De beschrijving klopt niet." in page
    _post_action(supplier, "publish", package.id, _token(supplier, package.id))
    assert _package(package.id).unpublished_reason is None


@pytest.mark.parametrize("who", ["aanbod", "vng", "gebruik"])
def test_only_the_functioneel_beheerder_unpublishes(setup, who, mailbox):
    app, world = setup
    package = make_package(world.supplier, name="Zaakwerk", publishable=True, status="gepubliceerd")
    client = _client(app, world.users[who])
    page = client.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    assert "/pakketten/depubliceren/" not in page
    token = csrf_token(client, "/account/twee-factor/")
    resp = client.post(f"/pakketten/depubliceren/{package.id}", data={"csrf_token": token, "reason": "Weg"})
    assert resp.status_code in (302, 403, 404)
    assert _package(package.id).status == "gepubliceerd" and mailbox.messages == []
