"""The project's own Dutch catalogue (core/translations) replaces Flask-AppBuilder's Dutch."""

from __future__ import annotations

import io
from pathlib import Path

import flask_appbuilder
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask_babel import gettext

CATALOGUE = Path(__file__).resolve().parents[2] / "core" / "translations" / "nl" / "LC_MESSAGES"


def _po():
    with open(CATALOGUE / "messages.po", "rb") as handle:
        return read_po(handle, locale="nl")


def test_the_committed_mo_is_the_compiled_po():
    """A fresh clone works without a compile step, so messages.mo must be messages.po compiled."""
    compiled = io.BytesIO()
    write_mo(compiled, _po())
    with open(CATALOGUE / "messages.mo", "rb") as handle:
        committed = read_mo(handle)
    assert {m.id: m.string for m in read_mo(io.BytesIO(compiled.getvalue())) if m.id} == \
           {m.id: m.string for m in committed if m.id}, "run: pybabel compile -d core/translations"


def test_every_fab_text_has_the_projects_dutch():
    """A Flask-AppBuilder upgrade that brings new texts shows up here instead of on a page."""
    fab_dir = Path(flask_appbuilder.__file__).parent
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    fab_ids = {msg[2] if isinstance(msg[2], str) else msg[2][0]
               for msg in extract_from_dir(str(fab_dir), method_map, keywords={"_": None, "lazy_gettext": None,
                                                                                "gettext": None})}
    ours = {m.id: m.string for m in _po() if m.id}
    missing = sorted(i for i in fab_ids if i and not ours.get(i))
    assert missing == []
    assert [i for i, s in ours.items() if s == i] == []  # nothing left in English


def test_the_projects_dutch_wins_over_fabs(app, world):
    with app.test_request_context("/"):
        # FAB's own catalogue says "Akties", "Rij toegevoegd", "Aantal records" and leaves "Add" English.
        assert gettext("Actions") == "Acties"
        assert gettext("Added Row") == "Opgeslagen."
        assert gettext("Record Count") == "Aantal"
        assert gettext("Add") == "Toevoegen"
