"""The model of a supplier's offering: elements, properties, relationships, the view, validity."""

from __future__ import annotations

import datetime as dt
import io

from lxml import etree

from core.builtin.gemma import RELEASE_PATH, import_file
from core.extensions import db
from core.gemma.ameff import XSI_TYPE, read_release
from core.gemma.models import Referentiecomponent
from plugins.f007_export import archimate
from tests.core import gemma_files
from tests.f007_archimate.support import N, Parsed, assert_valid, make_package, make_rc

TODAY = dt.date(2026, 11, 28)


def export(org) -> tuple[bytes, archimate.ExportResult]:
    out = io.BytesIO()
    result = archimate.write_offering(out, org, today=TODAY)
    return out.getvalue(), result


def _offering(world):
    zaak = make_rc("Zaakregistratiecomponent", "11111111-1111-4111-8111-111111111111")
    dms = make_rc("Documentregistratiecomponent", "22222222-2222-4222-8222-222222222222")
    suite = make_package(world.supplier, "Zaaksuite", rcs=[zaak, dms], modules=["Koppelvlak", "Rapportage"],
                         versions=["4.1", "4.2"], licence_type="open_source", licence_spdx="EUPL-1.2",
                         cloud_models="saas,on_premises", website="https://ict.example/zaaksuite",
                         short_description="Zaakgericht werken")
    concept = make_package(world.supplier, "Nieuw idee", rcs=[zaak], status="concept", versions=["0.1"])
    loose = make_package(world.supplier, "Losse tool")
    foreign = make_package(world.other_supplier, "Geheim concept van de concurrent", rcs=[zaak], status="concept",
                           modules=["Geheime module"], versions=["9.9"])
    return zaak, dms, suite, concept, loose, foreign


def test_the_offering_has_supplier_packages_modules_versions_and_their_referentiecomponenten(app, world):
    zaak, dms, suite, concept, loose, foreign = _offering(world)
    data, result = export(world.supplier)
    assert_valid(data)
    model = Parsed(data)
    assert result.packages == 3

    [supplier] = [e for e in model.elements.values() if e.get(XSI_TYPE) == "BusinessActor"]
    assert model.name(supplier) == "ICT Solutions BV"
    assert model.prop(supplier, "SWC type") == "Leverancier"

    packages = {model.name(e): e for e in model.of_type("Pakket")}
    assert set(packages) == {"Zaaksuite", "Nieuw idee", "Losse tool"}  # concept included, others' not
    zs = packages["Zaaksuite"]
    assert zs.get(XSI_TYPE) == "ApplicationComponent"
    assert model.prop(zs, "Object ID") == suite.public_id
    assert model.prop(zs, "Status") == "Gepubliceerd"
    assert model.prop(packages["Nieuw idee"], "Status") == "Concept"
    assert model.prop(zs, "Licentie") == "Open source (EUPL-1.2)"
    assert model.prop(zs, "Cloudmodel") == "SaaS, On-premises"
    assert model.prop(zs, "URL") == "https://ict.example/zaaksuite"
    assert zs.findtext(f"{N}documentation") == "Zaakgericht werken"

    modules = {model.name(e): e for e in model.of_type("Module")}
    assert set(modules) == {"Koppelvlak", "Rapportage"}
    versions = {model.name(e): e for e in model.of_type("Pakketversie")}
    assert set(versions) == {"Zaaksuite 4.1", "Zaaksuite 4.2", "Nieuw idee 0.1"}
    assert model.prop(versions["Zaaksuite 4.2"], "Status") == "In gebruik"

    rcs = {model.prop(e, "Object ID"): e for e in model.elements.values()
           if model.prop(e, "GEMMA type") == "Referentiecomponent"}
    assert set(rcs) == {zaak.object_id, dms.object_id}
    # GEMMA's own identifier for a concept is id-<Object ID>: the file lines up with the GEMMA model.
    assert rcs[zaak.object_id].get("identifier") == f"id-{zaak.object_id}"

    zs_id = zs.get("identifier")
    assert model.rels("Realization") == {
        (zs_id, f"id-{zaak.object_id}"), (zs_id, f"id-{dms.object_id}"),
        (packages["Nieuw idee"].get("identifier"), f"id-{zaak.object_id}")}
    assert model.rels("Composition") == {(zs_id, m.get("identifier")) for m in modules.values()}
    assert {(v.get("identifier"), zs_id) for n, v in versions.items() if n.startswith("Zaaksuite")} \
        <= model.rels("Specialization")
    assert len(model.rels("Association")) == 3
    assert {s for s, _t in model.rels("Association")} == {supplier.get("identifier")}

    # Every property has a definition; the names are the ones people know.
    used = {p.get("propertyDefinitionRef") for p in model.root.iter(f"{N}property")}
    assert used <= set(model.props)
    assert {"SWC type", "Object ID", "Status", "Licentie", "Cloudmodel", "URL"} <= set(model.props.values())
    # Nothing of another organisation.
    text = data.decode("utf-8")
    assert "Geheim" not in text and foreign.public_id not in text
    assert result.filename == "28-11-2026_GEMMA 2_ICT Solutions BV_ameff_model.xml"


def test_the_view_places_every_package_on_its_referentiecomponenten(app, world):
    zaak, dms, suite, concept, loose, _foreign = _offering(world)
    data, _ = export(world.supplier)
    model = Parsed(data)
    [view] = model.views
    assert view.findtext(f"{N}name") == "Aanbod ICT Solutions BV"
    nodes = list(view.iter(f"{N}node"))
    for node in nodes:  # every node shows an existing element (or is the labelled box for the rest)
        ref = node.get("elementRef")
        if node.get(XSI_TYPE) == "Element":
            assert ref in model.elements
        else:
            assert node.get(XSI_TYPE) == "Container" and node.findtext(f"{N}label") == "Zonder referentiecomponent"
    boxes = {node.get("elementRef"): node for node in view.findall(f"{N}node")}
    inside = {rc: {child.get("elementRef") for child in box.findall(f"{N}node")} for rc, box in boxes.items()}
    zaak_id, dms_id = f"id-{zaak.object_id}", f"id-{dms.object_id}"
    ident = {p.public_id: f"id-{p.public_id}" for p in (suite, concept, loose)}
    assert inside[zaak_id] == {ident[suite.public_id], ident[concept.public_id]}
    assert inside[dms_id] == {ident[suite.public_id]}
    [rest] = [n for n in view.findall(f"{N}node") if n.get(XSI_TYPE) == "Container"]
    assert {c.get("elementRef") for c in rest.findall(f"{N}node")} == {ident[loose.public_id]}
    # Every package with a referentiecomponent is on the view inside each of its boxes.
    realizations = model.rels("Realization")
    assert len(realizations) == 3
    for pkg_id, rc_id in realizations:
        assert pkg_id in inside[rc_id]


def _bounds(node):
    return tuple(int(node.get(k)) for k in ("x", "y", "w", "h"))


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_the_view_has_no_overlaps_and_children_sit_inside_their_box(app, world):
    rcs = [make_rc(f"Component {i:02d}") for i in range(7)]
    for i in range(23):
        make_package(world.supplier, f"Pakket {i:02d}", rcs=[rcs[i % 7], rcs[(i * 3) % 7]])
    make_package(world.supplier, "Zonder plek")
    data, _ = export(world.supplier)
    assert_valid(data)
    [view] = Parsed(data).views
    top = view.findall(f"{N}node")
    assert len(top) == 1 + 7 + 1  # the supplier, a box per referentiecomponent, the rest
    for i, a in enumerate(top):
        for b in top[i + 1:]:
            assert not _overlap(_bounds(a), _bounds(b))
        children = [_bounds(c) for c in a.findall(f"{N}node")]
        x, y, w, h = _bounds(a)
        for j, c in enumerate(children):
            assert x <= c[0] and c[0] + c[2] <= x + w and y + 30 <= c[1] and c[1] + c[3] <= y + h  # label room
            assert c[2] >= 160 and c[3] >= 50  # readable labels
            for d in children[j + 1:]:
                assert not _overlap(c, d)


def test_hostile_names_are_escaped_and_the_file_stays_valid(app, world):
    hostile = ("<script>alert('x')</script> & \"Quote\" 'n' \U0001F680 \u202eRTL\u202c \x01\x07\x0b\x1f"
               " עברית")  # (NUL and lone surrogates cannot be stored: the writer's own tests cover them)
    formula = "=HYPERLINK(\"http://evil.example\";\"klik\")"
    rc = make_rc("Component <b>&amp;</b>")
    world.supplier.name = "Evil & <Co> \"BV\" \x02"
    db.session.commit()
    make_package(world.supplier, hostile, rcs=[rc], modules=["+SUM(1;2)"], versions=["@1\x0c"],
                 short_description="</documentation><injected/>", website="https://x.example/?a=1&b=<2>")
    make_package(world.supplier, formula, rcs=[rc])
    data, result = export(world.supplier)
    assert_valid(data)
    text = data.decode("utf-8")
    assert "<script>" not in text and "<injected/>" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
    model = Parsed(data)
    names = {model.name(e) for e in model.of_type("Pakket")}
    clean_hostile = "<script>alert('x')</script> & \"Quote\" 'n' \U0001F680 \u202eRTL\u202c  עברית"
    assert names == {clean_hostile, formula}  # control characters are removed
    assert model.name(model.of_type("Module")[0]) == "+SUM(1;2)"  # formula-like text is just text in XML
    [pkg] = [e for e in model.of_type("Pakket") if model.name(e) == clean_hostile]
    assert pkg.findtext(f"{N}documentation") == "</documentation><injected/>"
    assert model.prop(pkg, "URL") == "https://x.example/?a=1&b=<2>"
    assert result.filename == "28-11-2026_GEMMA 2_Evil & -Co- -BV_ameff_model.xml"


def test_the_file_rereads_with_the_gemma_reader_and_referentiecomponenten_round_trip(app, world):
    import_file(RELEASE_PATH)  # the shipped GEMMA release
    chosen = db.session.query(Referentiecomponent).order_by(Referentiecomponent.name).limit(4).all()
    make_package(world.supplier, "Alles-in-een", rcs=chosen, versions=["1.0"], modules=["Basis"])
    make_package(world.supplier, "Klein", rcs=chosen[:1])
    data, _ = export(world.supplier)
    assert_valid(data)
    release = read_release(data)
    assert set(release.referentiecomponenten) == {rc.object_id for rc in chosen}
    for rc in chosen:
        assert release.referentiecomponenten[rc.object_id].name == rc.name
    # The same Object IDs as in the GEMMA release itself.
    shipped = read_release(RELEASE_PATH)
    for rc in chosen:
        assert shipped.referentiecomponenten[rc.object_id].name == rc.name


def test_a_supplier_without_packages_gets_a_valid_file_with_only_itself(app, world):
    data, result = export(world.supplier)
    assert_valid(data)
    model = Parsed(data)
    assert result.packages == 0
    assert [e.get(XSI_TYPE) for e in model.elements.values()] == ["BusinessActor"]
    [view] = model.views
    assert len(view.findall(f"{N}node")) == 1


def test_file_names_are_safe(app, world):
    org = world.supplier
    cases = {
        "ICT Solutions BV": "ICT Solutions BV",
        "A/B\\C: D*?<>|\"E\"": "A-B-C- D-E",
        "Zoë & Fiëts ‮lmx.exe": "Zoë & Fiëts lmx.exe",  # no direction override to disguise the extension
        "../../etc/passwd": "etc-passwd",
        "   ": "organisatie",
        "x" * 300: "x" * 100,
    }
    for name, expected in cases.items():
        org.name = name
        assert archimate.export_filename(org, TODAY) == f"28-11-2026_GEMMA 2_{expected}_ameff_model.xml"


class _ChangesWhileWriting(io.BytesIO):
    """An output file that lets someone else change the offering once the export has begun."""

    def __init__(self, change):
        super().__init__()
        self.change = change

    def write(self, data):
        if self.change is not None:
            change, self.change = self.change, None
            change()
        return super().write(data)


def test_a_change_during_the_export_never_leaves_a_reference_to_a_missing_element(app, world):
    """The export reads one snapshot: a package removed and one added meanwhile do not break the file."""
    import uuid

    import pytest
    from sqlalchemy import create_engine, delete, insert
    from sqlalchemy.pool import NullPool

    from core.catalogue.models import Package
    from core.models import utcnow
    from tests.support.databases import backend

    if backend() != "postgres":
        pytest.skip("on SQLite a writer waits for the export's read transaction; run with SCG_TEST_DB=postgres")
    rc = make_rc("Zaakregistratiecomponent")
    for i in range(40):
        make_package(world.supplier, f"Pakket {i:02d}", rcs=[rc], versions=["1.0"], modules=["Basis"],
                     long_description="Tekst " * 200)
    last = make_package(world.supplier, "Z laatste", rcs=[rc], versions=["1.0"], modules=["Basis"])
    other = create_engine(db.engine.url, poolclass=NullPool)

    def change():
        with other.begin() as conn:
            conn.execute(delete(Package.__table__).where(Package.__table__.c.id == last.id))
            conn.execute(insert(Package.__table__).values(
                organisation_id=world.supplier.id, name="A nieuw", public_id=str(uuid.uuid4()), status="concept",
                takeover_pending=False, created_on=utcnow(), changed_on=utcnow()))

    out = _ChangesWhileWriting(change)
    archimate.write_offering(out, world.supplier, today=TODAY)
    other.dispose()
    assert out.change is None  # the change happened during the export
    data = out.getvalue()
    assert_valid(data)
    read_release(data)  # no dangling reference
    model = Parsed(data)
    names = {model.name(e) for e in model.of_type("Pakket")}
    assert "Z laatste" in names and "A nieuw" not in names and len(names) == 41


def test_the_number_of_queries_does_not_grow_with_the_offering(app, world):
    from sqlalchemy import event

    rcs = [make_rc(f"Component {i}") for i in range(5)]

    def queries_for_export() -> int:
        statements = []

        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            export(world.supplier)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    for i in range(3):
        make_package(world.supplier, f"Klein {i}", rcs=rcs[:2], versions=["1", "2"], modules=["m"])
    few = queries_for_export()
    for i in range(30):
        make_package(world.supplier, f"Groot {i}", rcs=rcs[i % 5:], versions=["1", "2", "3"], modules=["m", "n"])
    make_package(world.supplier, "Los")
    assert queries_for_export() == few + 1  # + the query for the packages without referentiecomponent


def test_every_referentiecomponent_is_written_with_the_identifier_it_has_in_the_release(app, world):
    # The identifiers as the shipped GEMMA file itself has them, read straight from the XML.
    root = etree.parse(str(RELEASE_PATH)).getroot()
    in_release = {gemma_files.object_id(root, e).lower(): e.get("identifier")
                  for e in gemma_files.concepts(root, "Referentiecomponent")}
    assert len(in_release) == 171
    odd = {oid: ident for oid, ident in in_release.items() if ident != f"id-{oid}"}
    assert len(odd) == 6  # e.g. BRO-beheercomponent: not "id-<Object ID>"
    import_file(RELEASE_PATH)
    rcs = db.session.query(Referentiecomponent).all()
    make_package(world.supplier, "Alles", rcs=rcs)
    make_package(world.supplier, "Een", rcs=[r for r in rcs if r.object_id in odd][:1])

    data, _ = export(world.supplier)
    assert_valid(data)
    model = Parsed(data)
    written = {model.prop(e, "Object ID"): e.get("identifier") for e in model.elements.values()
               if model.prop(e, "GEMMA type") == "Referentiecomponent"}
    assert written == in_release
    # Relationships and view nodes refer to the same identifiers (no dangling references).
    realised = {target for _source, target in model.rels("Realization")}
    assert realised == set(in_release.values())
    refs = {n.get("elementRef") for n in model.root.iter(f"{N}node") if n.get("elementRef")}
    assert set(odd.values()) <= refs <= set(model.elements)


def test_a_row_imported_before_identifiers_were_kept_gets_it_on_the_next_import(app, world):
    import_file(RELEASE_PATH)
    bro = db.session.query(Referentiecomponent).filter_by(name="BRO-beheercomponent").one()
    assert bro.element_identifier == "id-bb57b0c0f07a447c9170fbdd32f10167"
    db.session.query(Referentiecomponent).update({"element_identifier": None})
    db.session.commit()
    make_package(world.supplier, "Bro", rcs=[bro])
    model = Parsed(export(world.supplier)[0])
    assert model.by_object_id(bro.object_id).get("identifier") == f"id-{bro.object_id}"  # the fallback

    report = import_file(RELEASE_PATH)
    changed = report.kinds["referentiecomponenten"].changed
    assert len(changed) == 171 and {c.fields for c in changed} == {("element_identifier",)}
    assert "ArchiMate-identifier" in changed[0].fields_label
    db.session.expire_all()
    model = Parsed(export(world.supplier)[0])
    assert model.by_object_id(bro.object_id).get("identifier") == "id-bb57b0c0f07a447c9170fbdd32f10167"
    assert not import_file(RELEASE_PATH).has_changes


def test_the_export_writes_the_real_status_of_a_component_that_left_gemma_or_ends_support(app, world):
    current = make_rc("Zaakregistratiecomponent", "11111111-1111-4111-8111-111111111111")
    old = make_rc("Verouderde component", "22222222-2222-4222-8222-222222222222")
    old.gemma_status = "Einde ondersteuning"
    gone = make_rc("Oude component", "33333333-3333-4333-8333-333333333333")
    gone.in_release = False  # its last status in the release was "In gebruik"
    db.session.commit()
    make_package(world.supplier, "Zaaksuite", rcs=[current, old, gone])
    data, _ = export(world.supplier)
    assert_valid(data)
    model = Parsed(data)
    status = {model.name(model.by_object_id(rc.object_id)): model.prop(model.by_object_id(rc.object_id),
                                                                       "GEMMA status")
              for rc in (current, old, gone)}
    assert status == {"Zaakregistratiecomponent": "In gebruik", "Verouderde component": "Einde ondersteuning",
                      "Oude component": "Niet meer in GEMMA"}
    # The name stays GEMMA's own (so the file merges into the GEMMA model).
    assert model.name(model.by_object_id(gone.object_id)) == "Oude component"
