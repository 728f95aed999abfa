"""Helpers for F004 part 2 tests: packages, GEMMA standards, claims, documents, screenshots, uploads.

Import explicitly (``from tests.f004.conftest_extra import ...``); fixtures of the other F004
tests live in ``tests/f004/conftest.py``.
"""

from __future__ import annotations

import io
import uuid

from PIL import Image

from core.catalogue.models import Package, PackageDocument, Screenshot, StandardClaim, package_referentiecomponent
from core.extensions import db
from core.files import StoredFile
from core.gemma.models import Referentiecomponent, Standaard, StandaardVerplichting, Standaardversie
from tests.f002.conftest import image_bytes, pdf_bytes  # noqa: F401 - re-exported for the F004 tests
from tests.support.actors import csrf_token  # noqa: F401


def _oid() -> str:
    return str(uuid.uuid4())


def make_package(org, name: str = "Zaaksysteem", status: str = "gepubliceerd", **kwargs) -> Package:
    package = Package(organisation_id=org.id, name=name, status=status, **kwargs)
    db.session.add(package)
    db.session.commit()
    return package


def make_rc(name: str = "Zaakregistratiecomponent", in_release: bool = True) -> Referentiecomponent:
    rc = Referentiecomponent(object_id=_oid(), name=name, in_release=in_release)
    db.session.add(rc)
    db.session.commit()
    return rc


def make_standard(name: str, versions=("1.0",), in_release: bool = True) -> Standaard:
    standaard = Standaard(object_id=_oid(), name=name, in_release=in_release)
    db.session.add(standaard)
    db.session.flush()
    for version in versions:
        db.session.add(Standaardversie(object_id=_oid(), name=f"{name} {version}", standaard_id=standaard.id,
                                       in_release=in_release))
    db.session.commit()
    return standaard


def oblige(rc, standaard, kind: str = "verplicht", in_release: bool = True) -> None:
    db.session.add(StandaardVerplichting(referentiecomponent_id=rc.id, standaard_id=standaard.id, kind=kind,
                                         in_release=in_release))
    db.session.commit()


def classify(package, *rcs) -> None:
    for rc in rcs:
        db.session.execute(package_referentiecomponent.insert().values(package_id=package.id,
                                                                       referentiecomponent_id=rc.id))
    db.session.commit()


def version_of(standaard, index: int = 0) -> Standaardversie:
    return sorted(standaard.versies, key=lambda v: v.name)[index]


def make_claim(package, version, url: str = "https://bewijs.example/stuf", note: str | None = None) -> StandardClaim:
    claim = StandardClaim(organisation_id=package.organisation_id, package_id=package.id,
                          standaardversie_id=version.id, evidence_url=url, note=note)
    db.session.add(claim)
    db.session.commit()
    return claim


def make_stored(org_id: int, kind: str = "document", content_type: str = "application/pdf",
                public: bool = False) -> StoredFile:
    stored = StoredFile(token=uuid.uuid4().hex, organisation_id=org_id, kind=kind, content_type=content_type,
                        size=10, public=public, original_name=f"{kind}.pdf")
    db.session.add(stored)
    db.session.flush()
    return stored


def make_document(package, title: str = "Handleiding", kind: str = "handleiding", audience: str = "iedereen",
                  review_status: str | None = None, url: str | None = "https://docs.example/handleiding",
                  with_file: bool = False) -> PackageDocument:
    doc = PackageDocument(organisation_id=package.organisation_id, package_id=package.id, kind=kind, title=title,
                          url=url, audience=audience,
                          review_status=review_status or ("concept" if kind in ("verwerkersovereenkomst", "tpm",
                                                                                 "pentest", "dpia")
                                                          else "goedgekeurd"))
    if with_file:
        doc.file = make_stored(package.organisation_id)
    db.session.add(doc)
    db.session.commit()
    return doc


def make_screenshot(package, caption: str = "Overzicht", position: int = 0) -> Screenshot:
    shot = Screenshot(organisation_id=package.organisation_id, package_id=package.id, caption=caption,
                      position=position)
    shot.file = make_stored(package.organisation_id, kind="schermafbeelding", content_type="image/png", public=True)
    db.session.add(shot)
    db.session.commit()
    return shot


def bomb_png() -> bytes:
    """A small PNG file of 144 megapixels: a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")
    return out.getvalue()


def svg_bytes() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)
