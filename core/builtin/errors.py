"""Dutch error pages (and JSON for the API) for what a person can run into."""

from __future__ import annotations

import logging

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
    app.register_error_handler(CSRFError, handle_csrf)
    for code in MESSAGES:
        if code != 500:
            app.register_error_handler(code, handle_http)
    if not app.config.get("PROPAGATE_EXCEPTIONS") and not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
    app.register_error_handler(500, lambda e: render_error(500))
