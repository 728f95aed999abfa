"""The organisations list of the Functioneel beheerder: empty values as a dash, times as Dutch local time."""

from __future__ import annotations

import datetime as dt
import re

from core.extensions import db
from tests.support.actors import login


def test_the_list_shows_a_dash_for_an_empty_kvk_number_and_dutch_times(app, client, world):
    world.gemeente.kvk_number = None
    world.supplier.changed_on = dt.datetime(2026, 11, 28, 15, 35)  # UTC: 16:35 in Amsterdam
    db.session.commit()
    login(client, world.users["fb"])
    page = client.get("/organisaties/list/").get_data(as_text=True)
    assert "None" not in page
    assert "28-11-2026 16:35" in page
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", page)  # no raw timestamp
    row = page[page.index(">Voorbeeldstad<"):]
    row = row[:row.index("</tr>")]
    assert "–" in row
    show = client.get(f"/organisaties/show/{world.gemeente.id}").get_data(as_text=True)
    assert "None" not in show
