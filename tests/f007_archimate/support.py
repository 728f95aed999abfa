"""Helpers for the ArchiMate export tests: catalogue rows, the XSD and reading files back."""

from __future__ import annotations

import functools
import os
import uuid
from pathlib import Path

import pytest
from lxml import etree

from core.catalogue.models import Module, Package, Version
from core.extensions import db
from core.gemma.ameff import NS, XSI_TYPE
from core.gemma.models import Referentiecomponent

N = f"{{{NS}}}"
ROOT = Path(__file__).resolve().parents[2]


def xsd_folder() -> Path | None:
    """``shared/data/archimate-xsd`` beside the repository (or in a parent), or $ARCHIMATE_XSD_DIR."""
    candidates = [Path(os.environ["ARCHIMATE_XSD_DIR"])] if os.environ.get("ARCHIMATE_XSD_DIR") else []
    candidates += [parent / "shared" / "data" / "archimate-xsd" for parent in ROOT.parents]
    for folder in candidates:
        if (folder / "archimate3_Diagram.xsd").is_file():
            return folder
    return None


@functools.lru_cache(maxsize=1)
def _schema():
    folder = xsd_folder()
    # The schemas include and import each other by relative path: parse from the folder itself.
    return etree.XMLSchema(etree.parse(str(folder / "archimate3_Diagram.xsd")))


def assert_valid(data: bytes) -> None:
    if xsd_folder() is None:
        pytest.skip("The ArchiMate 3.1 schemas are absent: no shared/data/archimate-xsd/ beside the repository "
                    "(set ARCHIMATE_XSD_DIR to the folder with archimate3_Diagram.xsd)")
    schema = _schema()
    doc = etree.fromstring(data)
    assert schema.validate(doc), "\n".join(str(e) for e in schema.error_log)


def make_rc(name: str, object_id: str | None = None) -> Referentiecomponent:
    rc = Referentiecomponent(name=name, object_id=object_id or str(uuid.uuid4()), description=f"Over {name}",
                             gemma_status="In gebruik")
    db.session.add(rc)
    db.session.commit()
    return rc


def make_package(org, name: str, rcs=(), modules=(), versions=(), status: str = "gepubliceerd", **kwargs) -> Package:
    package = Package(organisation_id=org.id, name=name, status=status, **kwargs)
    package.referentiecomponenten = list(dict.fromkeys(rcs))
    db.session.add(package)
    db.session.flush()
    for module in modules:
        db.session.add(Module(organisation_id=org.id, package_id=package.id, name=module))
    for version in versions:
        db.session.add(Version(organisation_id=org.id, package_id=package.id, name=version, status="in_gebruik"))
    db.session.commit()
    return package


class Parsed:
    """An exported file, parsed: elements, relationships, properties by name, the view."""

    def __init__(self, data: bytes):
        self.root = etree.fromstring(data)
        self.props = {p.get("identifier"): p.findtext(f"{N}name") for p in self.root.iter(f"{N}propertyDefinition")}
        self.elements = {e.get("identifier"): e for e in self.root.iter(f"{N}element")}
        self.relationships = [r for r in self.root.iter(f"{N}relationship")]
        self.views = list(self.root.iter(f"{N}view"))

    def name(self, element) -> str:
        return element.findtext(f"{N}name")

    def prop(self, element, name: str) -> str | None:
        for prop in element.iterfind(f"{N}properties/{N}property"):
            if self.props.get(prop.get("propertyDefinitionRef")) == name:
                return prop.findtext(f"{N}value")
        return None

    def of_type(self, swc_type: str) -> list:
        return [e for e in self.elements.values() if self.prop(e, "SWC type") == swc_type]

    def by_object_id(self, object_id: str):
        return next((e for e in self.elements.values() if self.prop(e, "Object ID") == object_id), None)

    def rels(self, kind: str) -> set[tuple[str, str]]:
        return {(r.get("source"), r.get("target")) for r in self.relationships if r.get(XSI_TYPE) == kind}
