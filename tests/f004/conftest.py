"""Helpers for F004: packages, GEMMA concepts and the package form."""

from __future__ import annotations

import re
import uuid

from core.catalogue.models import Module, Package, Version
from core.extensions import db
from core.gemma.models import Referentiecomponent
from tests.support.actors import CSRF_RE, csrf_token

ORGANISATION_RE = re.compile(r'<select[^>]*id="organisation"[^>]*>\s*<option[^>]*value="(\d+)"')


def make_concept(name: str = "Zaakregistratiecomponent", in_release: bool = True) -> Referentiecomponent:
    rc = Referentiecomponent(object_id=f"id-{uuid.uuid4()}", name=name, in_release=in_release)
    db.session.add(rc)
    db.session.commit()
    return rc


def make_package(org, name: str = "Zaaksysteem", publishable: bool = False, **fields) -> Package:
    package = Package(organisation_id=org.id, name=name, **fields)
    if publishable:
        package.short_description = package.short_description or "Zaken voor gemeenten"
        package.cloud_models = package.cloud_models or "saas"
        package.licence_type = package.licence_type or "proprietary"
        package.referentiecomponenten = [make_concept(f"Component {uuid.uuid4().hex[:6]}")]
    db.session.add(package)
    db.session.commit()
    return package


def make_module(package, name: str = "Zaken") -> Module:
    row = Module(organisation_id=package.organisation_id, package_id=package.id, name=name)
    db.session.add(row)
    db.session.commit()
    return row


def make_version(package, name: str = "1.0", **fields) -> Version:
    row = Version(organisation_id=package.organisation_id, package_id=package.id, name=name, **fields)
    db.session.add(row)
    db.session.commit()
    return row


def package_form(client, path: str, **fields) -> dict:
    """A complete package form as the browser sends it (empty optional fields, the preselected organisation)."""
    html = client.get(path).get_data(as_text=True)
    data = {"csrf_token": CSRF_RE.search(html).group(1), "name": "Zaaksysteem", "short_description": "",
            "long_description": "", "website": "", "cloud_provider": "", "data_location": "", "licence_type": "",
            "licence_spdx": "", "demo_video_url": ""}
    chosen = ORGANISATION_RE.search(html)
    if chosen:  # a one-option dropdown is preselected by the browser
        data["organisation"] = chosen.group(1)
    data.update(fields)
    return data


def version_form(client, path: str, **fields) -> dict:
    data = {"csrf_token": csrf_token(client, path), "name": "1.0", "status": "in_ontwikkeling", "description": "",
            "start_development": "", "start_test": "", "start_distribution": "", "end_support": ""}
    data.update(fields)
    return data
