"""A response cache for the public pages as an anonymous visitor sees them.

A view opts in with :func:`cacheable` (the catalogue search, package page, comparison, the
GEMMA shelf and the supplier page). A request is served from, and may fill, the cache only if

- it is a ``GET`` (or ``HEAD``) without a remember cookie or Authorization header, whose
  session holds nothing of a person (no login, no flash message, no CSRF token: at most
  the default locale FAB writes into every session), so every such visitor sees the same page;
- the response is a 200 that sets no other cookie, left the session as empty (no flash
  message or CSRF token added while rendering) and was not rendered for a logged-in user.

A logged-in user therefore never gets a cached page and never fills the cache. The key is
the full URL (host and query string included) under the catalogue generation
(``core.catalogue.cache``), so any committed change to what a page shows makes every
cached page unreachable at once.

What a page does besides rendering (the package page counts a view) must still happen when
the page comes from the cache: the view calls :func:`remember` with a name registered by
:func:`on_hit`, and every hit of the stored page runs it again (with the same arguments).

The Content-Security-Policy nonce differs per response (``core.headers``): the body is
stored with the nonce replaced by a placeholder, and each hit gets a fresh nonce stamped
into the body and the header. A hit carries ``X-Cache: hit`` (a miss ``X-Cache: miss``).
"""

from __future__ import annotations

import json
import logging
from typing import Callable

from flask import Flask, current_app, g, request, session

from core import headers
from core.catalogue import cache as catalogue_cache

ATTRIBUTE = "_scg_page_cache"
PLACEHOLDER = "\x00scg-csp-nonce\x00"
STORED_HEADERS = ("Content-Type", "Content-Language")
DEFAULT_LOCALE = "nl"
#: What the session of a visitor who is not logged in may hold: FAB's locale, and Flask-Login's
#: bookkeeping of a failed user load (``_fresh`` False, the ``_id`` of session protection).
ANONYMOUS_SESSION_KEYS = frozenset({"locale", "_permanent", "_fresh", "_id"})


log = logging.getLogger(__name__)
_ON_HIT: dict[str, Callable[..., None]] = {}


def on_hit(name: str):
    """Register ``func(**kwargs)`` under ``name``: what a cached hit of a page must still do."""
    def register(func):
        _ON_HIT[name] = func
        return func
    return register


def remember(name: str, **kwargs) -> None:
    """While a cacheable page renders: run the ``on_hit`` function ``name`` with ``kwargs`` (JSON values)
    on every later hit of the stored page."""
    g.setdefault("_scg_page_cache_replays", []).append([name, kwargs])


def _replay(entry: dict) -> None:
    from core.extensions import db

    for name, kwargs in entry.get("replays", ()):
        func = _ON_HIT.get(name)
        if func is None:
            continue
        try:
            func(**kwargs)
        except Exception:  # counting must never break a page
            log.exception("page cache: %s failed on a hit", name)
            db.session.rollback()


def cacheable(view):
    """Mark a view method as a public page whose anonymous response may be cached."""
    setattr(view, ATTRIBUTE, True)
    return view


def _view_is_cacheable() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(view is not None and getattr(view, ATTRIBUTE, False))


def _anonymous_session() -> bool:
    """The session holds nothing of a person: at most FAB's default locale (which FAB writes into every
    session) and Flask-Login's anonymous bookkeeping; no login, no flash messages, no CSRF token."""
    keys = set(session.keys())
    if not keys <= ANONYMOUS_SESSION_KEYS or session.get("_fresh"):
        return False
    return session.get("locale", DEFAULT_LOCALE) == current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)


def _anonymous_request() -> bool:
    if request.method not in ("GET", "HEAD") or "Authorization" in request.headers:
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False
    return _anonymous_session()


def _logged_in() -> bool:
    user = g.get("user")
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _before_request():
    cache = catalogue_cache.current()
    if cache is None or not _anonymous_request() or not _view_is_cacheable():
        return None
    generation = cache.generation()
    if generation is None:
        return None
    key = cache.key("page", generation, request.url)
    g._scg_page_cache_key = key
    stored = cache.get(key)
    if stored is None:
        return None
    entry = json.loads(stored)
    nonce = headers.csp_nonce()  # fresh for this response; core.headers puts it in the CSP header
    response = current_app.response_class(entry["body"].replace(PLACEHOLDER, nonce), status=200)
    for name, value in entry["headers"]:
        response.headers[name] = value
    response.headers["X-Cache"] = "hit"
    g._scg_page_cache_hit = True
    _replay(entry)
    return response


def _after_request(response):
    key = g.get("_scg_page_cache_key")
    if key is None or g.get("_scg_page_cache_hit"):
        return response
    storable = (response.status_code == 200 and not response.is_streamed and not response.direct_passthrough
                and "Set-Cookie" not in response.headers and _anonymous_session() and not _logged_in())
    if storable:
        cache = catalogue_cache.current()
        body = response.get_data(as_text=True)
        nonce = g.get("_scg_csp_nonce")
        if nonce:
            body = body.replace(nonce, PLACEHOLDER)
        entry = {"body": body, "headers": [(name, response.headers[name]) for name in STORED_HEADERS
                                           if name in response.headers],
                 "replays": g.get("_scg_page_cache_replays", [])}
        if cache is not None:
            cache.set(key, json.dumps(entry).encode())
    response.headers["X-Cache"] = "miss"
    return response


def install(app: Flask) -> None:
    app.before_request(_before_request)
    app.after_request(_after_request)
