"""The streaming AMEFF writer on its own: escaping, validity, constant memory."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from lxml import etree

from core.archimate_writer import (
    Connection,
    Element,
    Node,
    Property,
    Relationship,
    View,
    clean,
    derived_identifier,
    safe_identifier,
    write_model,
)
from tests.f007_archimate.support import N, Parsed, assert_valid

EVIL = "<script>alert(1)</script> & \"q\" 'a' \x00\x01\x08\x0b\x0c\x1f\ud800\udfff\ufffe\uffff 🚀 \u202eRTL ﷽ =1+1"
EVIL_CLEAN = "<script>alert(1)</script> & \"q\" 'a'  🚀 \u202eRTL ﷽ =1+1"


def _write(**kwargs) -> bytes:
    out = io.BytesIO()
    write_model(out, **{"identifier": "id-model", "name": "Model", "elements": (), **kwargs})
    return out.getvalue()


def test_everything_a_person_typed_is_escaped_and_forbidden_characters_are_removed():
    data = _write(name=EVIL, documentation=EVIL, properties=[Property(EVIL, EVIL)],
                  elements=[Element("id-a", "ApplicationComponent", EVIL, EVIL, (Property("Naam", EVIL),))],
                  relationships=[Relationship("id-r", "Association", "id-a", "id-a", EVIL)],
                  views=[View("id-v", EVIL, [Node("id-n", 0, 0, 10, 10, label=EVIL)], documentation=EVIL)])
    assert_valid(data)
    assert b"<script>" not in data
    model = Parsed(data)
    element = model.elements["id-a"]
    assert model.name(element) == EVIL_CLEAN
    assert element.findtext(f"{N}documentation") == EVIL_CLEAN
    assert model.prop(element, "Naam") == EVIL_CLEAN
    assert set(model.props.values()) == {EVIL_CLEAN, "Naam"}
    assert model.root.findtext(f"{N}name") == EVIL_CLEAN
    assert model.views[0].find(f"{N}node").findtext(f"{N}label") == EVIL_CLEAN


def test_clean_keeps_tab_newline_and_everything_printable():
    assert clean("a\tb\nc\rd é ش 🚀") == "a\tb\nc\rd é ش 🚀"
    assert clean(None) == ""
    assert clean(12) == "12"


def test_identifiers_are_valid_xml_names_and_stable():
    assert safe_identifier("01c26b42-e047-4322-95ba-46d53a1696c0") == "id-01c26b42-e047-4322-95ba-46d53a1696c0"
    odd = safe_identifier("a b<c>&")
    assert odd.startswith("id-") and all(c.isalnum() or c == "-" for c in odd)
    assert odd == safe_identifier("a b<c>&")
    assert derived_identifier("x", 1) == derived_identifier("x", 1) != derived_identifier("x", 2)


def test_a_full_model_validates_and_properties_are_defined_once_in_order_of_use():
    elements = [Element("id-a", "BusinessActor", "Leverancier", properties=(Property("SWC type", "Leverancier"),)),
                Element("id-b", "ApplicationComponent", "Pakket",
                        properties=(Property("SWC type", "Pakket"), Property("Object ID", "b"),
                                    Property("Leeg", None), Property("Ook leeg", "")))]
    relationships = [Relationship("id-r", "Association", "id-a", "id-b", "levert")]
    view = View("id-v", "Aanbod", [Node("id-n1", 10, 10, 300, 200, "id-b", children=[
        Node("id-n2", 20, 50, 120, 55, "id-a")])], [Connection("id-c", "id-r", "id-n2", "id-n1")])
    data = _write(elements=elements, relationships=relationships, views=[view])
    assert_valid(data)
    model = Parsed(data)
    assert list(model.props.values()) == ["SWC type", "Object ID"]  # empty properties are left out
    assert model.props == {"propid-1": "SWC type", "propid-2": "Object ID"}


def test_unknown_types_are_refused():
    with pytest.raises(ValueError):
        _write(elements=[Element("id-a", "Application Component<", "x")])
    with pytest.raises(ValueError):
        _write(elements=[Element("id-a", "BusinessActor", "x")],
               relationships=[Relationship("id-r", "bad type", "id-a", "id-a")])


def test_the_writer_streams_with_constant_memory():
    """Ten times more elements must not take (much) more memory: nothing is kept per element."""

    def peak(count: int) -> int:
        def elements():
            for i in range(count):
                yield Element(f"id-e{i}", "ApplicationComponent", f"Pakket {i} " + "x" * 200,
                              "y" * 500, (Property("SWC type", "Pakket"), Property("Object ID", str(i))))

        def nodes():
            for i in range(count):
                yield Node(f"id-n{i}", i, i, 100, 50, f"id-e{i}")

        sink = _CountingSink()
        tracemalloc.start()
        write_model(sink, identifier="id-m", name="m", elements=elements(),
                    views=[View("id-v", "v", nodes())])
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert sink.size > count * 700
        return top

    small, large = peak(1_000), peak(10_000)
    assert large < small * 2 + 200_000, (small, large)


class _CountingSink(io.RawIOBase):
    """A binary file that only counts what is written."""

    def __init__(self):
        self.size = 0

    def writable(self):
        return True

    def write(self, b):
        self.size += len(b)
        return len(b)


def test_the_output_is_well_formed_utf8_with_declaration():
    data = _write(elements=[Element("id-a", "ApplicationComponent", "Zoë")])
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert etree.fromstring(data).findtext(f".//{N}name[@{{http://www.w3.org/XML/1998/namespace}}lang='nl']") == "Model"
