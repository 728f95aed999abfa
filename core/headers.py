"""Security headers on every response: CSP with a nonce, framing, sniffing, referrer, HSTS.

``install(app)`` (called once from the app factory) adds:

- ``Content-Security-Policy``: only this site's own files; no remote hosts, no plugins
  (``object-src 'none'``), no ``<base>`` elsewhere, forms post only here, and no framing.
  Inline ``<script>`` and ``<style>`` elements run only with the nonce of the request:
  templates write ``nonce="{{ csp_nonce() }}"`` (FAB's own templates already do, through
  ``baselib.get_nonce()``, which calls the ``csp_nonce`` Jinja global defined here).
  FAB's templates (list widgets, forms, the search box) and ours carry ``style="..."``
  *attributes*, which cannot take a nonce; so ``style-src-attr`` alone allows
  'unsafe-inline'. Style attributes cannot run script; script stays nonce-only on every page.
- ``X-Frame-Options: DENY`` (for browsers without ``frame-ancestors``),
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``, and
  ``Strict-Transport-Security`` when BASE_URL is https.

The ``Server`` header is written by the HTTP server after the app has answered, so no
``after_request`` can remove it: in production gunicorn sends ``Server: gunicorn`` without
a version; the local run (``python -m core.run``) serves through
``core.run.QuietRequestHandler``, which leaves out Werkzeug's and Python's versions.
"""

from __future__ import annotations

import secrets

from flask import Flask, current_app, g

NONCE_BYTES = 16


def csp_nonce() -> str:
    """The nonce of this request (made on first use), for inline ``<script>``/``<style>``."""
    nonce = g.get("_scg_csp_nonce")
    if nonce is None:
        nonce = g._scg_csp_nonce = secrets.token_urlsafe(NONCE_BYTES)
    return nonce


def content_security_policy(nonce: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": f"'self' 'nonce-{nonce}'",
        "style-src-elem": f"'self' 'nonce-{nonce}'",
        # FAB's templates put style="..." on elements; attributes cannot carry a nonce.
        "style-src-attr": "'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    referrer = current_app.config.get("REFERRER_POLICY") or "strict-origin-when-cross-origin"
    headers.setdefault("Referrer-Policy", referrer)
    hsts = current_app.config.get("STRICT_TRANSPORT_SECURITY")
    if hsts and str(current_app.config.get("BASE_URL", "")).startswith("https://"):
        headers.setdefault("Strict-Transport-Security", hsts)
    return response


def install(app: Flask) -> None:
    """Give every response of ``app`` the security headers; templates get ``csp_nonce()``."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_set_headers)
