"""Builders for the F004 tests: packages, GEMMA standards, claims, documents, screenshots, uploads, and the
tenancy-matrix specs of claims, documents and screenshots.

Import explicitly (``from tests.f004.support import ...``); fixtures of the other F004
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


# --- the tenancy matrix specs of claims, documents and screenshots -------------------------------
# (test_claims_tenancy.py, test_documents_tenancy.py and test_screenshots_tenancy.py run them)
# Standard claims, documents and screenshots belong to the supplier of their package. The
# Aanbod-beheerder manages its own, the VNG-raadpleger reads all, the Functioneel beheerder
# manages all; municipalities, visitors and users without organisation see none of it here
# (the public side serves documents and screenshots through their own routes). The related
# object is the package: a row can never point at (or be added for) another supplier's package.

from tests.support import tenancy_matrix as tm  # noqa: E402


def _package(org, name=None) -> Package:
    package = Package(organisation_id=org.id, name=name or f"Pakket van {org.name}", status="gepubliceerd")
    db.session.add(package)
    db.session.flush()
    return package


def _version() -> Standaardversie:
    standaard = Standaard(object_id=str(uuid.uuid4()), name="Standaard " + uuid.uuid4().hex[:6])
    db.session.add(standaard)
    db.session.flush()
    version = Standaardversie(object_id=str(uuid.uuid4()), name=f"{standaard.name} 1.0", standaard_id=standaard.id)
    db.session.add(version)
    db.session.flush()
    return version


def related_package(org, marker):
    return _package(org, marker)


def claim_row(org, marker):
    package, version = _package(org), _version()
    row = StandardClaim(organisation_id=org.id, package_id=package.id, standaardversie_id=version.id,
                        evidence_url="https://bewijs.example/claim", note=marker)
    db.session.add(row)
    return row


def _claim_add(org, marker, as_json=False):
    package, version = _package(org), _version()
    db.session.commit()
    ids = (package.id, version.id) if as_json else (str(package.id), str(version.id))
    return {"package": ids[0], "standaardversie": ids[1], "evidence_url": "https://bewijs.example/nieuw",
            "note": marker}


def document_row(org, marker):
    package = _package(org)
    row = PackageDocument(organisation_id=org.id, package_id=package.id, kind="handleiding", title=marker,
                          url="https://docs.example/handleiding", audience="iedereen", review_status="goedgekeurd")
    db.session.add(row)
    return row


def _document_add(org, marker, as_json=False):
    package = _package(org)
    db.session.commit()
    return {"package": package.id if as_json else str(package.id), "kind": "casestudy", "title": marker,
            "url": "https://docs.example/casestudy", "audience": "iedereen"}


def screenshot_row(org, marker):
    package = _package(org)
    stored = StoredFile(token=uuid.uuid4().hex, organisation_id=org.id, kind="schermafbeelding",
                        content_type="image/png", size=10, public=True)
    db.session.add(stored)
    db.session.flush()
    row = Screenshot(organisation_id=org.id, package_id=package.id, file_id=stored.id, caption=marker, position=0)
    db.session.add(row)
    return row


def _screenshot_add(org, marker):
    package = _package(org)
    db.session.commit()
    return {"package": str(package.id), "caption": marker, "upload": (io.BytesIO(image_bytes("PNG", (40, 30))),
                                                                      "scherm.png")}


SUPPLIER_DATA = {
    tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN, delete=tm.OWN, add=tm.OWN),
    tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
    tm.FUNCTIONEEL_BEHEERDER: tm.Rights.everything(),
}
PACKAGE = tm.Related(make=related_package, field="package", api_field="package")

CLAIMS = tm.TenancySpec(
    name="standaardclaims",
    model=StandardClaim,
    view="/standaardclaims",
    api="/api/v1/standaardclaims",
    marker_field="note",
    make_row=claim_row,
    edit_form=lambda row: {"package": str(row.package_id), "standaardversie": str(row.standaardversie_id),
                           "evidence_url": "https://bewijs.example/gewijzigd"},
    api_edit=lambda row: {"package": row.package_id, "standaardversie": row.standaardversie_id,
                          "evidence_url": "https://bewijs.example/gewijzigd"},
    add_form=lambda org, marker: _claim_add(org, marker),
    api_add=lambda org, marker: _claim_add(org, marker, as_json=True),
    owner_types=("leverancier",),
    rights=SUPPLIER_DATA,
    related=PACKAGE,
    watch=(StoredFile, Package),
)

DOCUMENTS = tm.TenancySpec(
    name="pakketdocumenten",
    model=PackageDocument,
    view="/pakketdocumenten",
    api="/api/v1/pakketdocumenten",
    marker_field="title",
    make_row=document_row,
    edit_form=lambda row: {"package": str(row.package_id), "kind": "handleiding", "audience": "iedereen",
                           "url": "https://docs.example/handleiding"},
    api_edit=lambda row: {"package": row.package_id, "kind": "handleiding", "audience": "iedereen",
                          "url": "https://docs.example/handleiding"},
    add_form=lambda org, marker: _document_add(org, marker),
    api_add=lambda org, marker: _document_add(org, marker, as_json=True),
    owner_types=("leverancier",),
    rights=SUPPLIER_DATA,
    related=PACKAGE,
    watch=(StoredFile, Package),
)

SCREENSHOTS = tm.TenancySpec(
    name="schermafbeeldingen",
    model=Screenshot,
    view="/schermafbeeldingen",
    api="/api/v1/schermafbeeldingen",
    marker_field="caption",
    make_row=screenshot_row,
    edit_form=lambda row: {"package": str(row.package_id), "position": "1"},
    add_form=lambda org, marker: _screenshot_add(org, marker),
    owner_types=("leverancier",),
    rights=SUPPLIER_DATA,
    related=tm.Related(make=related_package, field="package"),
    watch=(StoredFile, Package),
)

