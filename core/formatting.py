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


def register_filters(app) -> None:
    app.jinja_env.filters["lokale_tijd"] = local_time
    app.jinja_env.filters["ja_nee"] = yes_no
    app.jinja_env.filters["zin"] = lambda text: sentence(f"{text}.")  # "Zaakwijs B.V." + "." -> one full stop
    from core.markup import render_markdown, safe_url

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["veilige_url"] = safe_url


def sentence(text: str) -> str:
    """``text`` with one closing full stop: "... aan Zaakwijs B.V.." becomes "... aan Zaakwijs B.V."."""
    text = text.rstrip()
    if text.endswith("..") and not text.endswith("..."):
        return text[:-1]
    return text
