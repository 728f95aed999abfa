"""GEMMA test files: the shipped release, a modified copy and hostile files."""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from core.builtin.gemma import RELEASE_PATH
from core.gemma.ameff import NS, XSI_TYPE

N = f"{{{NS}}}"




def _prop_names(root) -> dict[str, str]:
    return {p.get("identifier"): p.findtext(f"{N}name") for p in root.iter(f"{N}propertyDefinition")}


_NAMES: dict = {}


def _prop(root, element, name: str):
    names = _NAMES.get(root)
    if names is None:
        names = _NAMES[root] = _prop_names(root)
    for prop in element.iterfind(f"{N}properties/{N}property"):
        if names.get(prop.get("propertyDefinitionRef")) == name:
            return prop.find(f"{N}value")
    return None


def concepts(root, gemma_type: str) -> list:
    return [e for e in root.iter(f"{N}element") if (v := _prop(root, e, "GEMMA type")) is not None
            and v.text == gemma_type]


def object_id(root, element) -> str:
    return _prop(root, element, "Object ID").text


def modified_release(target: Path) -> dict:
    """Write a modified copy of the release; return what was changed (Object IDs and names)."""
    tree = etree.parse(str(RELEASE_PATH))
    root = tree.getroot()
    rcs = sorted(concepts(root, "Referentiecomponent"), key=lambda e: e.findtext(f"{N}name"))
    relationships = root.find(f"{N}relationships")
    links = {}
    for rel in relationships:
        links.setdefault(rel.get("source"), []).append(rel)

    def obligations(element):
        return [r for r in links.get(element.get("identifier"), []) if r.get(XSI_TYPE) == "Realization"
                and _prop(root, r, "Verbindingsrol") is not None]

    # Rename a referentiecomponent that has obligations.
    renamed = next(e for e in rcs if obligations(e))
    old_name = renamed.findtext(f"{N}name")
    renamed.find(f"{N}name").text = old_name + " (hernoemd)"
    # Remove another one, together with the relationships that point at it.
    removed = next(e for e in rcs[1:] if obligations(e) and e is not renamed)
    removed_id = removed.get("identifier")
    for rel in list(relationships):
        if removed_id in (rel.get("source"), rel.get("target")):
            relationships.remove(rel)
    removed_oid = object_id(root, removed)
    removed.getparent().remove(removed)
    # Add a new one (a copy with a new identity).
    added = copy.deepcopy(rcs[-1])
    added.set("identifier", "id-00000000-0000-4000-8000-000000000001")
    added.find(f"{N}name").text = "Testcomponent nieuw"
    _prop(root, added, "Object ID").text = "00000000-0000-4000-8000-000000000001"
    rcs[-1].addnext(added)
    # Change a property: the status of a standard.
    standaard = next(e for e in concepts(root, "Standaard") if _prop(root, e, "GEMMA status").text == "In gebruik")
    _prop(root, standaard, "GEMMA status").text = "Einde ondersteuning"
    result = {"renamed": object_id(root, renamed), "old_name": old_name, "new_name": old_name + " (hernoemd)",
              "removed": removed_oid, "added": "00000000-0000-4000-8000-000000000001",
              "standaard": object_id(root, standaard)}
    # Property definitions are renumbered between releases: the reader must go by name.
    _NAMES.pop(root, None)
    for node in root.iter(f"{N}propertyDefinition"):
        node.set("identifier", node.get("identifier").replace("propid-", "propid-9"))
    for node in root.iter(f"{N}property"):
        node.set("propertyDefinitionRef", node.get("propertyDefinitionRef").replace("propid-", "propid-9"))
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    return result


def dangling_release() -> bytes:
    tree = etree.parse(str(RELEASE_PATH))
    rel = tree.getroot().find(f"{N}relationships")[0]
    rel.set("target", "id-bestaat-niet")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


_LOL = "".join(f' <!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">\n' for i in range(1, 10))
BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE model [\n <!ENTITY lol0 "lol">\n' + _LOL.encode()
                  + b']>\n<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&lol9;</name></model>\n')

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE model [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&xxe;</name></model>
"""

NOT_AMEFF = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Nieuws</title></channel></rss>"""

# name -> (file content, a part of the Dutch message)
HOSTILE = {
    "geen-xml": (b"Dit is gewoon tekst, geen XML.\n", "geen geldige XML"),
    "geen-ameff": (NOT_AMEFF, "geen ArchiMate-uitwisselingsbestand"),
    "externe-entiteit": (EXTERNAL_ENTITY, "DOCTYPE of entiteiten"),
    "billion-laughs": (BILLION_LAUGHS, "DOCTYPE of entiteiten"),
    "leeg": (b"", "leeg"),
}


# A small release as Archi exports it with its folders ("organizations"), the "Views" folder included:
# the items of that folder refer to views, not to elements. ``{view_ref}`` is the Views folder's reference.
ARCHI_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xsi:schemaLocation="http://www.opengroup.org/xsd/archimate/3.0/ http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
       identifier="id-4c1b0f1e6a3a4a8f9d2e7b5c3a1f0e9d">
  <name xml:lang="nl">GEMMA uit Archi</name>
  <elements>
    <element identifier="id-5a0c3e2f1b6d4e7a8c9b0d1e2f3a4b5c" xsi:type="ApplicationComponent">
      <name xml:lang="nl">Zaakregistratiecomponent</name>
      <properties>
        <property propertyDefinitionRef="propid-1">
          <value xml:lang="nl">aaaaaaaa-1111-4000-8000-000000000001</value></property>
        <property propertyDefinitionRef="propid-2">
          <value xml:lang="nl">Referentiecomponent</value></property>
        <property propertyDefinitionRef="propid-3">
          <value xml:lang="nl">In gebruik</value></property>
      </properties>
    </element>
    <element identifier="id-aaaaaaaa-1111-4000-8000-000000000002" xsi:type="Constraint">
      <name xml:lang="nl">StUF</name>
      <properties>
        <property propertyDefinitionRef="propid-1">
          <value xml:lang="nl">aaaaaaaa-1111-4000-8000-000000000002</value></property>
        <property propertyDefinitionRef="propid-2">
          <value xml:lang="nl">Standaard</value></property>
      </properties>
    </element>
  </elements>
  <relationships>
    <relationship identifier="id-7d6c5b4a39284f1e8d7c6b5a49382716" source="id-5a0c3e2f1b6d4e7a8c9b0d1e2f3a4b5c"
                  target="id-aaaaaaaa-1111-4000-8000-000000000002" xsi:type="Realization">
      <properties>
        <property propertyDefinitionRef="propid-4">
          <value xml:lang="nl">Verplicht</value></property>
      </properties>
    </relationship>
  </relationships>
  <organizations>
    <item>
      <label xml:lang="nl">Application</label>
      <item identifierRef="id-5a0c3e2f1b6d4e7a8c9b0d1e2f3a4b5c"/>
    </item>
    <item>
      <label xml:lang="nl">Other</label>
      <item identifierRef="id-aaaaaaaa-1111-4000-8000-000000000002"/>
    </item>
    <item>
      <label xml:lang="nl">Relations</label>
      <item identifierRef="id-7d6c5b4a39284f1e8d7c6b5a49382716"/>
    </item>
    <item>
      <label xml:lang="nl">Views</label>
      <item>
        <label xml:lang="nl">Plateau</label>
        <item identifierRef="{view_ref}"/>
      </item>
    </item>
  </organizations>
  <propertyDefinitions>
    <propertyDefinition identifier="propid-1" type="string">
      <name xml:lang="nl">Object ID</name></propertyDefinition>
    <propertyDefinition identifier="propid-2" type="string">
      <name xml:lang="nl">GEMMA type</name></propertyDefinition>
    <propertyDefinition identifier="propid-3" type="string">
      <name xml:lang="nl">GEMMA status</name></propertyDefinition>
    <propertyDefinition identifier="propid-4" type="string">
      <name xml:lang="nl">Verbindingsrol</name></propertyDefinition>
  </propertyDefinitions>
  <views>
    <diagrams>
      <view identifier="id-9f8e7d6c5b4a43928170f6e5d4c3b2a1" xsi:type="Diagram">
        <name xml:lang="nl">Referentiecomponenten en standaarden</name>
        <node identifier="id-0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5" elementRef="id-5a0c3e2f1b6d4e7a8c9b0d1e2f3a4b5c"
              xsi:type="Element" x="24" y="24" w="120" h="55"/>
        <node identifier="id-1b2c3d4e5f6a47b8c9d0e1f2a3b4c5d6" elementRef="id-aaaaaaaa-1111-4000-8000-000000000002"
              xsi:type="Element" x="240" y="24" w="120" h="55"/>
        <connection identifier="id-2c3d4e5f6a7b48c9d0e1f2a3b4c5d6e7"
                    relationshipRef="id-7d6c5b4a39284f1e8d7c6b5a49382716"
                    xsi:type="Relationship" source="id-0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5"
                    target="id-1b2c3d4e5f6a47b8c9d0e1f2a3b4c5d6"/>
      </view>
    </diagrams>
  </views>
</model>
"""
ARCHI_VIEW = "id-9f8e7d6c5b4a43928170f6e5d4c3b2a1"


def archi_export(view_ref: str = ARCHI_VIEW) -> bytes:
    return ARCHI_EXPORT.format(view_ref=view_ref).encode()
