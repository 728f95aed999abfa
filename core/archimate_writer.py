"""A streaming writer for ArchiMate 3.1 Model Exchange Files (AMEFF).

The writer takes the parts of a model as iterables (elements, relationships, views
with nested nodes) and writes them to a binary file as it goes, so memory stays
constant however large the model is: pass generators over database cursors.

Everything a person typed is escaped by ``xml.sax.saxutils.XMLGenerator`` (``&``,
``<``, ``>`` and quotes); characters that XML 1.0 forbids (control characters other
than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF) are
removed first, so any text yields a well-formed file. Properties are referenced by
name: the writer numbers the property definitions (``propid-N``) in order of first
use and writes them after the relationships, as the schema orders them.

The output validates against ``archimate3_Diagram.xsd`` (The Open Group ArchiMate 3.1
exchange schemas) when the caller gives valid identifiers (``safe_identifier``), an
ArchiMate element or relationship type, and nodes with positive sizes.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from dataclasses import dataclass, field
from typing import BinaryIO, Iterable
from xml.sax.saxutils import XMLGenerator

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

# Characters XML 1.0 does not allow (https://www.w3.org/TR/xml/#charsets).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NCNAME_TAIL = re.compile(r"^[A-Za-z0-9._-]+$")
_TYPE = re.compile(r"^[A-Z][A-Za-z]+$")
#: Namespace for identifiers derived from names (uuid5); never change it, identifiers must stay stable.
ID_NAMESPACE = uuid.UUID("5b1f6a52-3c1e-4f8e-9a55-6f0d2c7a4e10")


def clean(text) -> str:
    """``text`` as a string without the characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", "" if text is None else str(text))


def safe_identifier(value: str) -> str:
    """An xs:ID for ``value``: ``id-<value>`` when that is a valid name, else a stable hash of it.

    GEMMA's own files name a concept ``id-<Object ID>``, so a referentiecomponent keeps the
    identifier it has in the GEMMA release.
    """
    value = str(value)
    if _NCNAME_TAIL.match(value) and len(value) <= 200:
        return f"id-{value}"
    return "id-" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()


def derived_identifier(*parts) -> str:
    """A stable xs:ID derived from ``parts`` (the same parts give the same identifier in every export)."""
    return f"id-{uuid.uuid5(ID_NAMESPACE, '|'.join(str(p) for p in parts))}"


@dataclass(frozen=True)
class Property:
    name: str
    value: str | None


@dataclass(frozen=True)
class Element:
    identifier: str
    type: str  # ArchiMate element type, e.g. "ApplicationComponent"
    name: str
    documentation: str | None = None
    properties: tuple[Property, ...] = ()


@dataclass(frozen=True)
class Relationship:
    identifier: str
    type: str  # e.g. "Realization", "Composition", "Specialization", "Association"
    source: str
    target: str
    name: str | None = None
    properties: tuple[Property, ...] = ()


@dataclass(frozen=True)
class Node:
    """A box on a view: an element (``element_ref``) or a labelled container; may hold nodes."""

    identifier: str
    x: int
    y: int
    w: int
    h: int
    element_ref: str | None = None
    label: str | None = None  # for a container without element
    children: Iterable["Node"] = ()


@dataclass(frozen=True)
class Connection:
    identifier: str
    relationship_ref: str
    source: str  # node identifiers
    target: str


@dataclass(frozen=True)
class View:
    identifier: str
    name: str
    nodes: Iterable[Node]
    connections: Iterable[Connection] = ()
    documentation: str | None = None


@dataclass
class Stats:
    elements: int = 0
    relationships: int = 0
    views: int = 0
    nodes: int = 0
    connections: int = 0
    property_definitions: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, out: BinaryIO, lang: str, indent: str = "  "):
        self.text = io.TextIOWrapper(out, encoding="utf-8", errors="strict", newline="\n", write_through=True)
        self.gen = XMLGenerator(self.text, encoding="UTF-8", short_empty_elements=True)
        self.lang = lang
        self.indent = indent
        self.depth = 0
        self.props: dict[str, str] = {}
        self.stats = Stats()

    # --- low level ------------------------------------------------------------
    def _newline(self):
        self.gen.ignorableWhitespace("\n" + self.indent * self.depth)

    def start(self, tag: str, attrs: dict | None = None):
        self._newline()
        self.gen.startElement(tag, {k: clean(v) for k, v in (attrs or {}).items() if v is not None})
        self.depth += 1

    def end(self, tag: str, inline: bool = False):
        self.depth -= 1
        if not inline:
            self._newline()
        self.gen.endElement(tag)

    def leaf(self, tag: str, text, attrs: dict | None = None):
        self._newline()
        self.gen.startElement(tag, {k: clean(v) for k, v in (attrs or {}).items() if v is not None})
        self.gen.characters(clean(text))
        self.gen.endElement(tag)

    def lang_leaf(self, tag: str, text):
        self.leaf(tag, text, {"xml:lang": self.lang})

    def prop_ref(self, name: str) -> str:
        name = clean(name)
        if name not in self.props:
            self.props[name] = f"propid-{len(self.props) + 1}"
            self.stats.property_definitions.append(name)
        return self.props[name]

    def properties(self, props: Iterable[Property]):
        props = [p for p in props if p.value not in (None, "")]
        if not props:
            return
        self.start("properties")
        for prop in props:
            self.start("property", {"propertyDefinitionRef": self.prop_ref(prop.name)})
            self.lang_leaf("value", prop.value)
            self.end("property")
        self.end("properties")

    # --- parts ----------------------------------------------------------------
    def element(self, el: Element):
        if not _TYPE.match(el.type):
            raise ValueError(f"not an ArchiMate element type: {el.type!r}")
        self.start("element", {"identifier": el.identifier, "xsi:type": el.type})
        self.lang_leaf("name", el.name)
        if el.documentation:
            self.lang_leaf("documentation", el.documentation)
        self.properties(el.properties)
        self.end("element")
        self.stats.elements += 1

    def relationship(self, rel: Relationship):
        if not _TYPE.match(rel.type):
            raise ValueError(f"not an ArchiMate relationship type: {rel.type!r}")
        self.start("relationship", {"identifier": rel.identifier, "xsi:type": rel.type,
                                    "source": rel.source, "target": rel.target})
        if rel.name:
            self.lang_leaf("name", rel.name)
        self.properties(rel.properties)
        self.end("relationship")
        self.stats.relationships += 1

    def node(self, node: Node):
        attrs = {"identifier": node.identifier, "x": str(max(0, int(node.x))), "y": str(max(0, int(node.y))),
                 "w": str(max(1, int(node.w))), "h": str(max(1, int(node.h)))}
        if node.element_ref:
            attrs["xsi:type"] = "Element"
            attrs["elementRef"] = node.element_ref
        else:
            attrs["xsi:type"] = "Container"
        children = iter(node.children)
        first = next(children, None)
        self.start("node", attrs)
        if not node.element_ref:
            self.lang_leaf("label", node.label or "")
        if first is not None:
            self.node(first)
            for child in children:
                self.node(child)
        self.end("node", inline=first is None and bool(node.element_ref))
        self.stats.nodes += 1

    def view(self, view: View):
        self.start("view", {"identifier": view.identifier, "xsi:type": "Diagram"})
        self.lang_leaf("name", view.name)
        if view.documentation:
            self.lang_leaf("documentation", view.documentation)
        for node in view.nodes:
            self.node(node)
        for conn in view.connections:
            self.start("connection", {"identifier": conn.identifier, "xsi:type": "Relationship",
                                      "relationshipRef": conn.relationship_ref, "source": conn.source,
                                      "target": conn.target})
            self.end("connection", inline=True)
            self.stats.connections += 1
        self.end("view")
        self.stats.views += 1


def write_model(out: BinaryIO, *, identifier: str, name: str, elements: Iterable[Element],
                relationships: Iterable[Relationship] = (), views: Iterable[View] = (),
                documentation: str | None = None, properties: Iterable[Property] = (),
                lang: str = "nl") -> Stats:
    """Write one AMEFF model to the binary file ``out``, consuming the iterables once, in order."""
    w = _Writer(out, lang)
    w.gen.startDocument()
    w.gen.startElement("model", {"xmlns": NS, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA_LOCATION,
                                 "identifier": clean(identifier)})
    w.depth = 1
    w.lang_leaf("name", name)
    if documentation:
        w.lang_leaf("documentation", documentation)
    w.properties(properties)

    elements = iter(elements)
    first = next(elements, None)
    if first is not None:
        w.start("elements")
        w.element(first)
        for el in elements:
            w.element(el)
        w.end("elements")

    relationships = iter(relationships)
    first_rel = next(relationships, None)
    if first_rel is not None:
        w.start("relationships")
        w.relationship(first_rel)
        for rel in relationships:
            w.relationship(rel)
        w.end("relationships")

    if w.props:
        w.start("propertyDefinitions")
        for prop_name, ref in w.props.items():
            w.start("propertyDefinition", {"identifier": ref, "type": "string"})
            w.leaf("name", prop_name)
            w.end("propertyDefinition")
        w.end("propertyDefinitions")

    views = iter(views)
    first_view = next(views, None)
    if first_view is not None:
        w.start("views")
        w.start("diagrams")
        w.view(first_view)
        for view in views:
            w.view(view)
        w.end("diagrams")
        w.end("views")

    w.depth = 0
    w._newline()
    w.gen.endElement("model")
    w.gen.ignorableWhitespace("\n")
    w.gen.endDocument()
    w.text.flush()
    w.text.detach()  # leave ``out`` open for the caller
    return w.stats
