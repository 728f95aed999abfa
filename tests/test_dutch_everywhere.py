"""Dutch everywhere: no English or Flask-AppBuilder leftovers on any page, for any role.

Every page the route sweep (tests/test_no_server_errors.py) visits is fetched by GET as
a visitor and as every person of the World; the text a person reads or hears (text,
titles, labels, placeholders, button values) must not contain any of LEFTOVERS. A form
that marks fields as required must carry ``novalidate``, so that the server's Dutch
messages are shown instead of the browser's English "Please fill out this field".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.support.actors import login
from tests.test_no_server_errors import _paths

LEFTOVERS = ("Aantal records", "Geen record gevonden", "Record", "record", "Akties", "Rij toegevoegd",
             "Rij gewijzigd", "Rij verwijderd", "Add", "Show", "Edit", "Delete", "Not a valid choice",
             "__None", "Proprietary", "This field is required", "List", "Search", "Refresh", "Back", "Save",
             "None", "Please", "Page size", "Order by", "Actions", "Detail", "Select Value",
             "Bladgrootte")
LEFTOVER_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in LEFTOVERS) + r")(?![\w-])")
SPOKEN_ATTRS = ("title", "aria-label", "placeholder", "alt", "data-original-title")
# FAB's permission administration (Functioneel beheerder only) lists the names FAB gave its own
# menu entries ("menu access on List Users"): identifiers stored in the database, not text.
IDENTIFIERS = {"/roles/": {"List"}, "/viewmenus/": {"List"}, "/permissionviews/": {"List"}}
ROLES = ("anoniem", "aanbod", "aanbod_other", "gebruik", "raadpleger", "gebruik_other", "vng", "fb")


class _Spoken(HTMLParser):
    """The text a person reads or hears on a page, and the forms that let the browser validate."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_validating_form = False
        self.bubbles = False  # a required field in a form the browser validates

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "form":
            self.in_validating_form = "novalidate" not in attrs
        if tag in ("input", "select", "textarea") and "required" in attrs and self.in_validating_form:
            self.bubbles = True
        self.parts += [attrs[a] for a in SPOKEN_ATTRS if attrs.get(a)]
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_validating_form = False
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def leftovers(html: str) -> list[str]:
    """The English/FAB leftovers a person would meet on this page."""
    spoken = _Spoken()
    spoken.feed(html)
    found = sorted({m.group(1) for m in LEFTOVER_RE.finditer("\n".join(spoken.parts))})
    if spoken.bubbles:
        found.append("<form> without novalidate (browser's English bubbles)")
    return found


def test_the_check_finds_fab_leftovers_and_passes_dutch():
    assert leftovers("<p>Aantal records: 3</p><a title='Show record'>x</a>") == ["Aantal records", "Show",
                                                                                 "record"]
    assert leftovers("<form><input required name=x></form>") == ["<form> without novalidate (browser's "
                                                                 "English bubbles)"]
    assert leftovers("<form id=delete></form><form novalidate><input required name=x></form>") == []
    assert leftovers("<form novalidate><input required name=x><button>Opslaan</button></form>"
                     "<script>var Show = 1;</script><p class='Add'>Toevoegen</p>") == []


@pytest.mark.parametrize("who", ROLES)
def test_no_page_shows_english_or_fab_leftovers(app, world, who):
    client = app.test_client()
    if who != "anoniem":
        login(client, world.users[who])
    failures = []
    for rule, path in _paths(app, world.supplier.id):
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/logout")):
            continue
        resp = client.get(path)
        if resp.status_code == 200 and resp.mimetype == "text/html":
            allowed = next((v for prefix, v in IDENTIFIERS.items() if path.startswith(prefix)), set())
            failures += [f"{path}: {found}" for found in leftovers(resp.get_data(as_text=True)) if found not in allowed]
        if who != "anoniem" and client.get("/welkom/").status_code != 200:
            login(client, world.users[who])  # a route logged us out: go on
    assert failures == [], "\n".join(failures)
