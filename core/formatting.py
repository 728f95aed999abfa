"""How values are shown to people: Dutch local time for stored UTC times, ja/nee."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_time(value: dt.datetime | None, empty: str = "–") -> str:
    """A stored time as Dutch local time, e.g. ``28-11-2026 16:35``.

    Naive times are UTC: the project stores ``core.models.utcnow()`` and runs its
    servers in UTC (FAB's own ``last_login`` uses the server's local time).
    """
    if value is None:
        return empty
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def yes_no(value) -> str:
    return "Ja" if value else "Nee"


def shown(value):
    """A value as a page shows it: times ``dd-mm-jjjj uu:mm``, dates ``dd-mm-jjjj``, ja/nee, "–" for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dt.datetime):
        return local_time(value)
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return value


def view_texts(modelview_name: str) -> dict:
    """The texts a list page needs from its view: empty state and add label (widgets do not get the view).

    A view says what an empty list means with ``empty_message`` ("Nog geen contactpersonen")
    and names its add link with ``add_title``; the defaults fit any list.
    """
    from flask import current_app

    view = next((v for v in current_app.appbuilder.baseviews if v.__class__.__name__ == modelview_name), None)
    add_label = getattr(view, "add_title", "") or ""
    if not add_label or add_label.startswith("Add "):
        add_label = "Toevoegen"
    return {"empty_message": getattr(view, "empty_message", None) or "Nog niets toegevoegd", "add_label": add_label}


def register_filters(app) -> None:
    app.jinja_env.filters["lokale_tijd"] = local_time
    app.jinja_env.filters["ja_nee"] = yes_no
    app.jinja_env.filters["zin"] = lambda text: sentence(f"{text}.")  # "Zaakwijs B.V." + "." -> one full stop
    app.jinja_env.filters["getoond"] = shown
    app.jinja_env.globals["view_texts"] = view_texts
    from core.form_fields import prepare_fab_field

    app.jinja_env.globals["prepare_fab_field"] = prepare_fab_field
    from core.markup import render_markdown, safe_url

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["veilige_url"] = safe_url


def sentence(text: str) -> str:
    """``text`` with one closing full stop: "... aan Zaakwijs B.V.." becomes "... aan Zaakwijs B.V."."""
    text = text.rstrip()
    if text.endswith("..") and not text.endswith("..."):
        return text[:-1]
    return text
