"""The project's one form and list pattern, on FAB's add/edit and list pages (core/templates/appbuilder).

Forms (GOV.UK / NL Design System): an error summary at the top whose items link to the
fields, each error once above its field, hints grey, ``novalidate``, and a file that a
rejected form lost is asked for again. Lists: the name opens the record, Dutch buttons,
dates as dd-mm-jjjj uu:mm, "–" for nothing, and an empty state that says what to do next.
"""

from __future__ import annotations

import io
import re

import pytest

from core.contacts import ContactPerson
from core.extensions import db
from core.models import utcnow
from tests.f002.conftest import pdf_bytes
from tests.support.actors import csrf_token, login


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _rejected_certification(client, world):
    data = {"csrf_token": csrf_token(client, "/certificeringen/add"), "organisation": str(world.supplier.id),
            "kind": "iso27001", "other_name": "", "issuer": "", "valid_until": "2030-12-31", "evidence_url": "",
            "evidence_upload": (io.BytesIO(pdf_bytes()), "certificaat.pdf")}
    resp = client.post("/certificeringen/add", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_a_rejected_form_has_one_summary_linking_to_the_fields_and_each_error_once_above_its_field(supplier, world):
    page = _rejected_certification(supplier, world)
    summary = re.search(r'<div class="alert alert-danger scg-error-summary".*?</div>', page, re.S).group(0)
    assert "Niet alle gegevens zijn goed ingevuld" in summary
    assert re.search(r'<a href="#issuer"[^>]*>Uitgegeven door: Vul in wie het certificaat heeft uitgegeven\.</a>',
                     summary)
    assert page.count("scg-error-summary") == 1
    # The error once at the field (and once in the summary), above the input, tied to it.
    assert page.count("Vul in wie het certificaat heeft uitgegeven.") == 2
    error_at = page.index('id="issuer-err"')
    field = re.search(r'<input[^>]*id="issuer"[^>]*>', page).group(0)
    assert error_at < page.index(field) and 'aria-invalid="true"' in field and 'aria-describedby="issuer-err"' in field
    # The form lets the server speak Dutch: no browser bubbles.
    assert re.search(r'<form[^>]*novalidate', page)
    # No FAB "Back" into the browser history, Dutch save button.
    assert ">Opslaan</button>" in page and "UtilView" not in page and "/back" not in page


def test_a_rejected_form_asks_for_the_file_again_instead_of_losing_it_silently(supplier, world):
    page = _rejected_certification(supplier, world)
    assert "Kies het bestand opnieuw." in page
    assert re.search(r'<a href="#evidence_upload"[^>]*>Bewijs \(PDF, maximaal 10 MB\): kies het bestand opnieuw\.</a>',
                     page)
    field = re.search(r'<input[^>]*id="evidence_upload"[^>]*>', page).group(0)
    assert "evidence_upload-err" in field
    # Its hint stays a hint: grey, not part of the error.
    assert ('<p class="scg-hint" style="color:#595959" id="evidence_upload-hint">'
            'Of vul bij Bewijs (webadres) een webadres in.</p>') in page


def test_a_form_without_errors_has_no_summary_and_no_file_message(supplier):
    page = supplier.get("/certificeringen/add").get_data(as_text=True)
    assert "scg-error-summary" not in page and "Kies het bestand opnieuw" not in page
    # FAB's English date picker is the browser's own date input.
    field = re.search(r'<input[^>]*id="valid_until"[^>]*>', page).group(0)
    assert 'type="date"' in field and 'data-provide="datepicker"' not in page


def test_an_optional_choice_of_a_fab_form_says_kies_not_none(supplier):
    page = supplier.get("/diensten/add").get_data(as_text=True)
    assert '<option selected value="__None">– kies –</option>' in page


def test_an_empty_list_says_what_to_do_next(supplier):
    page = supplier.get("/contactpersonen/list/").get_data(as_text=True)
    assert 'Nog geen contactpersonen — <a href="/contactpersonen/add">Contactpersoon toevoegen</a>' in page
    assert "Geen record gevonden" not in page and "Nog niets toegevoegd" not in page


def test_a_list_opens_a_record_by_its_name_with_dutch_buttons_and_values(supplier, world):
    person = ContactPerson(organisation_id=world.supplier.id, name="Els de Boer", role=None,
                           email="els@ictsolutions.example")
    db.session.add(person)
    db.session.commit()
    page = supplier.get("/contactpersonen/list/").get_data(as_text=True)
    assert f'<a href="/contactpersonen/show/{person.id}">Els de Boer</a>' in page
    assert (f'href="/contactpersonen/edit/{person.id}" class="btn btn-sm btn-default" '
            'aria-label="Wijzigen Els de Boer">Wijzigen</a>') in page
    assert 'aria-label="Verwijderen Els de Boer">Verwijderen</a>' in page
    assert page.count(f"/contactpersonen/show/{person.id}") == 1  # the name, no magnifier icon beside it
    assert ">Contactpersoon toevoegen</a>" in page and "Aantal: 1" in page


def test_the_value_filter_shows_dates_the_dutch_way_and_a_dash_for_nothing():
    import datetime as dt

    from core.formatting import shown

    assert shown(dt.datetime(2026, 11, 28, 15, 35)) == "28-11-2026 16:35"  # stored UTC, shown in Amsterdam
    assert shown(dt.date(2026, 3, 1)) == "01-03-2026"
    assert shown(None) == "–" and shown("") == "–"
    assert shown(True) == "Ja" and shown(False) == "Nee" and shown(0) == 0 and shown("x") == "x"
    assert shown(utcnow()) != "–"
