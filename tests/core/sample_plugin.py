"""A small plugin that implements every hook, for tests/core/test_hooks.py.

It is registered only where a test passes it: ``make_app(plugins=[sample_plugin])``.
``CALLS`` and ``EVENTS`` record what the hooks saw, per app name (each test app
gets ``SAMPLE_NAME`` in its config), so that tests can tell apps apart.
"""

from __future__ import annotations

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from flask_appbuilder import BaseView, Model, expose
from flask_appbuilder.api import BaseApi
from markupsafe import Markup
from sqlalchemy import Column, ForeignKey, Integer, String, select

from core.events import OrganisationApproved
from core.extensions import db
from core.io import Column as IOColumn
from core.io import IOHandler
from core.io_sync import apply_fields
from core.models import Organisation, OrganisationStatus
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, BEZOEKER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER
from core.slots import Link, Section
from core.welcome import Step

CALLS: list[str] = []
EVENTS: list[object] = []


class Notitie(Model):
    """A model this plugin owns but for which (deliberately) no migration exists."""

    __tablename__ = "sample_notitie"
    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id"), nullable=False)
    tekst = Column(String(200), nullable=False)


class NotitieView(BaseView):
    route_base = "/test-notities"
    default_view = "index"

    @expose("/")
    def index(self):
        return "<main><h1>Notities van de testplugin</h1></main>"


class PingApi(BaseApi):
    resource_name = "test-ping"

    @expose("/", methods=["GET"])
    def ping(self):
        return self.response(200, message="pong")


@hookimpl
def register_models():
    CALLS.append("register_models")
    return [Notitie]


@hookimpl
def register_views(appbuilder):
    CALLS.append("register_views")
    appbuilder.add_view_no_menu(NotitieView())


@hookimpl
def register_apis(appbuilder):
    CALLS.append("register_apis")
    appbuilder.add_api(PingApi)


@hookimpl
def register_menu(appbuilder):
    CALLS.append("register_menu")
    appbuilder.add_link("Handleiding testplugin", href="https://handleiding.example/testplugin",
                        category="Hulp", category_label="Hulp")


@hookimpl
def register_commands(cli):
    CALLS.append("register_commands")

    @cli.command("testplugin-hallo", help="Zeg hallo vanuit de testplugin.")
    @with_appcontext
    def hallo():
        click.echo(f"Hallo vanuit de testplugin in {current_app.config['APP_NAME']}")


@hookimpl
def role_permissions():
    return {
        BEZOEKER: [("menu_access", "Handleiding testplugin"), ("menu_access", "Hulp")],
        GEBRUIK_RAADPLEGER: [("menu_access", "Handleiding testplugin"), ("menu_access", "Hulp")],
        "Notulist": [("menu_access", "Handleiding testplugin"), ("menu_access", "Hulp")],  # its own role
    }


SEED_NAME = "Testplugin Leverancier BV"


@hookimpl
def seed_data(app, demo):
    CALLS.append(f"seed_data demo={demo}")
    if db.session.query(Organisation).filter_by(name=SEED_NAME).first() is None:
        db.session.add(Organisation(name=SEED_NAME, type="leverancier", status=OrganisationStatus.goedgekeurd.value))
        db.session.commit()


# --- io_handlers: an organisation's profile as one row -----------------------------------
# The worked example of docs/plugins.md (section io_handlers); tests/core/test_hooks.py runs it.
def export_profile(user, organisation_id):
    """The rows of one organisation (``core.io`` decided which one the user may export)."""
    org = db.session.get(Organisation, organisation_id) if organisation_id is not None else None
    if org is None:
        return []
    return [{"Naam": org.name, "Website": org.website, "Soort": org.type, "Intern": "nooit exporteren"}]


def sync_profile(sync, rows):
    """Match each row on the name of the importing user's own organisation; report what happened."""
    org = db.session.get(Organisation, sync.organisation_id)
    for number, row in rows:
        if row["Naam"] != org.name:
            sync.error(number, "Naam", "U kunt alleen het profiel van uw eigen organisatie bijwerken.")
            continue
        changed = apply_fields(org, {"website": row["Website"]}, {"website": "Website"})
        if changed:
            sync.changed(number, changed, org.name)
        else:
            sync.unchanged(number)


PROFILE = IOHandler(
    name="testplugin-profiel",
    entity="Organisation",
    label="Organisatieprofiel (testplugin)",
    columns=(
        IOColumn("Naam", required=True, help="Naam van de organisatie"),
        IOColumn("Website", type="url"),
        IOColumn("Soort", read_only=True, allowed_values=("leverancier", "gemeente", "samenwerking", "community")),
    ),
    roles=frozenset({AANBOD_BEHEERDER, GEBRUIK_BEHEERDER}),
    export_rows=export_profile,
    sync_rows=sync_profile,
)


@hookimpl
def io_handlers():
    return [PROFILE]


@hookimpl
def welcome_steps(user, organisation):
    if organisation is None or organisation.type != "leverancier":
        return []
    return [Step("Lees de handleiding van de testplugin", "Alles over notities.",
                 url_for("NotitieView.index"), order=5),
            Step("Schrijf een eerste notitie", "Een notitie voor uzelf.", url_for("NotitieView.index"), order=6,
                 done=False, reason="Nog geen notitie")]


@hookimpl
def on_event(event):
    EVENTS.append((current_app.config.get("SAMPLE_NAME"), event))
    if isinstance(event, OrganisationApproved):
        org = db.session.get(Organisation, event.organisation_id)
        if org.name == "Weiger BV":
            raise RuntimeError("De testplugin weigert deze organisatie.")
        org.description = "Goedgekeurd gezien door de testplugin"


# --- register_roles and default_settings ----------------------------------------------
NOTULIST = "Notulist"


@hookimpl
def register_roles():
    from core.roles import RoleSpec

    return [RoleSpec(NOTULIST, "Gemeente: schrijft de notities van de testplugin.", ("gemeente",))]


@hookimpl
def default_settings():
    # SAMPLE_NAME tells test apps apart; SAMPLE_NOTE_MAX_LENGTH shows a typed default.
    return {"SAMPLE_NAME": "", "SAMPLE_NOTE_MAX_LENGTH": 200, "SAMPLE_NOTES_PUBLIC": False}


@hookimpl
def page_links(slot, obj, user):
    if slot == "package_page":  # the page's package comes as obj
        return [Link(f"Notities over {obj.name}", url_for("NotitieView.index"), order=50)]
    if slot == "login":  # between F001's "Wachtwoord vergeten?" (10) and "Aanmelden als leverancier" (20)
        return [Link("Hulp bij inloggen", "https://handleiding.example/inloggen", order=15)]
    organisation = getattr(user, "organisation", None) if user.is_authenticated else None
    if slot == "user_menu" and organisation is not None and organisation.type == "leverancier":
        return [Link("Mijn notities", url_for("NotitieView.index"), icon="fa-sticky-note")]
    return []


@hookimpl
def page_sections(slot, obj, user):
    if slot != "supplier_page" or not user.is_authenticated:
        return []
    # before F011's "Pakketten" (order 10); the organisation's name is escaped
    return [Section("Notities van de testplugin", Markup("<p>Notities over %s.</p>") % obj.name, order=5)]


# --- group_member_ids: a group whose members this plugin knows ---------------------------------
SAMPLE_GROUP = "Testgroep"


@hookimpl
def group_member_ids(group_id):
    group = db.session.get(Organisation, group_id)
    if group is None or group.name != SAMPLE_GROUP:
        return []
    return list(db.session.scalars(select(Organisation.id).where(Organisation.type == "gemeente")))
