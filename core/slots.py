"""Places on pages where plugins add links and sections (``page_links``, ``page_sections``).

A page that belongs to one plugin (or to core) offers a named slot; other
plugins fill it through the hooks, so no template links to a view of another
plugin and every page renders with any plugin left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g
from markupsafe import Markup

# slot name -> where it is shown; ``obj`` passed to page_sections in brackets.
SLOTS: dict[str, str] = {
    "login": "under the login form (e.g. wachtwoord vergeten, registreren, aansluiten)",
    "start_browse": "the public start page, for everyone: where to look around (e.g. the catalogue, the suppliers)",
    "start": "the public start page, calls to action for visitors who are not logged in (next to Inloggen)",
    "navbar": "the top bar of a logged-in user, before the user menu (e.g. Meldingen with the number unread)",
    "user_menu": "the menu of the logged-in user (top right)",
    "welcome": "the welcome page after login",
    "package_page": "the public package page (obj: the package)",
    "usage_add": "F013's page to add a package to the landscape: what to do when the package is not in the "
                 "catalogue yet (e.g. register it for its supplier)",
    "supplier_page": "the public supplier page (obj: the organisation)",
    "organisation_edit": "core's form to change an organisation's basic data, above the form (obj: the "
                         "organisation), e.g. where its full profile is edited",
    "proposal_page": "F013's page where a municipality decides on a usage proposal of a supplier (obj: the "
                     "proposal), under the decision (e.g. block the supplier's proposals)",
    "join_request": "F003's page to ask to join an organisation: other ways in (e.g. registering a new supplier)",
    "existing_account": "F003's page and mail for a person who already has an account (an invitation that was "
                        "used, a join request for a known address): ways back in (e.g. a new password)",
}


@dataclass(frozen=True)
class Link:
    """A link; ``lead`` is an optional sentence before it (e.g. "Weet u uw wachtwoord niet meer?")."""

    text: str
    url: str
    order: int = 100
    icon: str | None = None
    primary: bool = False
    lead: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    html: Markup
    order: int = 100


def _current_user():
    """The user of this request: FAB's ``g.user``, else flask_login's (anonymous) current user."""
    user = getattr(g, "user", None)
    if user is None:
        from flask_login import current_user

        user = current_user._get_current_object()
    return user


def _check(slot: str) -> None:
    if slot not in SLOTS:
        # A template asking for a slot nobody can fill is a programming error.
        raise ValueError(f"Unknown page slot {slot!r}; known slots: {', '.join(SLOTS)}")


def _collect(results, kind: type, slot: str) -> list:
    items = []
    for result in results:
        for item in result or ():
            if not isinstance(item, kind):
                raise TypeError(f"A plugin returned {item!r} for slot {slot!r}; expected {kind.__name__}")
            items.append(item)
    # Stable: equal ``order`` keeps the text order, so the page does not depend on plugin order.
    items.sort(key=lambda item: (item.order, getattr(item, "text", None) or getattr(item, "title", "")))
    return items


def slot_links(slot: str, obj=None) -> list[Link]:
    """The links all plugins put into ``slot`` about ``obj`` for the current user, sorted by ``order``."""
    _check(slot)
    pm = current_app.extensions["scg_plugins"]
    return _collect(pm.hook.page_links(slot=slot, obj=obj, user=_current_user()), Link, slot)


def slot_sections(slot: str, obj=None) -> list[Section]:
    """The sections all plugins put into ``slot`` about ``obj`` for the current user, sorted by ``order``."""
    _check(slot)
    pm = current_app.extensions["scg_plugins"]
    return _collect(pm.hook.page_sections(slot=slot, obj=obj, user=_current_user()), Section, slot)


def install_slots(app) -> None:
    """Make ``slot_links(slot, obj=None)`` and ``slot_sections(slot, obj=None)`` available in every template."""
    app.jinja_env.globals.update(slot_links=slot_links, slot_sections=slot_sections)
