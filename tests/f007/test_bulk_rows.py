"""An import changes and removes versions and modules in batches, without an ORM object per
row (core.io_sync.BulkRows), and still leaves the same trace: audit rows with old and new
values, references set to empty, listeners told through RowsChangedInBulk."""

from __future__ import annotations

import json

from sqlalchemy import select

from core.catalogue.models import Usage, Version
from core.events import RowsChangedInBulk
from core.extensions import db
from core.models import AuditLog
from core.plugins import hookimpl
from plugins.f007_export import exchange
from tests.f007.conftest import column_of, save, workbook
from tests.f007.test_offering_io import export_bytes


class Heard:
    def __init__(self):
        self.events = []

    @hookimpl
    def on_event(self, event):
        if isinstance(event, RowsChangedInBulk):
            self.events.append(event)


def _audit(action, object_id):
    return db.session.scalars(select(AuditLog).where(AuditLog.action == action, AuditLog.object_type == "Version",
                                                     AuditLog.object_id == str(object_id))).all()


def test_a_changed_version_is_audited_with_old_and_new_value(app, world, suppliers):
    heard = Heard()
    app.extensions["scg_plugins"].register(heard)
    user, v1 = world.users["aanbod"], suppliers["mine"]["v1"]
    book = workbook(export_bytes(user, "xlsx"))
    sheet = book["Pakketversies"]
    description = column_of(sheet, "Pakketversie Beschrijving")
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, description).value == "Eerste versie")
    sheet.cell(row, description).value = "Eerste versie, verbeterd"
    _, outcome = exchange.run(user, save(book), apply=True)
    assert (outcome.changed, outcome.created, outcome.removed) == (1, 0, 0)
    db.session.expire_all()
    assert db.session.get(Version, v1.id).description == "Eerste versie, verbeterd"
    [entry] = _audit("gewijzigd", v1.id)
    assert entry.user_id == user.id and entry.organisation_id == world.supplier.id
    assert json.loads(entry.details) == {"description": ["Eerste versie", "Eerste versie, verbeterd"]}
    assert [(e.model, e.organisation_id, e.ids) for e in heard.events] == [("Version", world.supplier.id, (v1.id,))]


def test_a_preview_writes_nothing(world, suppliers):
    user, v1 = world.users["aanbod"], suppliers["mine"]["v1"]
    book = workbook(export_bytes(user, "xlsx"))
    sheet = book["Pakketversies"]
    description = column_of(sheet, "Pakketversie Beschrijving")
    for r in range(2, sheet.max_row + 1):
        sheet.cell(r, description).value = "Anders"
    _, outcome = exchange.run(user, save(book), apply=False)
    assert outcome.changed == 2
    db.session.expire_all()
    assert db.session.get(Version, v1.id).description == "Eerste versie" and not _audit("gewijzigd", v1.id)


def test_a_removed_version_leaves_usages_without_version(world, suppliers):
    user, v2_id = world.users["aanbod"], suppliers["mine"]["v2"].id
    usage = Usage(organisation_id=world.gemeente.id, package_id=suppliers["mine"]["package"].id,
                  version_id=v2_id, status="in_productie")
    db.session.add(usage)
    db.session.commit()
    usage_id = usage.id
    book = workbook(export_bytes(user, "xlsx"))
    sheet = book["Pakketversies"]
    name = column_of(sheet, "Pakketversie Naam")
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, name).value == "2.0")
    sheet.delete_rows(row)
    _, outcome = exchange.run(user, save(book), apply=True, remove_missing=True)
    assert outcome.removed == 1 and outcome.errors == []
    db.session.expire_all()
    assert db.session.get(Version, v2_id) is None
    assert db.session.get(Usage, usage_id).version_id is None  # also on SQLite, which enforces no foreign keys here
    assert len(_audit("verwijderd", v2_id)) == 1
