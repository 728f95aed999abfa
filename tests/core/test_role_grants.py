"""The permissions every domain role holds after the sync, against a stored snapshot.

The snapshot (``role_grants.json``) was taken before the grants were rewritten with
``core.permissions.crud``/``read``: the helpers must grant exactly what the hand-written
lists granted. A deliberate change of a grant updates the snapshot::

    SCG_UPDATE_ROLE_GRANTS=1 python -m pytest tests/core/test_role_grants.py

The Functioneel beheerder is FAB's admin role (every permission there is), so it is
not in the snapshot.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from core.roles import FUNCTIONEEL_BEHEERDER, ROLES

SNAPSHOT = Path(__file__).with_name("role_grants.json")


def synced_grants(app) -> dict[str, list[list[str]]]:
    sm = app.appbuilder.sm
    with app.app_context():
        return {name: sorted([pv.permission.name, pv.view_menu.name] for pv in sm.find_role(name).permissions)
                for name in sorted(ROLES) if name != FUNCTIONEEL_BEHEERDER}


def _dumps(grants) -> str:
    """One (permission, view menu) pair a line: a changed grant is one changed line in a diff."""
    roles = [f"  {json.dumps(role)}: [\n" + ",\n".join(f"    {json.dumps(pair, ensure_ascii=False)}" for pair in pairs)
             + "\n  ]" for role, pairs in grants.items()]
    return "{\n" + ",\n".join(roles) + "\n}\n"


def test_every_role_holds_exactly_the_snapshotted_permissions(make_app):
    grants = synced_grants(make_app())
    if os.environ.get("SCG_UPDATE_ROLE_GRANTS"):
        SNAPSHOT.write_text(_dumps(grants), encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for role in expected:
        missing = {tuple(p) for p in expected[role]} - {tuple(p) for p in grants.get(role, [])}
        extra = {tuple(p) for p in grants.get(role, [])} - {tuple(p) for p in expected[role]}
        assert not missing and not extra, f"{role}: missing {sorted(missing)}, extra {sorted(extra)}"
    assert set(grants) == set(expected)
