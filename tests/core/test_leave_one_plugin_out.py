"""Every page still works with any one default plugin left out (config DISABLED_PLUGINS).

Each variant gets a fresh, empty database that the app migrates itself, so a plugin
that is left out never had its tables or permissions made. The slot links and
sections of the missing plugin are gone; those of the others stay.
"""

from __future__ import annotations

import pytest

from core.models import OrganisationStatus
from core.plugins import DEFAULT_PLUGINS
from core.roles import AANBOD_BEHEERDER
from tests.support.actors import login, make_org, make_user
from tests.support.databases import backend

PLUGINS = [name for name in DEFAULT_PLUGINS if name.startswith("plugins.")]

F001, F002, F003, F011 = ("plugins.f001_toegang.hooks", "plugins.f002_organisatie.hooks",
                          "plugins.f003_gebruikers.hooks", "plugins.f011_catalogus.hooks")

#: What each plugin puts on pages it does not own: (plugin, page owner or None for core,
#: page key, text). Checked only where the page's owner is present.
SLOT_CONTENT = [
    (F001, None, "login", ">Wachtwoord vergeten?</a>"),
    (F001, None, "login", ">Aanmelden als leverancier</a>"),
    (F001, None, "start", ">Aanmelden als leverancier</a>"),
    (F011, None, "start", 'href="/catalogus/">Zoek in de catalogus</a>'),
    (F002, None, "start", 'href="/leveranciers/">Alle leveranciers</a>'),
    (F001, F003, "join", ">Meld uw bedrijf aan</a>"),
    (F003, None, "login", ">Aansluiten bij uw organisatie</a>"),
    (F011, F002, "supplier", "<h2>Pakketten</h2>"),
]


@pytest.fixture
def fresh_database(request, tmp_path):
    if backend() == "postgres":
        return request.getfixturevalue("pg_databases").create()  # empty: the app migrates it
    return f"sqlite:///{tmp_path / 'fresh.db'}"


def _seed():
    """An approved supplier with one published package and a person who manages its offer."""
    from core.catalogue.models import Package
    from core.extensions import db

    supplier = make_org("Zonder Plugin BV", status=OrganisationStatus.goedgekeurd.value)
    package = Package(organisation_id=supplier.id, name="Zaaksysteem Zonder", status="gepubliceerd",
                      short_description="Een openbaar pakket")
    db.session.add(package)
    db.session.commit()
    user = make_user("aanbod@zonderplugin.example", AANBOD_BEHEERDER, supplier)
    return supplier, package, user


@pytest.mark.parametrize("disabled", PLUGINS, ids=[name.split(".")[1] for name in PLUGINS])
def test_every_page_works_without_one_plugin(make_app, fresh_database, disabled):
    app = make_app(DISABLED_PLUGINS=[disabled], SQLALCHEMY_DATABASE_URI=fresh_database, FAB_UPDATE_PERMS=True)
    registered = {app.extensions["scg_plugins"].get_name(p) for p in app.extensions["scg_plugins"].get_plugins()}
    assert disabled not in registered and set(PLUGINS) - {disabled} <= registered
    with app.app_context():
        _check_pages(app, disabled)


def _check_pages(app, disabled):
    supplier, package, user = _seed()
    paths = {"start": "/", "login": "/login/", "catalogue": "/catalogus/", "suppliers": "/leveranciers/",
             "supplier": f"/leveranciers/{supplier.id}", "package": f"/catalogus/pakketten/{package.public_id}",
             "join": "/aansluiten/"}

    anonymous = app.test_client()
    pages = {}
    for key, path in paths.items():
        resp = anonymous.get(path)
        assert resp.status_code < 500, f"{path} without {disabled}: {resp.status_code}"
        pages[key] = resp.get_data(as_text=True) if resp.status_code == 200 else None

    for plugin, owner, key, text in SLOT_CONTENT:
        if owner == disabled:
            continue  # the page itself is gone
        assert pages[key] is not None, f"{paths[key]} missing without {disabled}"
        if plugin == disabled:
            assert text not in pages[key], f"{text} of {plugin} still on {paths[key]}"
        else:
            assert text in pages[key], f"{text} of {plugin} gone from {paths[key]} without {disabled}"

    supplier_client = app.test_client()
    login(supplier_client, user)
    for path in [*paths.values(), "/welkom/"]:
        resp = supplier_client.get(path)
        assert resp.status_code < 500, f"{path} as supplier without {disabled}: {resp.status_code}"
    welcome = supplier_client.get("/welkom/")
    assert welcome.status_code == 200 and "Uitloggen" in welcome.get_data(as_text=True)


def test_core_builtins_cannot_be_disabled(make_app, fresh_database):
    with pytest.raises(ValueError, match="core.builtin.files belong to core and cannot be disabled"):
        make_app(DISABLED_PLUGINS=["core.builtin.files"], SQLALCHEMY_DATABASE_URI=fresh_database)


@pytest.mark.parametrize("disabled", [[], [F001]], ids=["all plugins", "without f001"])
def test_f003_offers_a_new_password_only_when_f001_serves_it(make_app, fresh_database, mailbox, disabled):
    from core.extensions import db
    from core.models import Membership
    from tests.f003.conftest import bulk, client_for, text
    from tests.f003.test_join_requests import ask
    from tests.support.actors import World

    app = make_app(DISABLED_PLUGINS=disabled, SQLALCHEMY_DATABASE_URI=fresh_database, FAB_UPDATE_PERMS=True)
    with app.app_context():
        world = World.build(app)
        # someone with an account asks to join: the mail points to the login, and to a new password via F001
        assert ask(app.test_client(), email="gr@voorbeeldstad.example").status_code == 200
        message = mailbox.last_to("gr@voorbeeldstad.example")
        assert "U heeft al een account" in message.text and "Inloggen: http://localhost/login/" in message.text
        reset_line = "Weet u uw wachtwoord niet meer? Vraag een nieuw wachtwoord aan: http://localhost/wachtwoord-vergeten/"
        assert (reset_line in message.text) is not bool(disabled)
        assert ("Vraag een nieuw wachtwoord aan</a>" in message.html) is not bool(disabled)

        # the beheerder sends a colleague a reset mail; without F001 there is no reset page to send
        membership = db.session.query(Membership).filter_by(user_id=world.users["raadpleger"].id).one()
        beheerder = client_for(app, world.users["gebruik"])
        mailbox.clear()
        resp = bulk(beheerder, "/gebruikers", "reset_password", [membership.id])
        assert resp.status_code == 302
        page = text(beheerder.get(resp.location))
        if disabled:
            assert "Wachtwoord-reset is in deze installatie niet beschikbaar." in page
            assert mailbox.to("gr@voorbeeldstad.example") == []
        else:
            assert "1 e-mail(s) verstuurd" in page
            assert "/wachtwoord-vergeten/" in mailbox.last_to("gr@voorbeeldstad.example").text
