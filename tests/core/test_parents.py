"""core.parents: a save returns to the parent page, not to FAB's page history or the home page."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.formatting import sentence
from core.models import Organisation
from core.parents import local_path
from tests.support.actors import csrf_token, login


@pytest.mark.parametrize("value, expected", [
    ("/pakketstandaarden/3", "/pakketstandaarden/3"),
    ("/pakketten/show/3?x=1#ModuleView", "/pakketten/show/3?x=1#ModuleView"),
    ("https://evil.example/", None),
    ("//evil.example/", None),
    ("/\\evil.example", None),
    ("javascript:alert(1)", None),
    ("pakketten", None),
    ("/a\nb", None),
    ("", None),
    (None, None),
])
def test_only_a_local_path_is_a_place_to_return_to(value, expected):
    assert local_path(value) == expected


def test_a_name_that_ends_in_a_full_stop_gets_no_second_one():
    assert sentence("De contactpersoon is toegevoegd aan Zaakwijs B.V..") == \
        "De contactpersoon is toegevoegd aan Zaakwijs B.V."
    assert sentence("De module is toegevoegd aan Zaakwijs.") == "De module is toegevoegd aan Zaakwijs."
    assert sentence("Even geduld...") == "Even geduld..."


@pytest.fixture
def manager(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _edit_organisation(client, org_id, query="", token_from=None, **fields):
    path = f"/organisaties/edit/{org_id}"
    data = {"csrf_token": csrf_token(client, token_from or path), "name": "Zaakwijs B.V.", "website": "", "email": "",
            "phone": "", "description": ""}
    data.update(fields)
    return client.post(path + query, data=data)


def test_a_form_opened_directly_returns_to_its_own_page_with_a_specific_message(manager, world):
    # no page was seen before the form (FAB would go to "/")
    resp = _edit_organisation(manager, world.supplier.id)
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/organisaties/show/{world.supplier.id}")
    page = manager.get(resp.headers["Location"]).get_data(as_text=True)
    assert "De gegevens van Zaakwijs B.V. zijn opgeslagen." in page
    assert "B.V.." not in page


def test_an_unrelated_page_seen_before_does_not_change_where_a_save_goes(manager, world):
    manager.get("/catalogus/")
    manager.get("/pakketten/list/")
    resp = _edit_organisation(manager, world.supplier.id)
    assert resp.headers["Location"].endswith(f"/organisaties/show/{world.supplier.id}")


def test_a_local_next_is_honoured_and_another_site_is_not(manager, world):
    resp = _edit_organisation(manager, world.supplier.id, query="?next=/pakketten/list/")
    assert resp.headers["Location"].endswith("/pakketten/list/")
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        resp = _edit_organisation(manager, world.supplier.id, query=f"?next={evil}")
        assert resp.status_code == 302
        assert "evil" not in resp.headers["Location"]
        assert resp.headers["Location"].endswith(f"/organisaties/show/{world.supplier.id}")


def test_the_form_has_an_annuleren_link_to_the_parent_and_no_history_back(manager, world):
    page = manager.get(f"/organisaties/edit/{world.supplier.id}").get_data(as_text=True)
    assert f'href="/organisaties/show/{world.supplier.id}">Annuleren</a>' in page
    assert "/back" not in page
    page = manager.get(f"/organisaties/edit/{world.supplier.id}?next=https://evil.example/").get_data(as_text=True)
    assert "evil.example\">Annuleren" not in page and f'href="/organisaties/show/{world.supplier.id}">Annuleren' in page


def test_a_refused_save_returns_to_the_page_and_changes_nothing(manager, world):
    resp = _edit_organisation(manager, world.other_supplier.id, name="Gekaapt BV",
                              token_from=f"/organisaties/edit/{world.supplier.id}")
    assert resp.status_code in (302, 404)
    if resp.status_code == 302:
        assert "evil" not in resp.headers["Location"] and resp.headers["Location"] != "/"
    db.session.expire_all()
    assert db.session.get(Organisation, world.other_supplier.id).name != "Gekaapt BV"


def test_a_delete_returns_to_the_list(app, world):
    fb = app.test_client()
    login(fb, world.users["fb"])
    org = Organisation(name="Weg B.V.", type="leverancier", status="goedgekeurd")
    db.session.add(org)
    db.session.commit()
    resp = fb.post(f"/organisaties/delete/{org.id}", data={"csrf_token": csrf_token(fb, "/organisaties/add")})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/organisaties/list/")
    assert "De organisatie Weg B.V. is verwijderd." in fb.get("/organisaties/list/").get_data(as_text=True)


def test_a_message_with_an_unknown_placeholder_or_stray_brace_is_shown_as_written():
    from core.parents import RowMessage

    class View:
        known = RowMessage("De module is toegevoegd aan {parent}.")
        unknown = RowMessage("Opgeslagen voor {wie}.")
        stray = RowMessage("Kapot { bericht.")

        def message_context(self):
            return {"parent": "Zaakwijs B.V.", "organisation": "Zaakwijs B.V.", "name": "Zaken"}

    view = View()
    assert view.known == "De module is toegevoegd aan Zaakwijs B.V."
    assert view.unknown == "Opgeslagen voor {wie}."
    assert view.stray == "Kapot { bericht."
    assert View.known == "De module is toegevoegd aan {parent}."  # (the class keeps the text as written)
