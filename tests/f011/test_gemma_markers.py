"""A referentiecomponent that left GEMMA or that GEMMA no longer supports is marked on every public page."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from core.extensions import db
from tests.f011.conftest import facet
from tests.f011.test_compare_and_shelves import compare, row

GONE = "Archiefcomponent (niet meer in GEMMA)"
OLD = "Zaakafhandelcomponent (einde ondersteuning)"


def text(page: str) -> str:
    """The page as a visitor reads it: tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", page)))


@pytest.fixture
def marked(shop):
    shop.zaak.gemma_status = "Einde ondersteuning"
    shop.archief.in_release = False
    db.session.commit()
    return shop


def test_the_public_package_page_marks_both(client, marked):
    page = client.get(f"/catalogus/pakketten/{marked.c.public_id}").get_data(as_text=True)
    section = text(page[page.index('id="kop-rc"'):page.index('id="kop-standaarden"')])
    assert GONE in section and OLD in section
    page = client.get(f"/catalogus/pakketten/{marked.a.public_id}").get_data(as_text=True)
    assert re.search(r'>Zaakafhandelcomponent</a>\s*<strong[^>]*>\(einde ondersteuning\)</strong>', page)


def test_a_component_in_use_has_no_marker(client, shop):
    page = client.get(f"/catalogus/pakketten/{shop.c.public_id}").get_data(as_text=True)
    section = text(page[page.index('id="kop-rc"'):page.index('id="kop-standaarden"')])
    assert "Archiefcomponent" in section and "Zaakafhandelcomponent" in section
    assert "niet meer in GEMMA" not in section and "einde ondersteuning" not in section


def test_the_catalogue_results_filters_and_comparison_mark_both(client, marked, world):
    page = client.get("/catalogus/").get_data(as_text=True)
    assert f"Referentiecomponenten: {OLD}, {GONE}" in text(page) or f"Referentiecomponenten: {GONE}, {OLD}" in text(
        page)
    assert set(facet(page, "rc")) == {OLD, GONE}
    page = compare(client, marked.a.public_id, marked.b.public_id)
    cells = text(row(page, "Referentiecomponenten"))
    assert OLD in cells and GONE in cells
    page = client.get(f"/leveranciers/{world.supplier.id}").get_data(as_text=True)
    assert OLD in text(page[page.index("<h2>Pakketten</h2>"):])


def test_the_gemma_pages_mark_a_component_gemma_no_longer_supports(client, marked):
    page = client.get("/gemma/referentiecomponenten/").get_data(as_text=True)
    assert OLD in text(page)
    page = client.get(f"/gemma/referentiecomponenten/{marked.archief.object_id}").get_data(as_text=True)
    assert re.search(r"<h1>Archiefcomponent <strong[^>]*>\(niet meer in GEMMA\)</strong></h1>", page)
