"""The OpenAPI description of ``/api/v1``: FAB's, completed so that it says what the API does.

FAB builds the description from the docstrings of its APIs. Where that description and
the answers disagree, ``complete_description`` corrects the description (the answers are
what clients already rely on):

- operations anyone may call (the public role, Bezoeker, holds their permission) are
  declared without authentication (``security: []``), the others with the JWT;
- every error an operation can answer is documented, as ``application/problem+json``
  (RFC 9457, the Dutch API Design Rules' error format; ``core.builtin.api_contract``
  writes them): 400, 401, 403, 404, 422 and 500 everywhere, 413 where a body is sent,
  429 on the login;
- FAB's envelope: ``id``/``ids`` are integers, ``_info``'s ``add_columns``/``edit_columns``
  are lists, a validation ``message`` is an object per field;
- ``q`` is rison (FAB's own query syntax, e.g. ``(page:0,page_size:25)``), not JSON: it is
  declared as a string with that syntax described;
- a PUT body requires no field: FAB merges it into the stored row (a partial update).

What FAB does not allow: FAB answers a list with ``count``/``ids``/``result`` (not the
ADR's ``_embedded``/HAL links) and pages with ``page``/``page_size`` inside ``q``; changing
that would mean replacing FAB's ModelRestApi, so it is described as it is.
"""

from __future__ import annotations

from flask import current_app
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_appbuilder.api.manager import OpenApi
from flask_appbuilder.const import PERMISSION_PREFIX

PROBLEM_MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Een fout volgens RFC 9457 (problem details); `message` is er ook, zoals FAB hem schrijft.",
    "required": ["title", "status"],
    "properties": {
        "type": {"type": "string", "description": "about:blank: de HTTP-status zegt wat er is."},
        "title": {"type": "string", "description": "Korte omschrijving van de fout (Nederlands)."},
        "status": {"type": "integer", "description": "De HTTP-statuscode."},
        "detail": {"type": "string", "description": "Wat er mis is en wat u kunt doen."},
        "message": {
            "description": "De melding: een tekst, of per veld de fouten (bij invoer die niet klopt).",
            "oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": True}],
        },
        "fouten": {
            "type": "array", "description": "Bij een import: de fouten per blad, rij en kolom.",
            "items": {"type": "object", "properties": {
                "blad": {"type": "string", "nullable": True}, "rij": {"type": "integer", "nullable": True},
                "kolom": {"type": "string", "nullable": True}, "melding": {"type": "string"}}},
        },
    },
    "additionalProperties": True,
}

ERROR_DESCRIPTIONS = {
    "400": "Ongeldig verzoek (bijvoorbeeld een zoekvraag q die geen rison is).",
    "401": "Niet ingelogd, of het token is ongeldig of verlopen.",
    "403": "Ingelogd, maar zonder recht op deze handeling of deze organisatie.",
    "404": "Niet gevonden (of niet zichtbaar voor u).",
    "413": "Wat u verstuurde is te groot.",
    "422": "De invoer klopt niet; `message` zegt per veld wat er mis is.",
    "429": "Te veel verzoeken achter elkaar; probeer het later opnieuw.",
    "500": "Er ging bij ons iets mis.",
}
ALWAYS = ("400", "401", "403", "404", "422", "500")

Q_DESCRIPTION = (
    "Zoekvraag in rison (de notatie van Flask-AppBuilder, geen JSON), bijvoorbeeld "
    "`(page:0,page_size:25,order_column:name,order_direction:asc,"
    "filters:!((col:name,opr:ct,value:zaak)))`. Onleesbare rison geeft 400."
)

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _operations_of(base_api: BaseApi):
    """(path, http method, permission name or None) of every operation FAB describes for ``base_api``."""
    for attr_name in dir(base_api):
        attr = getattr(base_api, attr_name)
        if not hasattr(attr, "_urls"):
            continue
        if base_api.include_route_methods is not None and attr_name not in base_api.include_route_methods:
            continue
        if attr_name in base_api.exclude_route_methods:
            continue
        permission = base_api.get_method_permission(attr_name)
        for url, methods in attr._urls:
            path = base_api.path_helper(path=url, operations={})
            for method in methods:
                yield path, method.lower(), permission


def _is_public(security_manager, base_api: BaseApi, permission: str | None) -> bool:
    if not permission:
        return True  # FAB does not protect it (e.g. the login)
    return security_manager.is_item_public(PERMISSION_PREFIX + permission, base_api.class_permission_name)


def _fix_envelope(schema: dict) -> None:
    """FAB's inline response schemas: integer ids, lists for _info's columns."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not props:
        return
    if props.get("id", {}).get("type") == "string":
        props["id"] = {**props["id"], "type": "integer"}
    ids = props.get("ids")
    if isinstance(ids, dict) and ids.get("items", {}).get("type") == "string":
        props["ids"] = {**ids, "items": {"type": "integer"}}
    for name in ("add_columns", "edit_columns"):
        if props.get(name, {}).get("type") == "object":
            props[name] = {"type": "array", "items": {"type": "object", "additionalProperties": True},
                           "description": "De velden van het formulier: naam, label, type, verplicht, keuzes."}


def _fix_parameters(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("name") == "q" and "content" in parameter:
            parameter.pop("content")
            parameter["schema"] = {"type": "string"}
            parameter["description"] = Q_DESCRIPTION


def _edits_require_nothing(schemas: dict) -> None:
    """FAB's PUT changes what is sent and keeps the rest (it merges the body into the row): no field
    of an edit body (``<Api>.put``) is required."""
    for name, schema in schemas.items():
        if name.endswith(".put") and isinstance(schema, dict):
            schema.pop("required", None)


def complete_description(spec: dict, operations: dict[tuple[str, str], bool]) -> dict:
    """Correct FAB's description ``spec`` in place; ``operations`` maps (path, method) to public."""
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    _edits_require_nothing(schemas)
    schemas["Problem"] = PROBLEM_SCHEMA
    components["responses"] = {
        code: {"description": text,
               "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        for code, text in ERROR_DESCRIPTIONS.items()}
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            public = operations.get((path, method), False)
            if public:
                operation["security"] = []
            else:
                operation["security"] = [{"jwt": []}]
            _fix_parameters(operation)
            responses = operation.setdefault("responses", {})
            for code, response in list(responses.items()):
                if str(code).isdigit() and int(code) >= 400:
                    responses.pop(code)
                    continue
                for media in (response.get("content") or {}).values():
                    _fix_envelope(media.get("schema", {}))
            codes = list(ALWAYS)
            if "requestBody" in operation:
                codes.append("413")
            if path.endswith("/security/login"):
                codes.append("429")
            for code in codes:
                responses[code] = {"$ref": f"#/components/responses/{code}"}
    # FAB declares an "api_key" scheme nobody can use: the API takes the JWT only.
    components.get("securitySchemes", {}).pop("api_key", None)
    return spec


class ProjectOpenApi(OpenApi):
    """``/api/<version>/_openapi``: FAB's description, completed by ``complete_description``.

    Same permission (``can_get`` on ``OpenApi``) as FAB's view it replaces
    (``FAB_ADD_OPENAPI_VIEWS`` is off).
    """

    class_permission_name = "OpenApi"

    @expose("/<version>/_openapi")
    @protect()
    @safe
    def get(self, version):
        """The OpenAPI description of one API version.
        ---
        get:
          description: >-
            De OpenAPI-beschrijving van deze API (openbaar).
          parameters:
          - in: path
            schema:
              type: string
            name: version
          responses:
            200:
              description: De OpenAPI-beschrijving
              content:
                application/json:
                  schema:
                    type: object
        """
        api_spec = self._create_api_spec(version)
        security_manager = current_app.appbuilder.sm
        operations: dict[tuple[str, str], bool] = {}
        found = False
        for base_api in current_app.appbuilder.baseviews:
            if isinstance(base_api, BaseApi) and base_api.version == version:
                base_api.add_api_spec(api_spec)
                found = True
                for path, method, permission in _operations_of(base_api):
                    operations[(path, method)] = _is_public(security_manager, base_api, permission)
        if not found:
            return self.response_404()
        return self.response(200, **complete_description(api_spec.to_dict(), operations))
