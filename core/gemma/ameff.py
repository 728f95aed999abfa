"""A streaming, safe reader for the GEMMA release as an ArchiMate 3.x Model Exchange File.

The file comes from outside, so the reader refuses anything that could hurt: a DOCTYPE
(and with it every entity declaration, external entity and entity-expansion bomb), files
over a size limit, empty files and anything that is not AMEFF. Properties are resolved by
the *name* of their property definition, never by ``propid-N`` (renumbered per release).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field, replace

from lxml import etree

from core.archimate_writer import is_identifier

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# GEMMA vocabulary (property names and values in the release).
P_OBJECT_ID = "Object ID"
P_TYPE = "GEMMA type"
P_STATUS = "GEMMA status"
P_ROLE = "Verbindingsrol"
T_REFERENTIECOMPONENT = "Referentiecomponent"
T_STANDAARD = "Standaard"
T_STANDAARDVERSIE = "Standaardversie"
KINDS = {"Verplicht": "verplicht", "Aanbevolen": "aanbevolen"}


class AmeffError(ValueError):
    """The file cannot be imported; ``str(error)`` is a Dutch message for the person."""


@dataclass(frozen=True)
class Concept:
    object_id: str
    name: str
    description: str | None
    status: str | None
    standaard_object_id: str | None = None  # only for a standaardversie
    # The element's identifier in the release (what an export writes so it merges into GEMMA's model).
    identifier: str | None = None


@dataclass
class Release:
    """What a GEMMA release contains, keyed by Object ID."""

    referentiecomponenten: dict[str, Concept] = field(default_factory=dict)
    standaarden: dict[str, Concept] = field(default_factory=dict)
    standaardversies: dict[str, Concept] = field(default_factory=dict)
    # (referentiecomponent Object ID, standaard Object ID) -> "verplicht" | "aanbevolen"
    verplichtingen: dict[tuple[str, str], str] = field(default_factory=dict)


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def _size(source) -> int:
    if isinstance(source, (bytes, bytearray)):
        return len(source)
    return os.path.getsize(source)


def _text_nl(parent, name: str) -> str | None:
    """The text of child ``name``: the Dutch one when languages are given, else the first."""
    nodes = parent.findall(_tag(name))
    for node in nodes:
        if node.get(XML_LANG, "").lower().startswith("nl"):
            return (node.text or "").strip()
    return (nodes[0].text or "").strip() if nodes else None


def _props(node) -> dict[str, str]:
    result = {}
    for prop in node.iterfind(f"{_tag('properties')}/{_tag('property')}"):
        value = _text_nl(prop, "value")
        result[prop.get("propertyDefinitionRef")] = value or ""
    return result


def read_release(source, max_bytes: int = DEFAULT_MAX_BYTES) -> Release:
    """Read ``source`` (a path or bytes) into a :class:`Release`; raise :class:`AmeffError`."""
    size = _size(source)
    if size == 0:
        raise AmeffError("Het bestand is leeg.")
    if size > max_bytes:
        raise AmeffError(f"Het bestand is te groot ({size // (1024 * 1024)} MB); "
                         f"de grens is {max_bytes // (1024 * 1024)} MB.")
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    parser = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                             huge_tree=False, load_dtd=False, dtd_validation=False, remove_comments=True,
                             remove_pis=True)
    reader = _ReleaseReader()
    try:
        for event, node in parser:
            if event == "start":
                reader.start(node)
            else:
                reader.end(node)
    except AmeffError:
        raise
    except etree.XMLSyntaxError as exc:
        if "entit" in str(exc).lower() or "doctype" in str(exc).lower():
            raise AmeffError(_DOCTYPE_REFUSED) from None
        raise AmeffError(f"Het bestand is geen geldige XML ({_line(exc)}).") from None
    except (etree.LxmlError, ValueError) as exc:
        raise AmeffError(f"Het bestand kon niet worden gelezen als XML: {exc}") from None
    reader.check_references()
    return _build(reader.elements, reader.relationships, reader.prop_names, reader.known_ids)


_DOCTYPE_REFUSED = "Het bestand bevat een DOCTYPE of entiteiten; dat is niet toegestaan in een GEMMA-release."


class _ReleaseReader:
    """Collects what a release needs from the parser's events, clearing nodes as it goes."""

    def __init__(self):
        self.elements: dict[str, tuple[str, str | None, str | None, dict]] = {}
        self.known_ids: set[str] = set()
        self.relationships: list[tuple[str, str | None, str | None, str | None, dict]] = []
        self.prop_names: dict[str, str] = {}
        # References from organizations (folders) and from views, checked once everything is read.
        self.folder_refs: list[str] = []
        self.other_refs: list[str] = []
        self.view_ids: set[str] = set()
        self.depth = 0

    def start(self, node) -> None:
        self.depth += 1
        if self.depth != 1:
            return
        if node.getroottree().docinfo.doctype or _has_entities(node):
            raise AmeffError(_DOCTYPE_REFUSED)
        if node.tag != _tag("model"):
            raise AmeffError("Dit is geen ArchiMate-uitwisselingsbestand (AMEFF): het hoofdelement "
                             "is geen ArchiMate-model.")

    def end(self, node) -> None:
        self.depth -= 1
        tag = node.tag
        if tag == _tag("element") and self.depth == 2:
            self._element(node)
        elif tag == _tag("relationship") and self.depth == 2:
            self._relationship(node)
        elif tag == _tag("propertyDefinition"):
            name = _text_nl(node, "name")
            if name:
                self.prop_names[node.get("identifier")] = name
            node.clear()
        elif tag == _tag("item") and node.get("identifierRef"):
            self.folder_refs.append(node.get("identifierRef"))
        elif tag in (_tag("node"), _tag("connection")):
            self.other_refs += [ref for ref in (node.get("elementRef"), node.get("relationshipRef")) if ref]
        elif tag == _tag("view"):
            if node.get("identifier"):
                self.view_ids.add(node.get("identifier"))
            node.clear()
        elif tag == _tag("organizations"):
            node.clear()

    def check_references(self) -> None:
        """Every folder item and view node refers to something in the file; raise AmeffError."""
        # A folder may also hold views (Archi's "Views" folder): those references are fine and ignored.
        for ref in self.folder_refs:
            if ref not in self.known_ids and ref not in self.view_ids:
                raise AmeffError(f"Een map verwijst naar een onbekend element of een onbekende view ({ref}).")
        for ref in self.other_refs:
            if ref not in self.known_ids:
                raise AmeffError(f"Een view verwijst naar een onbekend element ({ref}).")

    def _element(self, node) -> None:
        identifier = node.get("identifier")
        if identifier:
            self.known_ids.add(identifier)
        kind = node.get(XSI_TYPE)
        if kind in ("ApplicationComponent", "Constraint"):
            self.elements[identifier] = (kind, _text_nl(node, "name"), _text_nl(node, "documentation"),
                                         _props(node))
        node.clear()

    def _relationship(self, node) -> None:
        identifier = node.get("identifier")
        if identifier:
            self.known_ids.add(identifier)
        kind = node.get(XSI_TYPE)
        self.relationships.append((kind, node.get("source"), node.get("target"), identifier,
                                   _props(node) if kind == "Realization" else {}))
        node.clear()


def _has_entities(root) -> bool:
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    return dtd is not None


def _line(exc) -> str:
    line = getattr(exc, "lineno", None)
    return f"regel {line}" if line else "onleesbaar"


def _build(elements, relationships, prop_names, known_ids) -> Release:
    if not prop_names or P_OBJECT_ID not in prop_names.values() or P_TYPE not in prop_names.values():
        raise AmeffError("Dit is geen GEMMA-release: de eigenschappen 'Object ID' en 'GEMMA type' ontbreken.")

    def named(props: dict) -> dict[str, str]:
        return {prop_names[ref]: value for ref, value in props.items() if ref in prop_names}

    release = Release()
    by_identifier = _concepts(release, elements, named)
    for _kind, source, target, identifier, _props_raw in relationships:
        for end in (source, target):
            if not end or end not in known_ids:
                raise AmeffError(f"Relatie {identifier or '(zonder identifier)'} verwijst naar een onbekend "
                                 f"element ({end or 'leeg'}).")
    versie_parent = _relations(release, relationships, by_identifier, named)
    for object_id, parent in versie_parent.items():
        concept = release.standaardversies[object_id]
        release.standaardversies[object_id] = replace(concept, standaard_object_id=parent)
    return release


def _concepts(release: Release, elements, named) -> dict[str, tuple[str, Concept]]:
    """Fill the release's referentiecomponenten, standaarden and versies; map identifiers to them."""
    by_identifier: dict[str, tuple[str, Concept]] = {}
    for identifier, (kind, name, description, raw) in elements.items():
        props = named(raw)
        gemma_type = props.get(P_TYPE)
        target = {("ApplicationComponent", T_REFERENTIECOMPONENT): release.referentiecomponenten,
                  ("Constraint", T_STANDAARD): release.standaarden,
                  ("Constraint", T_STANDAARDVERSIE): release.standaardversies}.get((kind, gemma_type))
        if target is None:
            continue
        object_id = (props.get(P_OBJECT_ID) or "").strip().lower()
        if not object_id:
            raise AmeffError(f"{gemma_type} '{name}' heeft geen Object ID.")
        if object_id in target:
            raise AmeffError(f"Object ID {object_id} komt twee keer voor ({gemma_type}).")
        if not name:
            raise AmeffError(f"{gemma_type} met Object ID {object_id} heeft geen naam.")
        concept = Concept(object_id, name, description or None, props.get(P_STATUS) or None,
                          identifier=identifier if is_identifier(identifier) else None)
        target[object_id] = concept
        by_identifier[identifier] = (gemma_type, concept)
    return by_identifier


def _relations(release: Release, relationships, by_identifier, named) -> dict[str, str]:
    """Record the obligations (Realization) and return standaardversie -> standaard (Specialization)."""
    versie_parent: dict[str, str] = {}
    for kind, source, target, _identifier, raw in relationships:
        src, tgt = by_identifier.get(source), by_identifier.get(target)
        if src is None or tgt is None:
            continue
        if kind == "Specialization":
            pair = {src[0]: src[1], tgt[0]: tgt[1]}
            if T_STANDAARD in pair and T_STANDAARDVERSIE in pair:
                versie_parent[pair[T_STANDAARDVERSIE].object_id] = pair[T_STANDAARD].object_id
        elif kind == "Realization" and src[0] == T_REFERENTIECOMPONENT and tgt[0] == T_STANDAARD:
            obligation = KINDS.get(named(raw).get(P_ROLE, ""))
            if obligation is None:
                continue
            key = (src[1].object_id, tgt[1].object_id)
            # When both occur, the stronger obligation wins.
            if release.verplichtingen.get(key) != "verplicht":
                release.verplichtingen[key] = obligation
    return versie_parent
