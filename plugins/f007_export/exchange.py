"""F007: what the page, the API and the CLI share: make an export file, read an upload,
preview or apply it, and make the error report.

A workbook (XLSX) holds every sheet of the "aanbod" group the user may use; a CSV holds
one handler (by default "Aanbod per pakketversie", the format of the current
catalogue). An uploaded XLSX is matched sheet by sheet on the sheet names; a CSV on its
column names.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field

from flask import current_app

from core import io as core_io
from core import spreadsheets
from core.extensions import db
from core.files import UploadRejected
from core.io import HEADER_ROW, IOHandler, Outcome, RowError, numbered
from core.models import Organisation

GROUP = "aanbod"
DEFAULT_CSV = "aanbod-pakketversies"


@dataclass(frozen=True)
class Scope:
    """What one exchange page offers: the handlers of a workbook group and who chooses which organisation."""

    group: str
    default_csv: str
    stem: str  # file name of a workbook: "<stem>-<organisation>.xlsx"
    org_types: tuple[str, ...]  # what global roles choose from
    everyone: bool = False  # global roles may export every organisation at once (core.io.ALL_ORGANISATIONS)


OFFERING = Scope(GROUP, DEFAULT_CSV, "aanbod", ("leverancier",))
#: F013's landscape (handler group "gebruik"): the legacy landscape CSV, all landscapes for VNG.
LANDSCAPE = Scope("gebruik", "gebruik-landschap", "applicatielandschap", ("gemeente", "samenwerking"),
                  everyone=True)
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv; charset=utf-8"}


def max_bytes() -> int:
    return int(current_app.config["F007_MAX_BYTES"])


def max_rows() -> int:
    return int(current_app.config["F007_MAX_ROWS"])


def csv_handlers(user, scope: Scope = OFFERING) -> list[IOHandler]:
    return [h for h in core_io.handlers_for(user) if h.group == scope.group]


def workbook_handlers(user, scope: Scope = OFFERING) -> list[IOHandler]:
    return core_io.group_handlers(user, scope.group)


@dataclass
class ExportFile:
    path: str
    filename: str
    mimetype: str
    rows: int

    def discard(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "organisatie"


def make_export(user, fmt: str, organisation_id: int | None = None, handler_name: str | None = None,
                progress=None, scope: Scope = OFFERING) -> ExportFile:
    """Write the export to a temporary file (constant memory) and record it in the audit log.

    Raises PermissionError when the user may not export that organisation or handler.
    """
    if fmt not in FORMATS:
        raise ValueError("Kies xlsx of csv.")
    org_id = core_io.export_organisation(user, organisation_id)
    everyone = scope.everyone and org_id == core_io.ALL_ORGANISATIONS
    org = db.session.get(Organisation, org_id) if org_id and not everyone else None
    if org is None and not everyone:
        raise PermissionError("Kies de organisatie waarvan u het aanbod wilt exporteren." if scope is OFFERING
                              else "Kies de organisatie waarvan u de gegevens wilt exporteren.")
    if fmt == "xlsx":
        handlers = workbook_handlers(user, scope)
    else:
        name = handler_name or scope.default_csv
        handlers = [h for h in csv_handlers(user, scope) if h.name == name]
    if not handlers:
        raise PermissionError("U mag deze gegevens niet exporteren.")
    handle, path = tempfile.mkstemp(prefix="scg-export-", suffix="." + fmt)
    os.close(handle)
    try:
        with open(path, "wb") as out:
            if fmt == "xlsx":
                rows = spreadsheets.write_xlsx([(h, h.iter_rows(user, org_id)) for h in handlers], out,
                                               progress=progress)
            else:
                rows = spreadsheets.write_csv(handlers[0], handlers[0].iter_rows(user, org_id), out,
                                              progress=progress)
        core_io.record_export(user, handlers, None if everyone else org_id, rows, fmt)  # (None: every one)
    except BaseException:
        os.unlink(path)
        raise
    label = scope.stem if fmt == "xlsx" else handlers[0].name
    who = _slug(org.name) if org is not None else "alle-organisaties"
    return ExportFile(path, f"{label}-{who}.{fmt}", FORMATS[fmt], rows)


# --- import --------------------------------------------------------------------------------
@dataclass
class Upload:
    kind: str  # xlsx or csv
    parts: list  # (handler, rows iterable)
    headers: dict  # handler name -> header
    tables: dict  # handler name -> spreadsheets.Table
    skipped: list = field(default_factory=list)  # sheet names that match no handler
    rows: int = 0


def read(user, data: bytes, scope: Scope = OFFERING) -> Upload:
    """Parse an upload and match its sheets to the handlers the user may import into."""
    kind, tables = spreadsheets.read_upload(data, max_bytes(), max_rows())
    upload = Upload(kind, [], {}, {})
    if kind == "xlsx":
        by_sheet = {h.sheet: h for h in workbook_handlers(user, scope) if h.may_import(user)}
        for table in tables:
            handler = by_sheet.get(table.name)
            if handler is None:
                upload.skipped.append(table.name)
                continue
            upload.parts.append((handler, table.rows))
            upload.headers[handler.name] = table.header
            upload.tables[handler.name] = table
            upload.rows += len(table)
        if not upload.parts:
            raise UploadRejected("De werkmap heeft geen blad met een bekende naam ("
                                 + ", ".join(by_sheet) + "). Gebruik een export van de catalogus als basis.")
    else:
        table = tables[0]
        handler = _csv_handler(user, table.header, scope)
        upload.parts.append((handler, table.rows))
        upload.headers[handler.name] = table.header
        upload.tables[handler.name] = table
        upload.rows = len(table)
    total = sum(len(t) for t in upload.tables.values())
    if total > max_rows():
        raise UploadRejected(f"Het bestand heeft te veel rijen: maximaal {max_rows():,}.".replace(",", "."))
    return upload


def _csv_handler(user, header: list[str], scope: Scope = OFFERING) -> IOHandler:
    present = set(header)
    best, best_score = None, 0
    for handler in csv_handlers(user, scope):
        if not handler.may_import(user):
            continue
        needed = {c.name for c in handler.file_columns}
        if needed <= present:
            score = len(present & set(handler.column_names))
            if score > best_score:
                best, best_score = handler, score
    if best is None:
        raise UploadRejected("De kolommen van dit CSV-bestand passen bij geen enkele export. Gebruik een export van "
                             "de catalogus als basis en verander de kolomnamen niet.")
    return best


def run(user, data: bytes, apply: bool, remove_missing: bool = False, progress=None,
        expected_state: int | None = None, scope: Scope = OFFERING, choices: dict | None = None
        ) -> tuple[Upload, Outcome]:
    """Preview or apply ``data``; ``expected_state``: the preview's ``outcome.state`` (see core.io.run_import);
    ``choices``: the answers to the preview's questions."""
    upload = read(user, data, scope)
    outcome = core_io.run_import(user, upload.parts, apply=apply, remove_missing=remove_missing,
                                 headers=upload.headers, progress=progress, expected_state=expected_state,
                                 choices=choices)
    return upload, outcome


def error_report(user, data: bytes, errors: list[RowError], scope: Scope = OFFERING) -> ExportFile:
    """The uploaded file again, with a column "Fouten" that says what is wrong in each row."""
    upload = read(user, data, scope)
    by_sheet: dict[tuple, list[str]] = {}
    for e in errors:
        text = (f"{e.column}: {e.message}" if e.column else e.message)
        # a header error is shown on the first data row
        by_sheet.setdefault((e.sheet, max(e.row, HEADER_ROW + 1)), []).append(
            ("Kopregel – " if e.row == HEADER_ROW else "") + text)
    sheets = []
    for handler, _ in upload.parts:
        table = upload.tables[handler.name]

        def rows(table=table, handler=handler):
            for number, row in numbered(table.rows):
                row = dict(row)
                row[spreadsheets.ERROR_COLUMN] = "; ".join(by_sheet.get((handler.sheet, number), []))
                yield row
        sheets.append((handler, rows()))
    handle, path = tempfile.mkstemp(prefix="scg-fouten-", suffix="." + upload.kind)
    os.close(handle)
    with open(path, "wb") as out:
        if upload.kind == "xlsx":
            spreadsheets.write_xlsx(sheets, out, extra={h.name: (spreadsheets.ERROR_COLUMN,) for h, _ in sheets})
        else:
            spreadsheets.write_csv(sheets[0][0], sheets[0][1], out, extra=(spreadsheets.ERROR_COLUMN,))
    return ExportFile(path, f"fouten.{upload.kind}", FORMATS[upload.kind], len(errors))
