"""The public registration form: what a supplier fills in, and what is refused."""

from __future__ import annotations

import io

import pytest

from core.extensions import db
from core.models import Membership, Organisation
from plugins.f001_toegang.models import Registration
from tests.f001.conftest import REGISTER, VALID, counts, register
from tests.support.actors import make_org, make_user, without_nonces


def test_form_is_dutch_and_tells_municipalities_to_ask_vng(client, app):
    html = client.get(REGISTER).get_data(as_text=True)
    assert 'lang="nl"' in html
    assert html.count("<h1") == 1
    assert "Aanmelden als leverancier" in html
    assert "Bent u een gemeente, samenwerking of community?" in html
    assert app.config["VNG_CONTACT_EMAIL"] in html
    assert "Zaakgericht werken" in html  # the kinds of software as checkboxes
    assert 'href="/aanmelden/privacyverklaring/"' in html
    assert client.get("/aanmelden/privacyverklaring/").status_code == 200


def test_registration_creates_a_waiting_supplier_and_mails_a_link(client, mailbox):
    before = counts()
    resp = register(client, email="Sanne@GemeenteSoft.example", website="www.gemeentesoft.example")
    assert resp.status_code == 302
    assert resp.location.endswith("/aanmelden/controleer-uw-e-mail/")
    page = client.get(resp.location).get_data(as_text=True)
    assert "Controleer uw e-mail" in page
    assert "sanne@gemeentesoft.example" in page

    after = counts()
    assert {k: after[k] - before[k] for k in after} == {"Organisation": 1, "ScgUser": 1, "Membership": 1,
                                                         "Registration": 1}
    org = db.session.query(Organisation).filter_by(kvk_number="11223344").one()
    assert (org.type, org.status, org.name) == ("leverancier", "aangemeld", "Gemeentesoft BV")
    assert org.website == "https://www.gemeentesoft.example"  # https:// added
    assert org.email == "info@gemeentesoft.example"
    assert org.phone == "+31 30 123 45 67"
    registration = db.session.query(Registration).filter_by(organisation_id=org.id).one()
    assert registration.user.email == "sanne@gemeentesoft.example"  # lower case
    assert registration.user.active
    assert registration.software_kind_labels == ["Zaakgericht werken", "Document- en archiefbeheer"]
    assert registration.privacy_consent_on is not None
    assert registration.ip == "127.0.0.1"
    membership = db.session.query(Membership).filter_by(user_id=registration.user_id).one()
    assert (membership.organisation_id, membership.role_name) == (org.id, "Aanbod-beheerder")

    mail = mailbox.last_to("sanne@gemeentesoft.example")
    assert mail.subject == "Bevestig uw aanmelding bij de Softwarecatalogus"
    assert "Beste Sanne" in mail.text
    assert "48 uur" in mail.text
    assert len(mail.links) == 1 and "/aanmelden/bevestigen/" in mail.links[0]


def test_kvk_number_may_be_typed_with_spaces_or_dots(client, app):
    html = client.get(REGISTER).get_data(as_text=True)
    assert 'maxlength="12"' in html.split('id="kvk_number"', 1)[1].split(">", 1)[0]
    assert register(client, kvk_number=" 11.22.33.44 ").status_code == 302
    assert db.session.query(Organisation).filter_by(kvk_number="11223344").count() == 1


def test_duplicate_kvk_number_is_refused_with_a_message(client, app, mailbox):
    make_org("Bestaand BV", kvk_number="11223344")
    before = counts()
    resp = register(client, kvk_number="1122 3344")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Dit KvK-nummer is al aangemeld" in html
    assert counts() == before
    assert mailbox.messages == []


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_an_e_mail(client, app, mailbox):
    """The page does not tell whether an address has an account; its owner is told someone tried."""
    new_answer = register(client, email="nieuw@gemeentesoft.example")
    new_page = client.get(new_answer.location).get_data(as_text=True)
    mailbox.clear()
    org = make_org("Ander BV", kvk_number="55667788")
    make_user("sanne@gemeentesoft.example", "Aanbod-beheerder", org, first_name="Sanne")
    before = counts()
    other = app.test_client()
    resp = register(other, email="SANNE@gemeentesoft.EXAMPLE", kvk_number="99887766")
    assert resp.status_code == new_answer.status_code == 302 and resp.location == new_answer.location
    page = other.get(resp.location).get_data(as_text=True)
    def neutral(html, email):
        return without_nonces(html).replace(email, "X")

    assert neutral(page, "sanne@gemeentesoft.example") == neutral(new_page, "nieuw@gemeentesoft.example")
    assert counts() == before  # nothing stored
    mail = mailbox.last_to("sanne@gemeentesoft.example")
    assert [m.subject for m in mailbox.messages] == ["Aanmelding met uw e-mailadres bij de Softwarecatalogus"]
    assert "Beste Sanne" in mail.text and "al een account" in mail.text
    assert any(link.endswith("/wachtwoord-vergeten/") for link in mail.links)
    assert any(link.endswith("/login/") for link in mail.links)
    assert "/aanmelden/bevestigen/" not in mail.text


def test_registering_twice_gives_one_registration(client, app, mailbox):
    assert register(client).status_code == 302
    before = counts()
    resp = register(client)
    assert resp.status_code == 200
    assert "Dit KvK-nummer is al aangemeld" in resp.get_data(as_text=True)
    assert counts() == before
    assert len(mailbox.to(VALID["email"])) == 1


BAD_INPUTS = [
    ("company_name", "", "Vul de naam van uw bedrijf in."),
    ("company_name", "   ", "Vul de naam van uw bedrijf in."),
    ("company_name", "x" * 201, "De bedrijfsnaam moet 2 tot 200 tekens lang zijn."),
    ("kvk_number", "", "Vul het KvK-nummer van uw bedrijf in."),
    ("kvk_number", "1234567", "Een KvK-nummer bestaat uit 8 cijfers."),
    ("kvk_number", "123456789", "Een KvK-nummer bestaat uit 8 cijfers."),
    ("kvk_number", "1234567a", "Een KvK-nummer bestaat uit 8 cijfers."),
    ("kvk_number", "١٢٣٤٥٦٧٨", "Een KvK-nummer bestaat uit 8 cijfers."),  # Arabic-Indic digits
    ("kvk_number", "9" * 5000, "Een KvK-nummer bestaat uit 8 cijfers."),
    ("website", "", "Vul het webadres van uw bedrijf in."),
    ("website", "geen website", "Vul een geldig webadres in"),
    ("website", "javascript:alert(1)", "Vul een geldig webadres in"),
    ("website", "https://" + "a" * 600 + ".nl", "Het webadres mag maximaal 500 tekens lang zijn."),
    ("company_email", "geen-adres", "Vul een geldig e-mailadres in"),
    ("company_email", "a" * 300 + "@example.nl", "maximaal 254 tekens"),
    ("phone", "", "Vul het telefoonnummer van uw bedrijf in."),
    ("phone", "bel me", "Een telefoonnummer bevat alleen cijfers"),
    ("phone", "1" * 31, "Het telefoonnummer mag maximaal 30 tekens lang zijn."),
    ("description", "", "Vul een korte omschrijving van uw bedrijf in."),
    ("description", "x" * 256, "De omschrijving mag maximaal 255 tekens lang zijn."),
    ("software_kinds", None, "Kies minstens één soort software."),
    ("software_kinds", ["zaakgericht", "kernfusie"], "Kies alleen uit de genoemde soorten software."),
    ("first_name", "", "Vul uw voornaam in."),
    ("first_name", "x" * 65, "Uw voornaam mag maximaal 64 tekens lang zijn."),
    ("last_name", "x" * 65, "Uw achternaam mag maximaal 64 tekens lang zijn."),
    ("email", "", "Vul uw e-mailadres in."),
    ("email", "sanne@", "Vul een geldig e-mailadres in"),
    ("email", "s" * 120 + "@example.nl", "Uw e-mailadres mag maximaal 128 tekens lang zijn."),
    ("email", "zoë@gemeentesoft.example", "Vul een geldig e-mailadres in"),
    ("password", "kort", "Gebruik minstens 12 tekens; nu zijn het er 4."),
    ("password", "welkom123456", "lijsten van veelgebruikte of uitgelekte wachtwoorden"),
    ("password", "Sanne-Zwemt-Graag-88", "Gebruik uw e-mailadres of de naam ervan niet in uw wachtwoord."),
    ("password", "Aa1-" * 40, "Het wachtwoord mag maximaal 128 tekens lang zijn."),
    ("password_confirm", "Ander-Wachtwoord-12", "De twee wachtwoorden zijn niet gelijk."),
    ("privacy_consent", None, "akkoord gaat met de privacyverklaring"),
]


@pytest.mark.parametrize("field,value,message", BAD_INPUTS,
                         ids=[f"{f}-{i}" for i, (f, _v, _m) in enumerate(BAD_INPUTS)])
def test_bad_input_gets_a_dutch_message_at_the_field_and_stores_nothing(client, app, mailbox, field, value,
                                                                        message):
    before = counts()
    changes = {field: value}
    if field == "password":
        changes["password_confirm"] = value
    resp = register(client, **changes)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert f'id="{field}-err"' in html, "the message belongs to the field"
    err = html.split(f'id="{field}-err">', 1)[1].split("</p>", 1)[0]
    assert message in err
    assert "Niet alle gegevens zijn goed ingevuld" in html
    assert counts() == before
    assert mailbox.messages == []


def test_empty_form_lists_every_required_field(client, app):
    before = counts()
    resp = register(client, **{k: None for k in VALID})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    for field in ("company_name", "kvk_number", "website", "company_email", "phone", "description",
                  "software_kinds", "first_name", "last_name", "email", "password", "password_confirm",
                  "privacy_consent"):
        assert f'id="{field}-err"' in html, field
    assert counts() == before


@pytest.mark.parametrize("changes", [
    {"company_name": "Bedrijf\x00BV"},
    {"first_name": "\x00"},
    {"kvk_number": ["11223344", "99887766"]},
    {"software_kinds": "\x00"},
    {"privacy_consent": "nee\x00"},
], ids=["nul-in-name", "only-nul", "two-kvk-values", "nul-kind", "odd-consent"])
def test_odd_values_never_give_a_server_error(client, app, changes):
    resp = register(client, **changes)
    assert resp.status_code in (200, 302, 400)
    if any("\x00" in str(v) for v in changes.values()):
        assert resp.status_code == 400 and "tekens die niet zijn toegestaan" in resp.get_data(as_text=True)


def test_a_file_instead_of_text_is_refused(client, app):
    before = counts()
    data = dict(VALID)
    data["company_name"] = (io.BytesIO(b"not a name"), "naam.txt")
    from tests.support.actors import csrf_token

    data["csrf_token"] = csrf_token(client, REGISTER)
    resp = client.post(REGISTER, data=data, content_type="multipart/form-data")
    assert resp.status_code == 200
    assert "Vul de naam van uw bedrijf in." in resp.get_data(as_text=True)
    assert counts() == before


def test_script_tags_are_stored_as_text_and_escaped(client, app, mailbox):
    name = '<script>alert("x")</script> Software'
    resp = register(client, company_name=name, description="<b>vet</b> & <i>schuin</i>")
    assert resp.status_code == 302
    org = db.session.query(Organisation).filter_by(kvk_number=VALID["kvk_number"]).one()
    assert org.name == name
    assert org.description == "<b>vet</b> & <i>schuin</i>"
    html = mailbox.last_to(VALID["email"]).html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_unicode_names_are_fine(client, app):
    resp = register(client, company_name="Ærø Çözüm Software B.V. – 日本", first_name="Zoë",
                    last_name="Ünal-O'Brien")
    assert resp.status_code == 302
    org = db.session.query(Organisation).filter_by(kvk_number=VALID["kvk_number"]).one()
    assert org.name == "Ærø Çözüm Software B.V. – 日本"
    registration = db.session.query(Registration).filter_by(organisation_id=org.id).one()
    assert (registration.user.first_name, registration.user.last_name) == ("Zoë", "Ünal-O'Brien")


def test_post_without_csrf_token_stores_nothing(client, app):
    before = counts()
    resp = client.post(REGISTER, data=dict(VALID))
    assert resp.status_code == 400
    assert counts() == before
