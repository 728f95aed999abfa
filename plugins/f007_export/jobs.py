"""A large export as a job (``core.jobs``): with a worker (Redis) the page does not wait for the file.

The file is written to the instance folder (``f007-exports``) under the job's id; the page
``/uitwisseling/export-taak/<id>`` shows how many rows are written and then offers the
download, to the user who asked for it only.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from flask import current_app

from core import jobs
from core.extensions import db
from core.io import NotAllowed
from core.models import ScgUser
from plugins.f007_export import exchange

STALE_SECONDS = 2 * 60 * 60


def export_dir() -> Path:
    folder = Path(current_app.instance_path) / "f007-exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_stale() -> None:
    cutoff = time.time() - STALE_SECONDS
    for path in export_dir().glob("*.*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def export_job(user_id: int, fmt: str, organisation_id: int | None, handler_name: str | None, key: str,
               scope_group: str = exchange.OFFERING.group) -> dict:
    """Write the export for ``user_id``; the result names the file, or the Dutch reason it was refused."""
    user = db.session.get(ScgUser, user_id)
    if user is None or not user.active:
        return {"error": "Deze gebruiker bestaat niet (meer)."}
    written = {"rows": 0}

    def progress(rows: int) -> None:
        written["rows"] += rows
        jobs.progress(written["rows"], None, f"{written['rows']} rijen geschreven")

    try:
        scope = exchange.LANDSCAPE if scope_group == exchange.LANDSCAPE.group else exchange.OFFERING
        export = exchange.make_export(user, fmt, organisation_id, handler_name, progress=progress, scope=scope)
    except (PermissionError, NotAllowed, ValueError) as exc:
        return {"error": str(exc)}
    target = export_dir() / f"{key}.{fmt}"
    shutil.move(export.path, target)  # the temporary file may be on another file system
    return {"file": target.name, "filename": export.filename, "mimetype": export.mimetype, "rows": export.rows}
