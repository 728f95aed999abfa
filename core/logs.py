"""Logging: readable lines by default, one JSON object per line with ``LOG_FORMAT=json``; a request id.

Every request gets an id: the incoming ``X-Request-ID`` header when it is short and made of
safe characters (a proxy or load balancer in front sets it), else a new random one. It is
sent back as ``X-Request-ID`` and is part of every log record written during the request,
so one request's lines can be found across workers and the proxy.

``LOG_FORMAT=json`` writes each record as one JSON object (``time``, ``level``, ``logger``,
``message``, and within a request ``request_id``, ``method``, ``path``, ``user_id``; the
request line adds ``status`` and ``duration_ms``; an error adds ``exception``). Users are
named by their id, never by e-mail address. In JSON mode the app writes one line per
request itself (logger ``softwarecatalogus.request``, not for ``/gezond`` and ``/ready``);
``gunicorn.conf.py`` then leaves out gunicorn's plain access log. The plain default keeps
``LOG_LEVEL`` (WARNING) for the app and its libraries, so FAB's INFO lines stay out.

Logging is process-wide: the last app built in a process sets the format.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
REQUEST_LOGGER = "softwarecatalogus.request"
LIBRARY_LOGGERS = ("flask_appbuilder", "alembic", "softwarecatalogus")
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CONTEXT_FIELDS = ("request_id", "method", "path", "user_id")
_REQUEST_FIELDS = ("status", "duration_ms")


def valid_request_id(value: str | None) -> str | None:
    """The header's value when it is a usable id (at most 64 of A-Z a-z 0-9 . _ -), else None."""
    if value and REQUEST_ID_RE.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _user_id():
    user = g.get("user")
    if user is not None and getattr(user, "is_authenticated", False):
        return getattr(user, "id", None)
    return None


class RequestContextFilter(logging.Filter):
    """Adds the request's id, method, path and user id to records written during a request."""

    def filter(self, record):
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = g.get("request_id")
            record.method = request.method
            record.path = request.path
            record.user_id = _user_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in _CONTEXT_FIELDS + _REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """Readable lines; within a request the request id is appended."""

    def __init__(self):
        super().__init__(PLAIN_FORMAT)

    def format(self, record):
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{line} [request {request_id}]" if request_id else line


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (as logging's last resort does)."""

    scg_handler = True

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if str(log_format).lower() == "json" else PlainFormatter()


def configure(level: str, log_format: str = "plain") -> None:
    """Set the level of the app and its libraries and the format of the process's log output.

    Like ``logging.basicConfig``, a process whose logging is already set up elsewhere keeps its
    own handlers; JSON is written whenever it is asked for.
    """
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "scg_handler", False)]
    wants_json = str(log_format).lower() == "json"
    if not ours and (wants_json or not root.handlers):
        ours = [_StderrHandler()]
        ours[0].addFilter(RequestContextFilter())
        root.addHandler(ours[0])
    for handler in ours:
        handler.setFormatter(formatter(log_format))
    root.setLevel(level)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(level)
    # JSON: the app writes the request lines (gunicorn's access log is off); plain: gunicorn's is.
    numeric = logging.getLevelName(str(level).upper())
    numeric = numeric if isinstance(numeric, int) else logging.WARNING
    logging.getLogger(REQUEST_LOGGER).setLevel(logging.INFO if wants_json else max(numeric, logging.WARNING))


def _start_request():
    g.request_id = valid_request_id(request.headers.get(REQUEST_ID_HEADER)) or uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    from core.health import PATHS

    started = g.get("request_started")
    if started is not None and request.path not in PATHS:
        duration = round((time.perf_counter() - started) * 1000, 1)
        logging.getLogger(REQUEST_LOGGER).info(
            "%s %s %s %.1f ms", request.method, request.path, response.status_code, duration,
            extra={"request_id": request_id, "method": request.method, "path": request.path,
                   "user_id": _user_id(), "status": response.status_code, "duration_ms": duration})
    return response


def install(app) -> None:
    """The request id before every other ``before_request`` function, the header and request line after."""
    configure(app.config.get("LOG_LEVEL", "WARNING"), app.config.get("LOG_FORMAT", "plain"))
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_finish_request)


def gunicorn_logconfig(log_format: str) -> dict | None:
    """gunicorn's own log lines as JSON too (``logconfig_dict``), or None for its defaults."""
    if str(log_format).lower() != "json":
        return None
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
        "handlers": {"error_console": handler},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
        "root": {"level": "INFO", "handlers": []},
    }
