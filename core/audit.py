"""The audit log: who did what, to which object, for which organisation, from where.

Creates, updates and deletes of every model are recorded automatically from the
session's flush (``install``); logins, approvals, invitations, exports and imports
are recorded explicitly with ``record``. Rows are written in the same transaction
as the change they describe, so a rolled-back change leaves no audit row.
"""

from __future__ import annotations

import json
import logging

from flask import g, has_request_context, request
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from core.models import AuditLog, UsedToken, utcnow

log = logging.getLogger(__name__)

# Models never audited field by field: the log itself, token ids and FAB's permission tables.
# GEMMA reference data is imported as a whole and recorded as one "gemma_import" entry with counts.
# Role grant overrides are recorded as one "recht_gewijzigd" entry each, in Dutch (core.builtin.roles_admin).
SKIP_TABLES = {"audit_log", "used_token", "role_grant_override", "ab_permission", "ab_view_menu",
               "ab_permission_view", "ab_permission_view_role", "ab_role", "ab_register_user", "ab_api_key",
               "gemma_referentiecomponent", "gemma_standaard", "gemma_standaardversie", "gemma_verplichting"}
SECRET_FIELDS = {"password", "totp_secret"}
# Bookkeeping columns that change on every login and are not a change by a person.
NOISE_FIELDS = {"last_login", "login_count", "fail_login_count", "changed_on", "changed_by_fk"}


def _actor():
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def _ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def _organisation_id_of(user) -> int | None:
    org = getattr(user, "organisation", None) if user is not None else None
    return org.id if org is not None else None


def entry(action: str, object_type: str | None = None, object_id=None, result: str = "gelukt",
          organisation_id: int | None = None, details: dict | None = None, user=None) -> dict:
    user = user if user is not None else _actor()
    return {
        "timestamp": utcnow(),
        "user_id": getattr(user, "id", None),
        "username": getattr(user, "username", None) or (details or {}).get("username"),
        "organisation_id": organisation_id if organisation_id is not None else _organisation_id_of(user),
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "result": result,
        "ip": _ip(),
        "details": json.dumps(details, default=str, ensure_ascii=False) if details else None,
    }


def record(session: Session, action: str, **kwargs) -> None:
    """Add an audit row to ``session``'s current transaction."""
    session.execute(insert(AuditLog.__table__).values(**entry(action, **kwargs)))


def _changes(obj) -> dict:
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        if attr.key in NOISE_FIELDS:
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if attr.key in SECRET_FIELDS:
                changes[attr.key] = "(gewijzigd)"
            else:
                changes[attr.key] = [old, new]
    return changes


def _org_of(obj) -> int | None:
    if obj.__tablename__ == "organisation":
        return obj.id
    return getattr(obj, "organisation_id", None)


def _snapshot(session: Session) -> list[tuple[str, object, dict]]:
    items = []
    for action, objs in (("aangemaakt", session.new), ("gewijzigd", session.dirty), ("verwijderd", session.deleted)):
        for obj in objs:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in SKIP_TABLES or isinstance(obj, (AuditLog, UsedToken)):
                continue
            details = _changes(obj) if action == "gewijzigd" else {}
            if action == "gewijzigd" and not details:
                continue  # only bookkeeping changed
            items.append((action, obj, details))
    return items


def install(session_class) -> None:
    """Record every create, update and delete flushed by sessions of ``session_class``."""

    if getattr(session_class, "_scg_audit_installed", False):
        return
    session_class._scg_audit_installed = True

    @event.listens_for(session_class, "before_flush")
    def _before_flush(session, flush_context, instances):
        session.info.setdefault("scg_audit_pending", []).extend(_snapshot(session))

    @event.listens_for(session_class, "after_flush_postexec")
    def _after_flush(session, flush_context):
        pending = session.info.pop("scg_audit_pending", [])
        rows = []
        for action, obj, details in pending:
            try:
                object_id = inspect(obj).identity
                object_id = object_id[0] if object_id else getattr(obj, "id", None)
            except Exception:  # pragma: no cover - defensive
                object_id = None
            rows.append(entry(action, object_type=type(obj).__name__, object_id=object_id,
                              organisation_id=_org_of(obj), details=details or None))
        if rows:  # one INSERT for the whole flush (executemany), not one per changed row
            session.connection().execute(insert(AuditLog.__table__), rows)
