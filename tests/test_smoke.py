from tests.support.actors import login


def test_start_page_is_dutch(client):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="nl"' in html
    assert "Aanmelden als leverancier" in html


def test_supplier_logs_in_and_sees_welcome(client, world):
    login(client, world.users["aanbod"])
    html = client.get("/welkom/").get_data(as_text=True)
    assert "Welkom, Jan" in html
    assert "ICT Solutions BV" in html
