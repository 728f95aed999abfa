"""The API's side of its contract: errors as problem details, the completed OpenAPI description.

- Every error answer of ``/api/`` is ``application/problem+json`` (RFC 9457, as the Dutch
  API Design Rules ask): ``type``, ``title``, ``status`` and ``detail``, plus FAB's own
  ``message`` (and any other keys, such as an import's ``fouten``) kept for existing
  clients. FAB's English default messages become Dutch.
- ``/api/v1/_openapi`` is ``core.openapi.ProjectOpenApi`` (with FAB's Swagger UI).
"""

from __future__ import annotations

import json

from flask import current_app, request
from flask_appbuilder.api.manager import SwaggerView

from core.builtin.errors import MESSAGES
from core.openapi import PROBLEM_MEDIA_TYPE, ProjectOpenApi
from core.plugins import hookimpl

#: FAB's and flask-jwt-extended's English messages, and what a Dutch reader gets instead.
ENGLISH = {
    "Not found": MESSAGES[404][1],
    "Forbidden": MESSAGES[403][1],
    "Not authorized": "U bent niet ingelogd, of uw token is ongeldig of verlopen.",
    "Arguments are not correct": MESSAGES[400][1],
    "Could not process entity": "De invoer klopt niet.",
    "Fatal error": MESSAGES[500][1],
}
TOKEN_MESSAGE = "U bent niet ingelogd, of uw token is ongeldig of verlopen."


def as_problem(response):
    """An error answer of the API as problem details (a no-op for anything else)."""
    if response.status_code < 400 or not request.path.startswith("/api/"):
        return response
    if response.mimetype != "application/json" or response.direct_passthrough:
        return response
    try:
        body = json.loads(response.get_data(as_text=True) or "{}")
    except ValueError:
        return response
    if not isinstance(body, dict):
        body = {"message": body}
    message = body.get("message", body.pop("msg", None))
    if isinstance(message, str):
        message = ENGLISH.get(message, message)
    elif message is None:
        message = MESSAGES.get(response.status_code, MESSAGES[500])[1]
    title = MESSAGES.get(response.status_code, (response.status.split(" ", 1)[-1],))[0]
    detail = message if isinstance(message, str) else "De invoer klopt niet: zie message voor de fouten per veld."
    problem = {"type": "about:blank", "title": title, "status": response.status_code, "detail": detail,
               **body, "message": message}
    response.set_data(json.dumps(problem, ensure_ascii=False))
    response.headers["Content-Type"] = f"{PROBLEM_MEDIA_TYPE}; charset=utf-8"
    return response


@hookimpl
def register_views(appbuilder):
    app = current_app._get_current_object()
    app.after_request(as_problem)
    appbuilder.add_api(ProjectOpenApi)
    if app.config.get("FAB_API_SWAGGER_UI"):
        appbuilder.add_view_no_menu(SwaggerView)
