"""``Package.municipality_count``: how many municipalities actively use a package, kept as a column.

The public pages show and sort by this number; counting it from ``package_usage`` on every
request costs a scan of every usage row (70 % of the search page's SQL time at 60,000
usages). So the number is stored on the package and kept right in the same transaction as
the change that moves it:

- a session listener (:func:`install`, from ``core.listeners``) collects, per flush, the
  packages whose count may have changed (a usage added, deleted, given another status,
  package or organisation; an organisation that changes type or is deleted) and recomputes
  exactly those packages' counts from the usage rows in ``after_flush``;
- writes that bypass the ORM (bulk ``insert``/``update``/``delete`` statements: package
  merges, linking a concept supplier, bulk imports, CLI loads) call
  :func:`recompute_municipality_counts` with the packages they touched, or without
  arguments for all packages.

The count is the number of distinct organisations of type gemeente with a usage of the
package in an active status (``ACTIVE_USAGE_STATUSES``); never names.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import distinct, event, func, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.catalogue.models import ACTIVE_USAGE_STATUSES, Package, Usage
from core.models import Organisation

_INFO_KEY = "scg_count_packages"
_CHUNK = 500


def real_count_clause(package_id_column):
    """Scalar subquery: the municipality count of the package ``package_id_column``, from the usage rows."""
    usage, org = Usage.__table__, Organisation.__table__
    return (select(func.count(distinct(usage.c.organisation_id)))
            .select_from(usage.join(org, org.c.id == usage.c.organisation_id))
            .where(usage.c.package_id == package_id_column, org.c.type == "gemeente",
                   usage.c.status.in_(ACTIVE_USAGE_STATUSES))
            .scalar_subquery())


def real_counts(connection, package_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{package id: count from the usage rows} (for checks and tests; pages read the column)."""
    table = Package.__table__
    query = select(table.c.id, real_count_clause(table.c.id))
    if package_ids is not None:
        query = query.where(table.c.id.in_(list(package_ids)))
    return dict(connection.execute(query).all())


def recompute_municipality_counts(package_ids: Iterable[int] | None = None, session=None) -> None:
    """Recompute ``Package.municipality_count`` of ``package_ids`` (None: every package) in the session's
    transaction. Call it after writes that bypass the ORM (bulk statements)."""
    if session is None:
        from core.extensions import db

        session = db.session
    from core.catalogue.cache import mark_changed

    mark_changed(session)
    _recompute(session, None if package_ids is None else {pid for pid in package_ids if pid is not None})


def _recompute(session, package_ids: set[int] | None) -> None:
    table = Package.__table__
    connection = session.connection()
    statement = update(table).values(municipality_count=real_count_clause(table.c.id),
                                     changed_on=table.c.changed_on)  # a count is no change of the package
    if package_ids is None:
        connection.execute(statement)
        loaded = [obj for obj in session.identity_map.values() if isinstance(obj, Package)]
        ids = [obj.id for obj in loaded]
    else:
        ids = sorted(package_ids)
        if not ids:
            return
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            if connection.dialect.name == "postgresql":
                # Lock the packages first (in id order), so the UPDATE below starts after any other
                # transaction recounting them has committed and sees its usage (READ COMMITTED takes
                # a snapshot per statement). NO KEY UPDATE does not wait for the key-share locks that
                # inserting a usage row takes on its package, so two new usages never deadlock.
                connection.execute(select(table.c.id).where(table.c.id.in_(chunk)).order_by(table.c.id)
                                   .with_for_update(key_share=True))
            connection.execute(statement.where(table.c.id.in_(chunk)))
    # keep loaded packages in step without expiring them
    mapper = inspect(Package)
    loaded_ids = [pid for pid in ids
                  if session.identity_map.get(mapper.identity_key_from_primary_key((pid,))) is not None]
    if not loaded_ids:
        return
    for start in range(0, len(loaded_ids), _CHUNK):
        chunk = loaded_ids[start:start + _CHUNK]
        rows = connection.execute(select(table.c.id, table.c.municipality_count).where(table.c.id.in_(chunk)))
        for pid, count in rows:
            obj = session.identity_map.get(mapper.identity_key_from_primary_key((pid,)))
            if obj is not None:
                set_committed_value(obj, "municipality_count", count)


# --------------------------------------------------------------------------- upkeep
def _usage_changed(obj) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in ("status", "package_id", "organisation_id"))


def _before_flush(session, flush_context, instances):
    """Collect the packages as they are in the database before the flush: what changed or deleted
    usage pointed at (its old value may not be loaded) and the usage of organisations about to be deleted."""
    usage = Usage.__table__
    usage_ids = [obj.id for obj in session.dirty if isinstance(obj, Usage) and obj.id is not None
                 and _usage_changed(obj)]
    usage_ids += [obj.id for obj in session.deleted if isinstance(obj, Usage) and obj.id is not None]
    deleted_orgs = [obj.id for obj in session.deleted if isinstance(obj, Organisation) and obj.id is not None]
    if not usage_ids and not deleted_orgs:
        return
    found = session.info.setdefault(_INFO_KEY, set())
    with session.no_autoflush:
        connection = session.connection()
        if usage_ids:
            found.update(connection.execute(select(usage.c.package_id).where(usage.c.id.in_(usage_ids))).scalars())
        if deleted_orgs:
            found.update(connection.execute(select(usage.c.package_id)
                                            .where(usage.c.organisation_id.in_(deleted_orgs))).scalars())


def _after_flush(session, flush_context):
    """Recount the packages collected before the flush plus those that new and changed usage points at now."""
    touched: set[int] = session.info.pop(_INFO_KEY, set())
    retyped: list[int] = []
    for obj in session.new:
        if isinstance(obj, Usage):
            touched.add(obj.package_id)
    for obj in session.dirty:
        if isinstance(obj, Usage) and _usage_changed(obj):
            touched.add(obj.package_id)
        elif isinstance(obj, Organisation) and obj.id is not None and inspect(obj).attrs.type.history.has_changes():
            retyped.append(obj.id)
    if retyped:
        touched.update(session.connection().execute(
            select(Usage.__table__.c.package_id).where(Usage.__table__.c.organisation_id.in_(retyped))
        ).scalars().all())
    touched.discard(None)
    if touched:
        _recompute(session, touched)


def install(session_class) -> None:
    """Keep ``Package.municipality_count`` right in every session of ``session_class`` (once)."""
    if getattr(session_class, "_scg_counts_installed", False):
        return
    session_class._scg_counts_installed = True
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "after_flush", _after_flush)
