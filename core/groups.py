"""Who is a member of a samenwerking or community, without knowing which plugin keeps memberships.

The ``group_member_ids`` hook is answered by the plugin that keeps the memberships
(F010 Lidmaatschap); with that plugin left out no organisation has members. The answer
is cached for the rest of the request (it is asked by every tenancy check of a view
that acts for members).
"""

from __future__ import annotations

from flask import current_app, has_request_context, request


def group_member_ids(group_id: int | None) -> frozenset[int]:
    """The ids of the current member organisations of ``group_id`` (empty for no group or no plugin)."""
    if group_id is None:
        return frozenset()
    # (on the request itself, not ``g``: tests may keep one app context over many requests)
    cache = request.environ.setdefault("scg.group_members", {}) if has_request_context() else {}
    if group_id not in cache:
        pm = current_app.extensions["scg_plugins"]
        ids: set[int] = set()
        for answer in pm.hook.group_member_ids(group_id=group_id):
            ids.update(int(i) for i in answer or ())
        cache[group_id] = frozenset(ids)
    return cache[group_id]


def forget_group_members() -> None:
    """Drop this request's cached answers (after a membership changed within the request)."""
    if has_request_context():
        request.environ.pop("scg.group_members", None)
