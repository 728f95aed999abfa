"""One real test per hook of core/hookspecs.py, through a small plugin (tests/core/sample_plugin.py).

tests/core/test_plugin_contract.py fails when a hookspec has no test here whose
name contains the hook's name.
"""

from __future__ import annotations

import dataclasses
import types
from io import BytesIO
from pathlib import Path

import pluggy
import pytest
from flask import current_app

from core import io, spreadsheets
from core.accounts import AccountError, create_user
from core.events import OrganisationApproved, emit
from core.extensions import db
from core.models import AuditLog, Organisation
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_RAADPLEGER, RoleSpec, roles_for_organisation_type
from tests.core import sample_plugin
from tests.core.test_roles_seed_migrations import _model_tables, migration_diff
from tests.support.actors import World, login
from tests.support.welcome import tasks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sample_app(make_app):
    sample_plugin.CALLS.clear()
    app = make_app(plugins=[sample_plugin], SAMPLE_NAME="met-plugin")
    with app.app_context():
        yield app


@pytest.fixture
def people(sample_app):
    return World.build(sample_app)


# --------------------------------------------------------------------------- hooks, in order
def test_hooks_are_called_once_in_build_order(sample_app):
    assert sample_plugin.CALLS == ["register_models", "register_views", "register_apis", "register_menu",
                                   "register_commands"]


def test_register_models_feeds_the_migration_check(sample_app, tmp_path):
    """A model a plugin registers is compared with the migrations: without one it is reported."""
    assert "sample_notitie" in _model_tables(sample_app)
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    diff = migration_diff(sample_app, url)
    assert [d[0] for d in diff] == ["add_table"] and diff[0][1].name == "sample_notitie"


def test_register_views_adds_pages(sample_app):
    resp = sample_app.test_client().get("/test-notities/")
    assert resp.status_code == 200 and "Notities van de testplugin" in resp.get_data(as_text=True)


def test_register_apis_adds_rest_endpoints(sample_app):
    resp = sample_app.test_client().get("/api/v1/test-ping/")
    assert resp.status_code == 200 and resp.json == {"message": "pong"}


def test_register_menu_adds_links_for_roles_that_may_see_them(sample_app, people):
    anonymous = sample_app.test_client()
    assert "https://handleiding.example/testplugin" in anonymous.get("/").get_data(as_text=True)
    supplier = sample_app.test_client()
    login(supplier, people.users["aanbod"])  # Aanbod-beheerder got no menu_access on the link
    assert "https://handleiding.example/testplugin" not in supplier.get("/welkom/").get_data(as_text=True)


def test_register_commands_adds_flask_scg_commands(sample_app):
    result = sample_app.test_cli_runner().invoke(args=["scg", "testplugin-hallo"])
    assert result.exit_code == 0, result.output
    assert "Hallo vanuit de testplugin in GEMMA Softwarecatalogus" in result.output


def test_role_permissions_are_granted_and_synced(sample_app):
    sm = current_app.appbuilder.sm
    role = sm.find_role(GEBRUIK_RAADPLEGER)
    perms = {(p.permission.name, p.view_menu.name) for p in role.permissions}
    assert ("menu_access", "Handleiding testplugin") in perms
    assert ("menu_access", "Handleiding testplugin") not in {
        (p.permission.name, p.view_menu.name) for p in sm.find_role(AANBOD_BEHEERDER).permissions}


def test_role_permissions_with_an_unknown_role_fail_at_start(make_app):
    bad = types.ModuleType("scg_test_unknown_role")

    @hookimpl
    def role_permissions():
        return {"Superbeheerder": [("can_list", "Organisation")]}

    bad.role_permissions = role_permissions
    with pytest.raises(ValueError, match="unknown role 'Superbeheerder'"):
        make_app(plugins=[bad])


def test_register_roles_adds_a_role_that_is_synced_and_fits_its_organisation_type(sample_app, make_app):
    role = current_app.appbuilder.sm.find_role(sample_plugin.NOTULIST)
    assert role is not None  # created by the role sync at start, with the permissions granted to it
    assert ("menu_access", "Handleiding testplugin") in {(p.permission.name, p.view_menu.name)
                                                          for p in role.permissions}
    assert sample_plugin.NOTULIST in roles_for_organisation_type("gemeente")
    assert sample_plugin.NOTULIST not in roles_for_organisation_type("leverancier")
    gemeente = Organisation(name="Notulendorp", type="gemeente", status="goedgekeurd")
    leverancier = Organisation(name="Notulen BV", type="leverancier", status="goedgekeurd")
    db.session.add_all([gemeente, leverancier])
    user = create_user(email="notulist@notulendorp.example", first_name="Nora", last_name="Notulist",
                       password=None, organisation=gemeente, role_name=sample_plugin.NOTULIST)
    assert [r.name for r in user.roles] == [sample_plugin.NOTULIST]
    with pytest.raises(AccountError, match="past niet"):
        create_user(email="notulist@notulen.example", first_name="N", last_name="N", password=None,
                    organisation=leverancier, role_name=sample_plugin.NOTULIST)
    db.session.rollback()
    without = make_app(SAMPLE_NAME="zonder-plugin")
    with without.app_context():
        assert sample_plugin.NOTULIST not in roles_for_organisation_type("gemeente")
        with pytest.raises(AccountError, match="Onbekende rol"):
            create_user(email="n@notulendorp.example", first_name="N", last_name="N", password=None,
                        organisation=None, role_name=sample_plugin.NOTULIST)


def test_register_roles_with_a_name_that_is_taken_fails_at_start(make_app):
    bad = types.ModuleType("scg_test_taken_role")

    @hookimpl
    def register_roles():
        return [RoleSpec(AANBOD_BEHEERDER, "Nog een aanbod-beheerder", ("gemeente",))]

    bad.register_roles = register_roles
    with pytest.raises(ValueError, match="role 'Aanbod-beheerder' of scg_test_taken_role already exists"):
        make_app(plugins=[bad])


def test_default_settings_are_defaults_under_config_and_overrides(sample_app):
    assert current_app.config["SAMPLE_NOTE_MAX_LENGTH"] == 200 and current_app.config["SAMPLE_NOTES_PUBLIC"] is False
    assert current_app.config["SAMPLE_NAME"] == "met-plugin"  # the create_app override wins


def test_default_settings_read_the_environment_as_the_default_type(make_app, monkeypatch):
    monkeypatch.setenv("SAMPLE_NOTE_MAX_LENGTH", "500")
    monkeypatch.setenv("SAMPLE_NOTES_PUBLIC", "ja")
    app = make_app(plugins=[sample_plugin], SAMPLE_NAME="uit-omgeving")
    assert app.config["SAMPLE_NOTE_MAX_LENGTH"] == 500 and app.config["SAMPLE_NOTES_PUBLIC"] is True
    monkeypatch.setenv("SAMPLE_NOTE_MAX_LENGTH", "veel")
    with pytest.raises(ValueError):
        make_app(plugins=[sample_plugin], SAMPLE_NAME="fout")


def test_default_settings_lose_to_config_py_and_conflicts_fail(make_app):
    shadow = types.ModuleType("scg_test_shadow_setting")

    @hookimpl
    def default_settings():
        return {"APP_NAME": "Schaduwcatalogus", "SAMPLE_NOTE_MAX_LENGTH": 999}

    shadow.default_settings = default_settings
    with pytest.raises(ValueError, match="SAMPLE_NOTE_MAX_LENGTH"):
        make_app(plugins=[sample_plugin, shadow])
    del shadow.default_settings

    @hookimpl
    def default_settings():
        return {"APP_NAME": "Schaduwcatalogus"}

    shadow.default_settings = default_settings
    assert make_app(plugins=[shadow]).config["APP_NAME"] == "GEMMA Softwarecatalogus"


def test_seed_data_runs_idempotently_with_the_demo_flag(sample_app):
    runner = sample_app.test_cli_runner()
    assert runner.invoke(args=["scg", "seed"]).exit_code == 0
    assert runner.invoke(args=["scg", "seed"]).exit_code == 0
    assert db.session.query(Organisation).filter_by(name=sample_plugin.SEED_NAME).count() == 1
    assert sample_plugin.CALLS[-2:] == ["seed_data demo=False", "seed_data demo=False"]
    result = runner.invoke(args=["scg", "seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert sample_plugin.CALLS[-1] == "seed_data demo=True"


def test_welcome_steps_show_for_the_right_user(sample_app, people):
    supplier = sample_app.test_client()
    login(supplier, people.users["aanbod"])
    page = supplier.get("/welkom/").get_data(as_text=True)
    assert "Lees de handleiding van de testplugin" in page and 'href="/test-notities/"' in page
    # A step with ``done`` is a task with its status and reason; one without is a place to go.
    assert tasks(page)["Schrijf een eerste notitie"] == ("Nog te doen", "Nog geen notitie")
    assert "Lees de handleiding van de testplugin" not in tasks(page)
    gemeente = sample_app.test_client()
    login(gemeente, people.users["gebruik"])
    assert "Lees de handleiding van de testplugin" not in gemeente.get("/welkom/").get_data(as_text=True)


def test_page_links_show_on_the_right_page_for_the_right_user_in_order(sample_app, people):
    anonymous = sample_app.test_client()
    login_page = anonymous.get("/login/").get_data(as_text=True)
    # the sample's order 15 puts it between F001's two links, before F003's
    texts = ["Wachtwoord vergeten?", "Hulp bij inloggen", "Aanmelden als leverancier", "Aansluiten bij uw organisatie"]
    positions = [login_page.find(text) for text in texts]
    assert -1 not in positions and positions == sorted(positions)
    assert 'href="https://handleiding.example/inloggen"' in login_page
    assert "Hulp bij inloggen" not in anonymous.get("/").get_data(as_text=True)  # not on the start page

    supplier = sample_app.test_client()
    login(supplier, people.users["aanbod"])
    menu = supplier.get("/welkom/").get_data(as_text=True)
    assert ('<a href="/test-notities/"><span class="fa fa-fw fa-sticky-note" aria-hidden="true"></span> '
            'Mijn notities</a>') in menu
    assert menu.find("Mijn notities") < menu.find("Uitloggen")
    gemeente = sample_app.test_client()
    login(gemeente, people.users["gebruik"])
    assert "Mijn notities" not in gemeente.get("/welkom/").get_data(as_text=True)


def test_page_links_on_the_package_page_get_the_package(sample_app, people):
    from tests.f011 import factory

    package = factory.package(people.supplier, "Notulenpakket")
    page = sample_app.test_client().get(f"/catalogus/pakketten/{package.public_id}").get_data(as_text=True)
    assert "Notities over Notulenpakket" in page and 'href="/test-notities/"' in page
    # under the municipality count, before the facts about the package
    assert page.find("dit pakket.</p>") < page.find("Notities over Notulenpakket") < page.find('class="dl-horizontal"')


def test_page_links_with_an_unknown_slot_fail(sample_app):
    from flask import render_template_string

    with sample_app.test_request_context("/"):
        with pytest.raises(ValueError, match="Unknown page slot 'logni'"):
            render_template_string("{{ slot_links('logni') }}")
        with pytest.raises(ValueError, match="Unknown page slot"):
            render_template_string("{{ slot_sections('leverancier', None) }}")


def test_page_sections_show_on_the_supplier_page_for_logged_in_users_in_order(sample_app, people):
    people.supplier.name = "ICT <Solutions> BV"
    db.session.commit()
    path = f"/leveranciers/{people.supplier.id}"
    anonymous = sample_app.test_client()
    page = anonymous.get(path).get_data(as_text=True)
    assert "<h2>Pakketten</h2>" in page and "Notities van de testplugin" not in page

    supplier = sample_app.test_client()
    login(supplier, people.users["gebruik"])
    page = supplier.get(path).get_data(as_text=True)
    assert "<h2>Notities van de testplugin</h2>" in page
    assert "<p>Notities over ICT &lt;Solutions&gt; BV.</p>" in page  # the plugin escaped the name
    # order 5 comes before F011's Pakketten (10); both before F002's own Contactgegevens
    assert page.find("Notities van de testplugin") < page.find("<h2>Pakketten</h2>") < page.find("Contactgegevens")


def test_on_event_reacts_in_the_same_transaction(sample_app, people):
    sample_plugin.EVENTS.clear()
    org = people.supplier
    emit(OrganisationApproved(organisation_id=org.id, actor_id=people.users["fb"].id))
    db.session.commit()
    assert sample_plugin.EVENTS == [("met-plugin", OrganisationApproved(organisation_id=org.id,
                                                                        actor_id=people.users["fb"].id))]
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).description == "Goedgekeurd gezien door de testplugin"


def test_on_event_that_raises_aborts_the_change(sample_app, people):
    org = people.other_supplier
    org.name = "Weiger BV"
    org.status = "goedgekeurd"
    db.session.flush()
    with pytest.raises(RuntimeError, match="weigert"):
        emit(OrganisationApproved(organisation_id=org.id))
    db.session.rollback()
    assert db.session.get(Organisation, org.id).name == "Concurrent BV"


# --------------------------------------------------------------------------- io_handlers
def test_io_handlers_are_collected_and_offered_by_role(sample_app, people):
    # besides the sample plugin's handler, the default plugins (F004, F005) offer the supplier's offering
    collected = io.collect_handlers(sample_app)
    assert sample_plugin.PROFILE in collected
    assert io.collect_handlers(sample_app.extensions["scg_plugins"]) == collected
    offering = [h for h in collected if h.group == "aanbod"]
    assert offering and all(h.roles == {"Aanbod-beheerder"} for h in offering)
    # each role gets exactly the handlers that name it (F010 offers the Gebruik-beheerder its member list)
    for key, role in (("aanbod", "Aanbod-beheerder"), ("gebruik", "Gebruik-beheerder")):
        offered = io.handlers_for(people.users[key])
        assert sample_plugin.PROFILE in offered
        assert offered == [h for h in collected if role in h.roles]
    assert not set(offering) & set(io.handlers_for(people.users["gebruik"]))
    assert io.handlers_for(people.users["fb"]) == collected
    # the Gebruik-raadpleger exports the landscape (F013) and imports nothing
    read_only = io.handlers_for(people.users["raadpleger"])
    assert [h.name for h in read_only] == ["gebruik-landschap"]
    assert not any(h.may_import(people.users["raadpleger"]) for h in read_only)
    assert io.handlers_for(None) == []
    with pytest.raises(io.NotAllowed):
        list(sample_plugin.PROFILE.iter_rows(people.users["raadpleger"]))
    with pytest.raises(io.NotAllowed):
        io.run_import(people.users["raadpleger"], [(sample_plugin.PROFILE, [])], apply=False)


def test_io_handlers_export_only_declared_columns_of_the_own_organisation(sample_app, people):
    user = people.users["aanbod"]
    rows = list(sample_plugin.PROFILE.iter_rows(user))
    assert rows == [{"Naam": "ICT Solutions BV", "Website": None, "Soort": "leverancier"}]  # no "Intern"
    with pytest.raises(PermissionError, match="eigen organisatie"):
        list(sample_plugin.PROFILE.iter_rows(user, people.other_supplier.id))
    assert list(sample_plugin.PROFILE.iter_rows(people.users["fb"], people.other_supplier.id))[0]["Naam"] == \
        "Concurrent BV"  # a global role chooses the organisation
    out = BytesIO()
    assert spreadsheets.write_csv(sample_plugin.PROFILE, rows, out) == 1
    assert out.getvalue().startswith("\ufeffNaam;Website;Soort\r\n".encode("utf-8"))
    assert list(spreadsheets.read_csv(out.getvalue()).rows) == [
        {"Naam": "ICT Solutions BV", "Website": None, "Soort": "leverancier"}]
    io.record_export(user, [sample_plugin.PROFILE], people.supplier.id, 1, "csv")
    row = db.session.query(AuditLog).filter_by(action="export").one()
    assert (row.user_id, row.organisation_id, row.object_type) == (user.id, people.supplier.id, "Organisation")


def test_io_handlers_import_checks_everything_first(sample_app, people):
    user = people.users["aanbod"]
    bad = [{"Naam": "ICT Solutions BV", "Website": "ict.example", "Soort": "bakkerij"},
           {"Naam": "", "Website": "https://ict.example", "Soort": "leverancier"}]
    header = {sample_plugin.PROFILE.name: ["Naam", "Website", "Soort", "Geheim"]}
    preview = io.run_import(user, [(sample_plugin.PROFILE, bad)], apply=False, headers=header)
    messages = [str(e) for e in preview.errors]
    # rows as a spreadsheet numbers them: the header is row 1, the first data row 2
    assert "Rij 1, kolom 'Geheim': Onbekende kolom" in messages
    assert "Rij 2, kolom 'Website': Moet een webadres zijn dat begint met https://, niet 'ict.example'" in messages
    assert "Rij 3, kolom 'Naam': Is verplicht" in messages
    assert not any("Soort" in m for m in messages)  # read-only: exported for information, ignored on import
    with pytest.raises(io.ImportRejected):
        io.run_import(user, [(sample_plugin.PROFILE, bad)], apply=True)
    db.session.expire_all()
    assert db.session.get(Organisation, people.supplier.id).website is None

    table = spreadsheets.read_csv("Naam;Website;Soort\r\nICT Solutions BV;https://ict.example;gemeente\r\n"
                                  .encode("utf-8-sig"))
    preview = io.run_import(user, [(sample_plugin.PROFILE, table.rows)], apply=False,
                            headers={sample_plugin.PROFILE.name: table.header})
    assert (preview.changed, preview.errors, preview.applied) == (1, [], False)
    db.session.expire_all()
    assert db.session.get(Organisation, people.supplier.id).website is None  # a preview changes nothing
    done = io.run_import(user, [(sample_plugin.PROFILE, table.rows)], apply=True)
    assert (done.changed, done.applied) == (1, True)
    db.session.expire_all()
    supplier = db.session.get(Organisation, people.supplier.id)
    assert (supplier.website, supplier.type) == ("https://ict.example", "leverancier")
    assert db.session.query(AuditLog).filter_by(action="import", result="gelukt").count() == 1
    again = io.run_import(user, [(sample_plugin.PROFILE, table.rows)], apply=False)
    assert (again.changed, again.unchanged, again.no_changes) == (0, 1, True)


def test_io_handlers_import_failure_in_the_handler_changes_nothing(sample_app, people):
    user = people.users["aanbod"]
    rows = [{"Naam": "ICT Solutions BV", "Website": "https://a.example"},
            {"Naam": "Concurrent BV", "Website": "https://b.example"}]
    with pytest.raises(io.ImportRejected) as rejected:  # a row error the handler reports
        io.run_import(user, [(sample_plugin.PROFILE, rows)], apply=True)
    assert [str(e) for e in rejected.value.errors] == [
        "Rij 3, kolom 'Naam': U kunt alleen het profiel van uw eigen organisatie bijwerken."]

    def crash(sync, rows):  # a handler that breaks halfway
        for _number, row in rows:
            db.session.get(Organisation, sync.organisation_id).website = row["Website"]
            db.session.flush()
            raise RuntimeError("kapot")

    broken = dataclasses.replace(sample_plugin.PROFILE, sync_rows=crash)
    with pytest.raises(RuntimeError, match="kapot"):
        io.run_import(user, [(broken, rows)], apply=True)
    db.session.expire_all()
    assert db.session.get(Organisation, people.supplier.id).website is None
    assert db.session.query(AuditLog).filter_by(action="import", result="mislukt").count() == 1


def test_io_handlers_docs_example_is_the_sample_plugin_code():
    # docs/plugins.md shows the sample plugin's handler; every block of the snippet must still be that code
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = docs[docs.index("### `io_handlers()`"):]
    snippet = section[section.index("```python\n") + 10:section.index("\n```", section.index("```python"))]
    source = (ROOT / "tests" / "core" / "sample_plugin.py").read_text(encoding="utf-8")
    blocks = [b.strip("\n") for b in snippet.split("\n\n\n") if b.strip()]
    assert len(blocks) >= 4
    for block in blocks:
        for part in (block.splitlines() if block.startswith("from ") else [block]):
            assert part in source, f"docs/plugins.md io_handlers example differs from sample_plugin.py:\n{part}"


def test_io_handlers_with_the_same_name_fail(sample_app):
    twin = types.ModuleType("scg_test_twin_handler")
    twin.io_handlers = hookimpl(lambda: [sample_plugin.PROFILE])
    twin.io_handlers.__name__ = "io_handlers"
    pm = sample_app.extensions["scg_plugins"]
    pm.register(twin)
    try:
        with pytest.raises(ValueError, match="testplugin-profiel"):
            io.collect_handlers(pm)
    finally:
        pm.unregister(twin)


def test_io_handlers_may_name_plugin_roles_of_the_app_only(sample_app, make_app):
    from dataclasses import replace

    for_notulist = replace(sample_plugin.PROFILE, name="testplugin-notulist", roles={sample_plugin.NOTULIST})
    extra = types.ModuleType("scg_test_notulist_handler")
    extra.io_handlers = hookimpl(lambda: [for_notulist])
    extra.io_handlers.__name__ = "io_handlers"
    pm = sample_app.extensions["scg_plugins"]
    pm.register(extra)
    try:
        assert "testplugin-notulist" in [h.name for h in io.collect_handlers(sample_app)]
    finally:
        pm.unregister(extra)
    without = make_app(SAMPLE_NAME="zonder-plugin")  # an app that does not know the Notulist
    without.extensions["scg_plugins"].register(extra)
    try:
        with pytest.raises(ValueError, match="unknown roles \\['Notulist'\\]"):
            io.collect_handlers(without)
    finally:
        without.extensions["scg_plugins"].unregister(extra)


def test_io_handler_column_types(app):
    assert io.Column("n", type="integer").parse(" 42 ") == 42
    assert io.Column("d", type="date").parse("31-12-2025").isoformat() == "2025-12-31"
    assert io.Column("d", type="date").parse("2025-12-31").isoformat() == "2025-12-31"
    assert io.Column("b", type="boolean").parse("Ja") is True
    assert io.Column("b", type="boolean").parse("nee") is False
    for column, value in ((io.Column("n", type="integer"), "veel"), (io.Column("d", type="date"), "morgen"),
                          (io.Column("b", type="boolean"), "misschien")):
        with pytest.raises(ValueError):
            column.parse(value)
    with pytest.raises(ValueError, match="unknown type"):
        io.Column("x", type="geld")


# --------------------------------------------------------------------------- the plugin manager
def test_group_member_ids_unions_the_answers_counts_current_members_only_and_is_empty_without_f010(
        sample_app, people):
    import datetime as dt

    import flask

    from core.groups import group_member_ids
    from core.plugins import build_plugin_manager
    from plugins.f010_lidmaatschap.models import Deelname

    sample_group = Organisation(name=sample_plugin.SAMPLE_GROUP, type="community", status="goedgekeurd")
    regio = Organisation(name="Regio Hook", type="samenwerking", status="goedgekeurd")
    db.session.add_all([sample_group, regio])
    db.session.flush()
    db.session.add_all([Deelname(organisation_id=people.gemeente.id, group_id=regio.id, since=dt.date(2025, 1, 1)),
                        Deelname(organisation_id=people.other_gemeente.id, group_id=regio.id,
                                 since=dt.date(2024, 1, 1), ended_on=dt.date(2025, 1, 1))])
    db.session.commit()
    with sample_app.test_request_context("/"):
        assert group_member_ids(regio.id) == {people.gemeente.id}  # F010: the ended one does not count
        # the sample plugin knows its own group (it answers for that one only; F010 has no rows for it)
        assert group_member_ids(sample_group.id) == {people.gemeente.id, people.other_gemeente.id}
        assert group_member_ids(people.supplier.id) == frozenset()
        assert group_member_ids(None) == frozenset()
    bare = flask.Flask("zonder_f010")
    bare.extensions["scg_plugins"] = build_plugin_manager(disabled=["plugins.f010_lidmaatschap.hooks"])
    with bare.app_context():
        assert group_member_ids(regio.id) == frozenset()


def test_misspelt_hookimpl_fails_at_start(make_app):
    typo = types.ModuleType("scg_test_typo")

    @hookimpl
    def register_view(appbuilder):  # the spec is register_views
        pass

    typo.register_view = register_view
    with pytest.raises(pluggy.PluginValidationError, match="register_view"):
        make_app(plugins=[typo])


def test_hookimpl_with_an_unknown_argument_fails_at_start(make_app):
    wrong = types.ModuleType("scg_test_wrong_argument")

    @hookimpl
    def register_views(app):  # the spec passes appbuilder
        pass

    wrong.register_views = register_views
    with pytest.raises(pluggy.PluginValidationError, match="app"):
        make_app(plugins=[wrong])


def test_each_app_has_its_own_plugin_manager(make_app):
    with_plugin = make_app(plugins=[sample_plugin], SAMPLE_NAME="met-plugin")
    without = make_app(SAMPLE_NAME="zonder-plugin")
    pm_with, pm_without = with_plugin.extensions["scg_plugins"], without.extensions["scg_plugins"]
    assert pm_with is not pm_without
    assert pm_with.is_registered(sample_plugin) and not pm_without.is_registered(sample_plugin)
    assert without.test_client().get("/test-notities/").status_code == 404
    assert with_plugin.test_client().get("/test-notities/").status_code == 200
    sample_plugin.EVENTS.clear()
    with without.app_context():
        emit(OrganisationApproved(organisation_id=1))
    assert sample_plugin.EVENTS == []
