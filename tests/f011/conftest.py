"""A small catalogue for F011 tests, and helpers that read what a visitor sees in the HTML."""

from __future__ import annotations

import html as html_lib
import re
from types import SimpleNamespace

import pytest

from core.models import OrganisationStatus
from tests.f011 import factory as f
from tests.support.actors import make_org

RESULT_RE = re.compile(r'<h3><a href="/catalogus/pakketten/[^"]+">([^<]+)</a></h3>')
OPTION_RE = re.compile(r'name="(\w+)" value="([^"]*)"[^>]*>\s*([^<]+?) <span class="scg-meta">\((\d+)\)</span>')


def results(page: str) -> list[str]:
    """Package names in the result list, in order."""
    return [html_lib.unescape(name) for name in RESULT_RE.findall(page)]


def facet(page: str, name: str) -> dict[str, int]:
    """{label: count} of one facet's options as shown."""
    return {html_lib.unescape(label): int(count) for facet_name, _value, label, count in OPTION_RE.findall(page)
            if facet_name == name}


def checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)" checked', page)


@pytest.fixture
def shop(app, world):
    """Three public packages, two hidden ones, usage, services, standards and shelves."""
    zaak, archief = f.rc("Zaakafhandelcomponent"), f.rc("Archiefcomponent")
    zgw, stuf = f.standard("ZGW API's"), f.standard("StUF-ZKN", "3.10")
    a = f.package(world.supplier, "e-Suite", rcs=[zaak], standards=[zgw], cloud_models="saas",
                  licence_type="proprietary", short_description="Zaakgericht werken voor gemeenten")
    b = f.package(world.other_supplier, "Café Archief", rcs=[archief], standards=[stuf],
                  cloud_models="on_premises,hybride", licence_type="open_source", licence_spdx="EUPL-1.2",
                  long_description="Archiveren van **zaakdossiers** volgens de Archiefwet.")
    c = f.package(world.supplier, "Zaakwijzer Open", rcs=[zaak, archief], standards=[zgw, stuf],
                  cloud_models="saas", licence_type="open_source", licence_spdx="MIT")
    concept = f.package(world.supplier, "Geheim Concept", status="concept", rcs=[zaak], cloud_models="saas",
                        licence_type="proprietary")
    pending_org = make_org("Nieuw Aangemeld BV", status=OrganisationStatus.bevestigd.value)
    pending = f.package(pending_org, "Verborgen Pakket", rcs=[zaak], cloud_models="saas",
                        licence_type="proprietary")
    f.service(world.other_supplier, "technisch_beheer", [a], name="Hosting van e-Suite")
    f.service(world.supplier, "opleidingen", [c], name="Cursus Zaakwijzer")
    f.service(pending_org, "applicatiebeheer", [b], name="Dienst van onbekende")  # supplier not approved
    f.usage(world.gemeente, a)
    f.usage(world.other_gemeente, a, status="gepland")
    f.usage(world.gemeente, b)
    f.usage(world.other_gemeente, b, status="uitgefaseerd")  # no longer counts
    samenwerking = make_org("Samen Sterk", "samenwerking")
    f.usage(samenwerking, c)  # not a municipality: does not count
    return SimpleNamespace(zaak=zaak, archief=archief, zgw=zgw, stuf=stuf, a=a, b=b, c=c, concept=concept,
                           pending=pending, pending_org=pending_org)
