"""The whole story of F001 and F003 for real people, in Chromium, through the pages only.

A supplier registers from the start page, confirms the e-mail address through the link
in the e-mail, is told to wait for VNG, the Functioneel beheerder (password and TOTP code)
approves the registration from the queue, the supplier logs in, invites a colleague, and
the colleague creates an account through the invitation and logs in again later.
Every form page on the way passes axe-core (no serious or critical violations).
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pyotp
import pytest

from tests.conftest import ARTIFACTS
from tests.support.actors import make_user
from tests.support.browser import LiveServer, Shots, enrol_two_factor, serious_violations

pytestmark = pytest.mark.browser

COMPANY = "Stroomlijn Software BV"
SUPPLIER_EMAIL = "sanne@stroomlijn.example"
SUPPLIER_PASSWORD = "Sterk-Wachtwoord-12"
COLLEAGUE_EMAIL = "ahmed@stroomlijn.example"
COLLEAGUE_PASSWORD = "Nieuw-Wachtwoord-34x"
FB_EMAIL = "beheerder@vng.example"
FB_PASSWORD = "Beheer-Wachtwoord-56"


def path_of(url: str) -> str:
    """The path (and query) of a link from an e-mail, to open it on the live server."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in_mail(mailbox, address: str, subject: str, fragment: str) -> str:
    """The link containing ``fragment`` in the newest e-mail to ``address`` with ``subject``."""
    mails = [m for m in mailbox.to(address) if subject in m.subject]
    assert mails, f"no e-mail '{subject}' for {address}; got: {[(m.to, m.subject) for m in mailbox.messages]}"
    links = [link for link in mails[-1].links if fragment in link]
    assert links, f"no link with {fragment} in: {mails[-1].text}"
    return path_of(links[0])


def assert_accessible(page) -> None:
    problems = serious_violations(page)
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)


def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def fill_login(page, email: str, password: str) -> None:
    page.get_by_label("E-mailadres of gebruikersnaam").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def open_menu(page, category: str, item: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=category, exact=True).click()
    page.get_by_role("navigation").get_by_role("link", name=item, exact=True).click()


def fill_registration(page, *, kvk: str, password: str, confirm: str) -> None:
    page.get_by_label("Bedrijfsnaam").fill(COMPANY)
    page.get_by_label("KvK-nummer").fill(kvk)
    page.get_by_label("Website", exact=True).fill("www.stroomlijn.example")
    page.get_by_label("Algemeen e-mailadres van het bedrijf").fill("info@stroomlijn.example")
    page.get_by_label("Telefoonnummer").fill("030 123 45 67")
    page.get_by_label("Korte omschrijving van uw bedrijf").fill("Zaaksystemen voor kleine gemeenten.")
    page.get_by_label("Zaakgericht werken").check()
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("de Boer")
    page.get_by_label("Uw e-mailadres (hiermee logt u in)").fill(SUPPLIER_EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_label("Herhaal het wachtwoord").fill(confirm)
    page.get_by_label("Ik heb de privacyverklaring gelezen", exact=False).check()
    page.get_by_role("button", name="Aanmelding versturen").click()


def test_supplier_registers_is_approved_and_a_colleague_joins(make_app, mailbox, browser_page):
    app = make_app()
    with app.app_context():
        from core.roles import FUNCTIONEEL_BEHEERDER

        fb = make_user(FB_EMAIL, FUNCTIONEEL_BEHEERDER, None, password=FB_PASSWORD, totp=True,
                       first_name="Frida", last_name="Beheerder")
        fb_totp = pyotp.TOTP(fb.totp_secret)
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "journey-supplier")
    page = browser_page
    base = server.url
    try:
        # 1. An anonymous visitor registers the company from the start page.
        page.goto(base + "/")
        page.get_by_role("link", name="Aanmelden als leverancier").click()
        page.wait_for_url("**/aanmelden/")
        assert heading(page) == "Aanmelden als leverancier"
        shots(page, "aanmeldformulier")
        assert_accessible(page)
        fill_registration(page, kvk="4050 6070", password=SUPPLIER_PASSWORD, confirm=SUPPLIER_PASSWORD)
        page.wait_for_url("**/aanmelden/controleer-uw-e-mail/")
        assert heading(page) == "Controleer uw e-mail"
        assert SUPPLIER_EMAIL in page.locator("main").inner_text()
        shots(page, "controleer-uw-e-mail")

        # 2. The confirmation e-mail arrives; its link opens a page with a button to confirm.
        confirm_link = link_in_mail(mailbox, SUPPLIER_EMAIL, "Bevestig uw aanmelding", "/aanmelden/bevestigen/")
        page.goto(base + confirm_link)
        assert heading(page) == "Bevestig uw e-mailadres"
        assert COMPANY in page.locator("main").inner_text()
        shots(page, "bevestigen")
        page.get_by_role("button", name="Mijn e-mailadres bevestigen").click()
        page.get_by_role("heading", name="Uw e-mailadres is bevestigd").wait_for()
        assert "VNG beoordeelt nu de aanmelding van " + COMPANY in page.locator("main").inner_text()
        shots(page, "bevestigd")

        # 3. Logging in is not possible yet: the registration awaits VNG's review.
        page.goto(base + "/login/")
        assert_accessible(page)
        fill_login(page, SUPPLIER_EMAIL, SUPPLIER_PASSWORD)
        page.get_by_text("uw aanmelding wacht op beoordeling door VNG", exact=False).wait_for()
        assert urlsplit(page.url).path == "/login/"
        shots(page, "inloggen-wacht-op-beoordeling")

        # 4. The Functioneel beheerder logs in with password and TOTP code and approves.
        fill_login(page, FB_EMAIL, FB_PASSWORD)
        page.wait_for_url("**/login/code/")
        assert heading(page) == "Code invoeren"
        shots(page, "code-invoeren")
        assert_accessible(page)
        page.get_by_label("Code uit uw authenticator-app").fill(fb_totp.now())
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_url("**/welkom/")
        assert heading(page) == "Welkom, Frida"
        task = page.locator(".scg-task-list__item", has_text="Beoordeel aanmeldingen").inner_text()
        assert "Nog te doen" in task and "1 aanmelding wacht" in task
        open_menu(page, "Beheer", "Aanmeldingen")
        page.wait_for_url("**/beheer/aanmeldingen/list/")
        assert heading(page) == "Aanmeldingen van leveranciers"
        row = page.get_by_role("row").filter(has_text=COMPANY)
        assert "40506070" in row.inner_text() and SUPPLIER_EMAIL in row.inner_text()
        shots(page, "aanmeldingen")
        assert_accessible(page)
        row.get_by_role("link").first.click()
        page.wait_for_url(re.compile(r".*/beheer/aanmeldingen/show/\d+$"))
        assert heading(page) == f"Aanmelding: {COMPANY}"
        assert page.locator("#registration-status").inner_text() == "Bevestigd (wacht op beoordeling)"
        details = page.locator("main").inner_text()
        assert "https://www.stroomlijn.example" in details and "Zaakgericht werken" in details
        shots(page, "aanmelding")
        page.get_by_role("button", name="Aanmelding goedkeuren").click()
        page.get_by_text(f"De aanmelding van {COMPANY} is goedgekeurd.").wait_for()
        assert page.locator("#registration-status").inner_text() == "Goedgekeurd"
        shots(page, "goedgekeurd")
        page.get_by_role("link", name=re.compile("Frida Beheerder")).click()
        page.get_by_role("link", name="Uitloggen").click()
        page.get_by_role("link", name="Inloggen").first.wait_for()

        # 5. The approval e-mail arrives; the supplier logs in and sees the next steps.
        login_link = link_in_mail(mailbox, SUPPLIER_EMAIL, "is goedgekeurd", "/login/")
        page.goto(base + login_link)
        fill_login(page, SUPPLIER_EMAIL, SUPPLIER_PASSWORD)
        # An Aanbod-beheerder must use two-factor: set up at the first login, before anything else.
        page.wait_for_url("**/login/code-instellen/")
        assert heading(page) == "Twee-factorauthenticatie instellen"
        shots(page, "twee-factor-instellen")
        assert_accessible(page)
        enrol_two_factor(page)
        page.wait_for_url("**/welkom/")
        assert heading(page) == "Welkom, Sanne"
        welcome = page.locator("main").inner_text()
        assert f"U werkt voor {COMPANY} (Leverancier)" in welcome
        for step in ("Vul uw bedrijfsprofiel aan", "Nodig collega's uit", "Bekijk uw organisatie"):
            assert page.get_by_role("link", name=step).is_visible(), step
        shots(page, "welkom-leverancier")

        # 6. The supplier invites a colleague from the users page.
        open_menu(page, "Organisatie", "Gebruikers")
        page.wait_for_url("**/gebruikers/list/")
        assert heading(page) == "Gebruikers"
        me = page.get_by_role("row").filter(has_text=SUPPLIER_EMAIL)
        assert "Aanbod-beheerder" in me.inner_text() and "Sanne" in me.inner_text()
        shots(page, "gebruikers")
        assert_accessible(page)
        page.get_by_role("link", name="Collega uitnodigen").first.click()
        page.wait_for_url("**/uitnodigingen/add")
        assert heading(page) == "Collega uitnodigen"
        shots(page, "collega-uitnodigen")
        assert_accessible(page)
        page.get_by_label("E-mailadres van de collega").fill(COLLEAGUE_EMAIL)
        page.get_by_label("Voornaam").fill("Ahmed")
        page.get_by_label("Rol").select_option("Aanbod-beheerder")
        page.get_by_role("button", name="Uitnodiging versturen").click()
        page.wait_for_url("**/uitnodigingen/list/")
        page.get_by_text(f"De uitnodiging is verstuurd naar {COLLEAGUE_EMAIL}.").wait_for()
        assert "Aanbod-beheerder" in page.get_by_role("row").filter(has_text=COLLEAGUE_EMAIL).inner_text()
        shots(page, "uitnodiging-verstuurd")
        invitation_link = link_in_mail(mailbox, COLLEAGUE_EMAIL, f"namens {COMPANY}", "/uitnodiging/")
        assert "Uw rol: Aanbod-beheerder." in mailbox.last_to(COLLEAGUE_EMAIL).text

        # 7. The colleague (another browser session) accepts, logs out and logs in again.
        page.context.clear_cookies()
        page.goto(base + invitation_link)
        assert heading(page) == "Uw account aanmaken"
        intro = page.locator("main").inner_text()
        assert COMPANY in intro and "Aanbod-beheerder" in intro and COLLEAGUE_EMAIL in intro
        assert page.get_by_label("Voornaam").input_value() == "Ahmed"
        shots(page, "account-aanmaken")
        assert_accessible(page)
        page.get_by_label("Achternaam").fill("Yilmaz")
        page.get_by_label("Wachtwoord", exact=True).fill(COLLEAGUE_PASSWORD)
        page.get_by_label("Herhaal het wachtwoord").fill(COLLEAGUE_PASSWORD)
        page.get_by_role("button", name="Account aanmaken en inloggen").click()
        # The colleague is an Aanbod-beheerder too: two-factor first, then the welcome page.
        page.wait_for_url("**/account/twee-factor/**")
        assert f"Welkom! Uw account voor {COMPANY} is klaar." in page.content()
        assert "Stel het eerst in" in page.content()
        shots(page, "collega-twee-factor")
        assert_accessible(page)
        colleague_secret = enrol_two_factor(page)
        page.wait_for_url("**/welkom/")
        assert heading(page) == "Welkom, Ahmed"
        shots(page, "welkom-collega")

        page.get_by_role("link", name=re.compile("Ahmed Yilmaz")).click()
        page.get_by_role("link", name="Uitloggen").click()
        page.get_by_role("link", name="Inloggen").first.click()
        page.wait_for_url("**/login/")
        fill_login(page, COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD)
        page.wait_for_url("**/login/code/")
        page.get_by_label("Code uit uw authenticator-app").fill(
            pyotp.TOTP(colleague_secret).at(time.time() + 30))  # the enrolment used the current one
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_url("**/welkom/")
        assert heading(page) == "Welkom, Ahmed"
        assert f"U werkt voor {COMPANY}" in page.locator("main").inner_text()
        shots(page, "collega-opnieuw-ingelogd")
    finally:
        server.stop()


def test_registration_form_explains_bad_input_in_dutch_at_the_fields(make_app, mailbox, browser_page):
    app = make_app()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "journey-supplier-bad-input")
    page = browser_page
    try:
        page.goto(server.url + "/aanmelden/")
        fill_registration(page, kvk="123", password=SUPPLIER_PASSWORD, confirm="Ander-Wachtwoord-99")
        page.get_by_role("alert").filter(has_text="Niet alle gegevens zijn goed ingevuld").wait_for()
        assert urlsplit(page.url).path == "/aanmelden/"
        kvk = page.get_by_label("KvK-nummer")
        assert kvk.get_attribute("aria-invalid") == "true"
        # The hint and the error describe the field; the error says what is wrong ("Fout:" for screen readers).
        error_id = kvk.get_attribute("aria-describedby").split()[-1]
        assert error_id.endswith("-err")
        error = " ".join(page.locator("#" + error_id).inner_text().split())
        assert error == "Fout: Een KvK-nummer bestaat uit 8 cijfers."
        confirm = page.get_by_label("Herhaal het wachtwoord")
        assert confirm.get_attribute("aria-invalid") == "true"
        error_id = confirm.get_attribute("aria-describedby").split()[-1]
        error = " ".join(page.locator("#" + error_id).inner_text().split())
        assert error == "Fout: De twee wachtwoorden zijn niet gelijk."
        # What was typed stays, so the visitor only corrects the two fields.
        assert page.get_by_label("Bedrijfsnaam").input_value() == COMPANY
        shots(page, "aanmelden-fouten")
        assert_accessible(page)
        assert mailbox.to(SUPPLIER_EMAIL) == []
    finally:
        server.stop()
