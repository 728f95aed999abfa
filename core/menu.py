"""The menu categories, each with its icon, declared once.

Several plugins file pages under the same category ("Mijn aanbod" holds F004's
packages, F005's services and F007's exports). FAB takes a category's icon from the
first page added to it, so an icon written at every ``add_view`` could differ per
plugin without anyone noticing. Plugins name the category instead::

    from core.menu import AANBOD, in_category

    appbuilder.add_view(ServiceView, "Mijn diensten", label="Mijn diensten", icon="fa-handshake-o",
                        **in_category(AANBOD))

A new category is added to ``CATEGORY_ICONS``; ``in_category`` refuses an undeclared one.
"""

from __future__ import annotations

ORGANISATIE = "Organisatie"
AANBOD = "Mijn aanbod"
PAKKETAANMELDINGEN = "Pakketaanmeldingen"
BEHEER = "Beheer"
GEMMA = "GEMMA"
GEBRUIK = "Ons gebruik"

#: Category name (also its label) -> Font Awesome icon ("" for none).
CATEGORY_ICONS: dict[str, str] = {
    ORGANISATIE: "fa-building",
    AANBOD: "fa-shopping-bag",
    PAKKETAANMELDINGEN: "fa-paper-plane",
    BEHEER: "fa-cogs",
    GEMMA: "",
    GEBRUIK: "fa-sitemap",
}


def in_category(name: str) -> dict[str, str]:
    """Keyword arguments for ``add_view``/``add_link`` that file a menu item under category ``name``."""
    if name not in CATEGORY_ICONS:
        raise KeyError(f"Unknown menu category {name!r}: declare it in core.menu.CATEGORY_ICONS")
    return {"category": name, "category_label": name, "category_icon": CATEGORY_ICONS[name]}
