"""GEMMA release: reading the real file, importing it twice, a modified release, hostile files (CLI)."""

from __future__ import annotations

import pytest

from core.builtin.gemma import RELEASE_PATH, import_file
from core.extensions import db
from core.gemma.ameff import AmeffError, read_release
from core.gemma.models import Referentiecomponent, Standaard, StandaardVerplichting, Standaardversie
from core.models import AuditLog
from tests.core import gemma_files


def _counts():
    return tuple(db.session.query(m).count() for m in (Referentiecomponent, Standaard, Standaardversie,
                                                        StandaardVerplichting, AuditLog))


def test_the_real_release_parses_to_the_known_counts():
    release = read_release(RELEASE_PATH)
    assert len(release.referentiecomponenten) == 171
    assert len(release.standaarden) == 200
    assert len(release.standaardversies) == 323
    assert all(v.standaard_object_id in release.standaarden for v in release.standaardversies.values())
    kinds = list(release.verplichtingen.values())
    assert (kinds.count("verplicht"), kinds.count("aanbevolen")) == (313, 432)
    assert {rc for rc, _std in release.verplichtingen} <= set(release.referentiecomponenten)


def test_importing_the_same_release_twice_changes_nothing_the_second_time(app):
    first = import_file(RELEASE_PATH)
    assert len(first.kinds["referentiecomponenten"].added) == 171
    before = _counts()
    stamps = sorted((r.object_id, r.changed_on) for r in db.session.query(Referentiecomponent))
    db.session.expire_all()

    second = import_file(RELEASE_PATH)
    assert not second.has_changes
    assert "Geen wijzigingen." in second.lines()
    assert second.kinds["referentiecomponenten"].unchanged == 171
    assert second.kinds["verplichtingen"].unchanged == 745
    assert _counts() == before
    assert sorted((r.object_id, r.changed_on) for r in db.session.query(Referentiecomponent)) == stamps
    assert db.session.query(AuditLog).filter_by(action="gemma_import").count() == 1


def test_a_modified_release_reports_exactly_its_changes_and_keeps_links(app, tmp_path):
    import_file(RELEASE_PATH)
    changed = gemma_files.modified_release(tmp_path / "nieuw.xml")
    removed = db.session.query(Referentiecomponent).filter_by(object_id=changed["removed"]).one()
    removed_links = {v.id for v in removed.verplichtingen}
    renamed = db.session.query(Referentiecomponent).filter_by(object_id=changed["renamed"]).one()
    renamed_links = sorted((v.id, v.kind, v.standaard_id) for v in renamed.verplichtingen)
    assert removed_links and renamed_links

    report = import_file(tmp_path / "nieuw.xml", dry_run=True)
    rc = report.kinds["referentiecomponenten"]
    assert [c.key for c in rc.added] == [changed["added"]]
    assert [(c.key, c.fields) for c in rc.changed] == [(changed["renamed"], ("name",))]
    assert [c.key for c in rc.removed] == [changed["removed"]]
    assert rc.unchanged == 169
    std = report.kinds["standaarden"]
    assert [(c.key, c.fields) for c in std.changed] == [(changed["standaard"], ("gemma_status",))]
    assert not std.added and not std.removed
    assert not report.kinds["standaardversies"].has_changes
    links = report.kinds["verplichtingen"]
    assert {c.key[0] for c in links.removed} == {changed["removed"]}
    assert len(links.removed) == len(removed_links)
    assert not links.added  # the new component was added without relationships
    assert not links.changed
    # A dry run changes nothing.
    db.session.expire_all()
    assert renamed.name == changed["old_name"] and removed.in_release

    import_file(tmp_path / "nieuw.xml")
    db.session.expire_all()
    assert renamed.name == changed["new_name"]
    assert sorted((v.id, v.kind, v.standaard_id) for v in renamed.verplichtingen) == renamed_links
    assert removed.in_release is False  # marked, not deleted
    assert {v.id for v in removed.verplichtingen} == removed_links
    assert all(not v.in_release for v in removed.verplichtingen)
    new = db.session.query(Referentiecomponent).filter_by(object_id=changed["added"]).one()
    assert new.name == "Testcomponent nieuw" and new.in_release
    assert db.session.query(Standaard).filter_by(object_id=changed["standaard"]).one().gemma_status == \
        "Einde ondersteuning"
    assert not import_file(tmp_path / "nieuw.xml").has_changes

    # The old release brings the removed component back (same row, same links).
    import_file(RELEASE_PATH)
    db.session.expire_all()
    assert removed.in_release and all(v.in_release for v in removed.verplichtingen)
    assert db.session.get(Referentiecomponent, new.id).in_release is False


@pytest.mark.parametrize("name", sorted(gemma_files.HOSTILE))
def test_a_hostile_file_on_the_command_line_is_refused_and_changes_nothing(app, tmp_path, name):
    content, message = gemma_files.HOSTILE[name]
    path = tmp_path / f"{name}.xml"
    path.write_bytes(content)
    before = _counts()
    result = app.test_cli_runner().invoke(args=["scg", "gemma-import", str(path)])
    assert result.exit_code == 1, result.output
    assert "Import geweigerd, er is niets gewijzigd" in result.output and message in result.output
    assert _counts() == before


def test_dangling_references_and_a_too_large_file_are_refused(app, tmp_path):
    import_file(RELEASE_PATH)
    before = _counts()
    dangling = tmp_path / "dangling.xml"
    dangling.write_bytes(gemma_files.dangling_release())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["scg", "gemma-import", str(dangling)])
    assert result.exit_code == 1 and "verwijst naar een onbekend element (id-bestaat-niet)" in result.output
    app.config["GEMMA_MAX_UPLOAD_BYTES"] = 1024 * 1024
    result = runner.invoke(args=["scg", "gemma-import", str(RELEASE_PATH)])
    assert result.exit_code == 1 and "te groot" in result.output and "de grens is 1 MB" in result.output
    assert _counts() == before
    with pytest.raises(AmeffError):
        read_release(dangling)


def test_the_command_line_dry_run_prints_the_report_in_dutch(app):
    result = app.test_cli_runner().invoke(args=["scg", "gemma-import", str(RELEASE_PATH), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Referentiecomponenten: 171 toegevoegd, 0 gewijzigd, 0 niet meer in de release" in result.output
    assert "Proefimport: er is niets gewijzigd." in result.output
    assert db.session.query(Referentiecomponent).count() == 0
    result = app.test_cli_runner().invoke(args=["scg", "gemma-import", str(RELEASE_PATH)])
    assert result.exit_code == 0 and "De GEMMA-release is geïmporteerd." in result.output
    assert db.session.query(Referentiecomponent).count() == 171


def test_seed_loads_the_shipped_release_once(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["scg", "seed"]).exit_code == 0
    before = _counts()
    assert before[:4] == (171, 200, 323, 745)
    assert runner.invoke(args=["scg", "seed"]).exit_code == 0
    assert _counts() == before


SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the model -->
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="id-model">
  <name>Klein</name>
  <elements>
    <element identifier="id-rc" xsi:type="ApplicationComponent">
      <name xml:lang="en">Case component</name><name xml:lang="nl">Zaakcomponent</name>
      <documentation>Beheert zaken.</documentation>
      <properties>
        <property propertyDefinitionRef="p-b"><value xml:lang="nl">Referentiecomponent</value></property>
        <property propertyDefinitionRef="p-a"><value>aaaaaaaa-0000-4000-8000-000000000001</value></property>
        <property propertyDefinitionRef="p-leeg"><value>genegeerd</value></property>
      </properties>
    </element>
    <!-- a comment between elements -->
    <element identifier="id-std" xsi:type="Constraint">
      <name>StUF</name>
      <properties>
        <property propertyDefinitionRef="p-b"><value>Standaard</value></property>
        <property propertyDefinitionRef="p-a"><value>AAAAAAAA-0000-4000-8000-000000000002</value></property>
      </properties>
    </element>
    <element identifier="id-v" xsi:type="Constraint">
      <name xml:lang="nl">StUF 3.01</name>
      <properties>
        <property propertyDefinitionRef="p-b"><value>Standaardversie</value></property>
        <property propertyDefinitionRef="p-a"><value>aaaaaaaa-0000-4000-8000-000000000003</value></property>
      </properties>
    </element>
  </elements>
  <relationships>
    <relationship identifier="id-r1" source="id-v" target="id-std" xsi:type="Specialization"/>
    <relationship identifier="id-r2" source="id-rc" target="id-std" xsi:type="Realization">
      <properties><property propertyDefinitionRef="p-c"><value>Verplicht</value></property></properties>
    </relationship>
  </relationships>
  <organizations>
    <item><label>Map</label><item identifierRef="{folder_ref}"/></item>
  </organizations>
  <propertyDefinitions>
    <propertyDefinition identifier="p-a" type="string"><name>Object ID</name></propertyDefinition>
    <propertyDefinition identifier="p-b" type="string"><name xml:lang="nl">GEMMA type</name></propertyDefinition>
    <propertyDefinition identifier="p-c" type="string"><name>Verbindingsrol</name></propertyDefinition>
    <propertyDefinition identifier="p-leeg" type="string"><name></name></propertyDefinition>
  </propertyDefinitions>
  <views><diagrams><view identifier="id-view" xsi:type="Diagram"><name>Plaat</name>
    <node identifier="id-n1" elementRef="id-rc" xsi:type="Element" x="0" y="0" w="10" h="10"/>
  </view></diagrams></views>
</model>
"""


def test_comments_languages_empty_property_names_folders_and_views_are_handled():
    release = read_release(SMALL.format(folder_ref="id-rc").encode())
    rc = release.referentiecomponenten["aaaaaaaa-0000-4000-8000-000000000001"]
    assert (rc.name, rc.description) == ("Zaakcomponent", "Beheert zaken.")  # the Dutch name is chosen
    assert list(release.standaarden) == ["aaaaaaaa-0000-4000-8000-000000000002"]  # Object IDs compared lower-case
    versie = release.standaardversies["aaaaaaaa-0000-4000-8000-000000000003"]
    assert (versie.name, versie.standaard_object_id) == ("StUF 3.01", "aaaaaaaa-0000-4000-8000-000000000002")
    assert release.verplichtingen == {(rc.object_id, "aaaaaaaa-0000-4000-8000-000000000002"): "verplicht"}
    with pytest.raises(AmeffError, match="Een map verwijst naar een onbekend element"):
        read_release(SMALL.format(folder_ref="id-weg").encode())


def test_a_release_exported_from_archi_with_its_views_folder_is_imported(app, tmp_path):
    # Archi's "Views" folder refers to the views; those references are accepted (and ignored).
    path = tmp_path / "archi.xml"
    path.write_bytes(gemma_files.archi_export())
    result = app.test_cli_runner().invoke(args=["scg", "gemma-import", str(path)])
    assert result.exit_code == 0, result.output
    assert "De GEMMA-release is geïmporteerd." in result.output
    rc = db.session.query(Referentiecomponent).one()
    assert (rc.name, rc.element_identifier) == ("Zaakregistratiecomponent", "id-5a0c3e2f1b6d4e7a8c9b0d1e2f3a4b5c")
    assert [(v.standaard.name, v.kind) for v in rc.verplichtingen] == [("StUF", "verplicht")]


def test_a_folder_that_refers_to_something_that_is_not_in_the_file_is_still_refused(app, tmp_path):
    path = tmp_path / "archi.xml"
    path.write_bytes(gemma_files.archi_export(view_ref="id-bestaat-niet"))
    result = app.test_cli_runner().invoke(args=["scg", "gemma-import", str(path)])
    assert result.exit_code != 0
    assert "Een map verwijst naar een onbekend element of een onbekende view (id-bestaat-niet)." in result.output
    assert db.session.query(Referentiecomponent).count() == 0
