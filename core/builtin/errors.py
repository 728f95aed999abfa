"""Dutch error pages (and JSON for the API) for what a person can run into."""

from __future__ import annotations

import logging
import re

from flask import current_app, g, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.plugins import hookimpl

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Controleer wat u invulde en probeer het opnieuw."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina bestaat niet (meer), of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze handeling kan niet op deze manier worden uitgevoerd."),
    413: ("Te groot", "Wat u verstuurde is te groot."),
    429: ("Te veel verzoeken", "U heeft dit te vaak achter elkaar gedaan. Wacht even en probeer het later opnieuw."),
    500: ("Er ging iets mis", "Er ging bij ons iets mis. Probeer het later opnieuw; blijft het misgaan, mail dan VNG."),
}
CSRF_MESSAGE = ("De pagina was verlopen of het formulier is niet vanaf deze site verstuurd. "
                "Ga terug, laad de pagina opnieuw en probeer het nog eens.")


NUL_MESSAGE = ("Wat u verstuurde bevat tekens die niet zijn toegestaan (een NUL-teken). "
               "Er is niets opgeslagen; haal het teken weg en probeer het opnieuw.")


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul_characters():
    """No NUL character reaches a form, a query or the database (PostgreSQL refuses them)."""
    texts = [v for _key, values in request.args.lists() for v in values]
    if request.method in ("POST", "PUT", "PATCH"):
        texts += [v for _key, values in request.form.lists() for v in values]
        if request.is_json:
            texts.append(request.get_json(silent=True))
    if any(_has_nul(t) for t in texts):
        return render_error(400, NUL_MESSAGE)
    return None


#: The ids a database row can have: the project's id columns are ``Integer``, a signed
#: 32-bit integer on PostgreSQL (SQLite's are 64-bit, but the same bound on both keeps the
#: answers the same). Beyond it PostgreSQL refuses the value and SQLite overflows at 2^63.
MIN_ID, MAX_ID = -(2**31), 2**31 - 1
_ID_TEXT = re.compile(r"-?[0-9]{1,10}")


def is_possible_id(value) -> bool:
    """Whether ``value`` (a URL's pk or int argument) can be the id of a row."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return MIN_ID <= value <= MAX_ID
    if isinstance(value, str):
        return bool(_ID_TEXT.fullmatch(value)) and MIN_ID <= int(value) <= MAX_ID
    return True


def refuse_impossible_ids():
    """A URL naming an id no row can have is "not found", before the id reaches the
    database (where 2^63 and more overflow: a 500 on SQLite and PostgreSQL)."""
    for key, value in (request.view_args or {}).items():
        if (isinstance(value, int) or key == "pk") and not is_possible_id(value):
            allowed = _methods_of_fixed_routes()
            if allowed:  # e.g. PUT /api/v1/pakketten/_info: _info exists, for GET only
                response = current_app.make_response(render_error(405))
                response.headers["Allow"] = ", ".join(sorted(allowed))
                return response
            return render_error(404)
    return None


def allow_only_real_routes(response):
    """OPTIONS lists the methods of this URL; not those of an id route it matches only
    by taking a word for an id (``OPTIONS /pakketten/_info`` is GET, not PUT of row "_info")."""
    if request.method != "OPTIONS" or "Allow" not in response.headers:
        return response
    adapter = current_app.url_map.bind_to_environ(request.environ)
    kept = []
    for method in (m.strip() for m in response.headers["Allow"].split(",")):
        try:
            _rule, args = adapter.match(method=method, return_rule=True)
        except HTTPException:
            kept.append(method)
            continue
        if "pk" in args and not is_possible_id(args["pk"]):
            continue
        kept.append(method)
    response.headers["Allow"] = ", ".join(kept)
    return response


def _methods_of_fixed_routes() -> set[str]:
    """The methods of routes without an id that match this URL (``/_info`` against ``/<pk>``)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed: set[str] = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        if method == request.method:
            continue
        try:
            rule, _args = adapter.match(method=method, return_rule=True)
        except HTTPException:
            continue
        if "pk" not in rule.arguments:
            allowed |= set(rule.methods or ())
    return allowed


def _not_found_instead_of_405(error: HTTPException) -> bool:
    """A 405 for an item URL whose id can never exist (``/pakketten/-5``, ``/pakketten/abc``)
    while the method exists for real ids: that is "not found" (FAB routes GET with
    ``<int:pk>`` and PUT/DELETE with ``<pk>``, so such a GET matched only PUT/DELETE)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in getattr(error, "valid_methods", None) or ():
        try:
            rule, args = adapter.match(method=method, return_rule=True)
        except HTTPException:
            continue
        pk = args.get("pk")
        if pk is None or (is_possible_id(pk) and not str(pk).startswith("-")):
            continue
        try:
            probe = adapter.build(rule.endpoint, {**args, "pk": 1}, method=method)
            adapter.match(probe.split("?", 1)[0], method=request.method)
        except HTTPException:
            continue
        return True
    return False


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    message = message or default
    if _wants_json():
        return jsonify(message=message), code
    appbuilder = current_app.appbuilder
    if not hasattr(g, "user"):  # an error before FAB's before_request (e.g. CSRF) ran
        g.user = current_user
    return render_template("scg/error.html", code=code, title=title, message=message,
                           appbuilder=appbuilder, base_template=appbuilder.base_template), code


def handle_csrf(error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def handle_http(error: HTTPException):
    if error.code not in MESSAGES or error.code == 500:
        return error
    if error.code == 405:
        if _not_found_instead_of_405(error):
            return render_error(404)
        response, code = render_error(405)
        response = current_app.make_response((response, code))
        for name, value in error.get_headers():
            if name.lower() == "allow":
                response.headers[name] = value
        return response
    return render_error(error.code)


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http(error)
    log.exception("Unhandled error on %s", request.path)
    return render_error(500)


@hookimpl(tryfirst=True)
def register_views(appbuilder):
    app = current_app._get_current_object()
    app.before_request(refuse_nul_characters)
    app.before_request(refuse_impossible_ids)
    app.after_request(allow_only_real_routes)
    app.register_error_handler(CSRFError, handle_csrf)
    for code in MESSAGES:
        if code != 500:
            app.register_error_handler(code, handle_http)
    if not app.config.get("PROPAGATE_EXCEPTIONS") and not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
    app.register_error_handler(500, lambda e: render_error(500))
