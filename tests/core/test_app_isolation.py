"""Several apps in one process: each has its own ``flask scg`` commands; the
process-wide SQLAlchemy listeners (core/listeners.py) are installed once and serve all."""

from __future__ import annotations

from sqlalchemy import select

from core import listeners
from core.catalogue.models import Package
from core.extensions import db
from core.models import AuditLog, Organisation
from tests.core import sample_plugin


def _scg_commands(app) -> set[str]:
    return set(app.cli.commands["scg"].commands)


def test_two_apps_have_separate_scg_commands(make_app):
    with_plugin = make_app(plugins=[sample_plugin], SAMPLE_NAME="met-plugin")
    without = make_app(SAMPLE_NAME="zonder-plugin")
    assert "testplugin-hallo" in _scg_commands(with_plugin)
    assert "testplugin-hallo" not in _scg_commands(without)
    assert {"sync-roles", "seed"} <= _scg_commands(without)
    result = without.test_cli_runner().invoke(args=["scg", "testplugin-hallo"])
    assert result.exit_code != 0 and "No such command" in result.output
    result = with_plugin.test_cli_runner().invoke(args=["scg", "testplugin-hallo"])
    assert result.exit_code == 0, result.output


def test_listeners_are_installed_once_per_process(make_app):
    first = make_app()
    second = make_app(SAMPLE_NAME="tweede")
    assert listeners.install() is False  # both apps' starts already did it
    with second.app_context():
        org = Organisation(name="Eénmaal BV", type="leverancier", status="goedgekeurd")
        db.session.add(org)
        db.session.flush()
        package = Package(organisation_id=org.id, name="Café-Pakket", status="concept")
        db.session.add(package)
        db.session.commit()
        org_id, package_id = org.id, package.id
    with first.app_context():
        # one audit row per change, not one per app built, and the search text is computed once, right
        rows = db.session.scalars(select(AuditLog).filter_by(object_type="Organisation",
                                                              object_id=str(org_id))).all()
        assert [r.action for r in rows] == ["aangemaakt"]
        assert db.session.get(Package, package_id).search_text == "cafepakket eenmaal bv"
