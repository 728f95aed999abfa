"""The catalogue cache: a generation number, and values stored under it (facet counts, anonymous pages).

Everything cached here is keyed by the catalogue's *generation*: a number that goes up
after every committed transaction that changed something the public catalogue can show
(packages and their parts, usage, organisations, GEMMA, files, roles...). A change makes
every earlier entry unreachable at once; nothing is ever invalidated entry by entry, so no
page can miss an invalidation. Entries also expire after ``CATALOGUE_CACHE_TTL`` seconds.

The generation is bumped *after* the commit (``after_commit``): a request that read the old
generation and the old data stores under the old generation, which nobody reads again.

Storage: Redis when ``CACHE_REDIS_URL`` is set (or ``RATELIMIT_STORAGE_URI`` is a ``redis://``
URL), shared by every worker; otherwise a bounded in-process store (the embedded default,
one process). A change made by another process (a CLI import) reaches an in-process cache
only through the TTL; with Redis it is immediate. Redis errors never fail a request: the
cache is then skipped. ``CATALOGUE_CACHE=0`` turns the cache off.

Keys carry a namespace derived from the database URL, so two apps on different databases
sharing one Redis never see each other's entries; the generation is bumped when an app
starts, so a database restored under the same URL starts afresh.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict

from flask import current_app, has_app_context
from sqlalchemy import event

log = logging.getLogger(__name__)

EXTENSION = "scg_catalogue_cache"
_CHANGED = "scg_catalogue_changed"

#: Tables whose changes never show on a public catalogue page: bookkeeping of logins, tokens,
#: audit and the private workflows. A change to any other table bumps the generation.
QUIET_TABLES = frozenset({
    "audit_log", "used_token", "totp_recovery_code", "ab_user", "ab_register_user", "invitation", "join_request",
    "registration", "f013_proposal", "f013_proposal_block", "f013_usage_change", "mail_outbox",
})


class MemoryStore:
    """A bounded, thread-safe in-process store with expiry (least recently used out first)."""

    def __init__(self, max_entries: int = 2000):
        self.max_entries = max_entries
        self._data: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._counters: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return item[1]

    def set(self, key: str, value: bytes, ttl: int) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def counter(self, key: str) -> int:
        with self._lock:
            return self._counters.get(key, 0)

    def incr(self, key: str) -> int:
        with self._lock:
            self._counters[key] = self._counters.get(key, 0) + 1
            return self._counters[key]


class RedisStore:
    """The same interface on Redis (short timeouts: a slow Redis must not hold up a page)."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def get(self, key: str) -> bytes | None:
        return self.client.get(key)

    def set(self, key: str, value: bytes, ttl: int) -> None:
        self.client.set(key, value, ex=ttl)

    def counter(self, key: str) -> int:
        value = self.client.get(key)
        return int(value) if value is not None else 0

    def incr(self, key: str) -> int:
        return int(self.client.incr(key))


def redis_url(config) -> str | None:
    url = config.get("CACHE_REDIS_URL") or ""
    if not url:
        fallback = str(config.get("RATELIMIT_STORAGE_URI") or "")
        if fallback.startswith(("redis://", "rediss://")):
            url = fallback
    return url or None


class CatalogueCache:
    def __init__(self, store, namespace: str, ttl: int):
        self.store = store
        self.namespace = namespace
        self.ttl = ttl

    @property
    def shared(self) -> bool:
        return isinstance(self.store, RedisStore)

    def _safe(self, what, default=None):
        try:
            return what()
        except Exception as exc:  # a cache failure must never fail a request
            log.warning("catalogue cache unavailable: %s", exc)
            return default

    def generation(self) -> int | None:
        """The current generation, or None when the store cannot be reached (then nothing is cached)."""
        return self._safe(lambda: self.store.counter(f"{self.namespace}:generation"))

    def bump(self) -> None:
        self._safe(lambda: self.store.incr(f"{self.namespace}:generation"))

    def key(self, kind: str, generation: int, text: str) -> str:
        digest = hashlib.sha256(text.encode()).hexdigest()[:32]
        return f"{self.namespace}:{kind}:{generation}:{digest}"

    def get(self, key: str) -> bytes | None:
        return self._safe(lambda: self.store.get(key))

    def set(self, key: str, value: bytes) -> None:
        self._safe(lambda: self.store.set(key, value, self.ttl))


def init_app(app) -> CatalogueCache:
    url = redis_url(app.config)
    store = RedisStore(url) if url else MemoryStore(int(app.config.get("CATALOGUE_CACHE_MAX_ENTRIES", 2000)))
    database = str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
    namespace = "scg:catalogue:" + hashlib.sha256(database.encode()).hexdigest()[:16]
    cache = CatalogueCache(store, namespace, int(app.config.get("CATALOGUE_CACHE_TTL", 600)))
    cache.bump()  # a database restored under the same URL must not meet entries of before
    app.extensions[EXTENSION] = cache
    return cache


def current() -> CatalogueCache | None:
    """This app's cache, or None outside an app or when ``CATALOGUE_CACHE`` is off."""
    if not has_app_context() or not current_app.config.get("CATALOGUE_CACHE", True):
        return None
    return current_app.extensions.get(EXTENSION)


def invalidate() -> None:
    """Make every cached catalogue entry of this app unreachable (after out-of-band changes)."""
    cache = current_app.extensions.get(EXTENSION) if has_app_context() else None
    if cache is not None:
        cache.bump()


def mark_changed(session) -> None:
    """The catalogue changes when ``session`` commits (for writes that bypass the ORM's unit of work)."""
    session.info[_CHANGED] = True


# --------------------------------------------------------------------------- upkeep
#: A plugin's table whose rows no public page shows (view counts, notifications) says so with
#: ``Model.__table__.info[QUIET] = True``: writing it does not invalidate the catalogue cache.
QUIET = "catalogue_quiet"


def _loud(table) -> bool:
    if table is None:
        return False
    return table.name not in QUIET_TABLES and not table.info.get(QUIET, False)


def _before_flush(session, flush_context, instances):
    if session.info.get(_CHANGED):
        return
    for objs in (session.new, session.dirty, session.deleted):
        for obj in objs:
            if _loud(getattr(obj, "__table__", None)):
                session.info[_CHANGED] = True
                return


def _do_orm_execute(state):
    """Bulk ``insert``/``update``/``delete`` statements through the session."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or not hasattr(table, "info") or _loud(table):
        state.session.info[_CHANGED] = True


def _after_commit(session):
    if session.info.pop(_CHANGED, False):
        invalidate()


def _after_rollback(session):
    session.info.pop(_CHANGED, None)


def install(session_class) -> None:
    """Bump the generation after every commit that changed the catalogue (once per session class)."""
    if getattr(session_class, "_scg_catalogue_cache_installed", False):
        return
    session_class._scg_catalogue_cache_installed = True
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "do_orm_execute", _do_orm_execute)
    event.listen(session_class, "after_commit", _after_commit)
    event.listen(session_class, "after_rollback", _after_rollback)
