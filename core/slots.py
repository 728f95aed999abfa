"""Places on pages where plugins add links and sections (``page_links``, ``page_sections``).

A page that belongs to one plugin (or to core) offers a named slot; other
plugins fill it through the hooks, so no template links to a view of another
plugin and every page renders with any plugin left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

# slot name -> where it is shown; ``obj`` passed to page_sections in brackets.
SLOTS: dict[str, str] = {
    "login": "under the login form (e.g. wachtwoord vergeten, registreren, aansluiten)",
    "start": "the public start page, calls to action",
    "user_menu": "the menu of the logged-in user (top right)",
    "welcome": "the welcome page after login",
    "package_page": "the public package page (obj: the package)",
    "supplier_page": "the public supplier page (obj: the organisation)",
}


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    order: int = 100
    icon: str | None = None
    primary: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    html: Markup
    order: int = 100
