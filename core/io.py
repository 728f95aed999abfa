"""Export and import handlers: the contract between plugins and F007 (Export en import).

A plugin offers spreadsheet-like data through the ``io_handlers`` hook: one
``IOHandler`` per entity, e.g. "the supplier's offering, one row per package
version". A handler says which columns a row has (with the names users know),
who may use it, how to read the rows a user may export and how to import rows
back. F007 turns rows into CSV, Excel or ArchiMate files and back; the handler
never sees a file.

What core guarantees around a handler:

- only users whose role is in ``roles`` (and the Functioneel beheerder) get it
  from ``handlers_for`` and may call ``export``/``import_``;
- ``export`` returns exactly the declared columns, in order (nothing a handler
  happens to put in a row leaks into a file);
- ``import_`` converts and checks every value against its column first and
  imports nothing if any row is wrong (``ImportRejected`` lists every problem in
  Dutch, with row number and column);
- exports and imports are recorded in the audit log.

What the handler guarantees: ``export_rows(user)`` yields only rows of the
user's own organisation (or what a global role may see) and ``import_rows(user,
rows)`` writes only into the user's own organisation. The rows it receives are
dicts keyed by column name with converted values (None for an empty cell).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from flask import current_app

from core import audit
from core.extensions import db
from core.roles import FUNCTIONEEL_BEHEERDER, ROLES

TYPES = ("text", "integer", "date", "boolean", "url")
TRUE_WORDS = {"ja", "j", "waar", "true", "1", "yes"}
FALSE_WORDS = {"nee", "n", "onwaar", "false", "0", "no"}
URL_RE = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    """One column of a handler's rows, as users see it in a spreadsheet."""

    name: str
    type: str = "text"
    required: bool = False
    allowed_values: tuple[str, ...] | None = None
    help: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Column {self.name!r}: unknown type {self.type!r}; use one of {TYPES}")

    def parse(self, value: Any) -> Any:
        """The value converted to this column's type; raises ValueError with a Dutch message."""
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if self.required:
                raise ValueError("is verplicht")
            return None
        if self.type == "text":
            result: Any = str(value).strip()
        elif self.type == "integer":
            try:
                result = int(str(value).strip())
            except ValueError:
                raise ValueError(f"moet een geheel getal zijn, niet '{value}'") from None
        elif self.type == "date":
            result = _parse_date(value)
        elif self.type == "boolean":
            word = str(value).strip().lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                raise ValueError(f"moet ja of nee zijn, niet '{value}'")
            result = word in TRUE_WORDS
        else:  # url
            result = str(value).strip()
            if not URL_RE.match(result):
                raise ValueError(f"moet een webadres zijn dat begint met https://, niet '{value}'")
        if self.allowed_values is not None and result not in self.allowed_values:
            raise ValueError(f"moet een van deze waarden zijn: {', '.join(self.allowed_values)}")
        return result


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"moet een datum zijn (jjjj-mm-dd of dd-mm-jjjj), niet '{value}'")


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the first data row (the header is row 0)
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"rij {self.row}" + (f", kolom '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


class ImportRejected(ValueError):
    """Nothing was imported; ``errors`` says why, per row and column."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class NotAllowed(PermissionError):
    def __init__(self, handler: "IOHandler"):
        super().__init__(f"U mag '{handler.label}' niet gebruiken.")


def role_names(user) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return {r.name for r in user.roles}


@dataclass(frozen=True)
class IOHandler:
    """An exportable (and optionally importable) table of one entity."""

    name: str  # unique machine name, e.g. "aanbod"
    entity: str  # what a row is, e.g. "Pakketversie"
    label: str  # Dutch, for people: "Aanbod (pakketversies)"
    columns: tuple[Column, ...]
    roles: frozenset[str]
    export_rows: Callable[[Any], Iterable[dict]]
    import_rows: Callable[[Any, list[dict]], Any] | None = None  # None: export only
    description: str = ""
    _names: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "roles", frozenset(self.roles))
        names = tuple(c.name for c in self.columns)
        if len(set(names)) != len(names):
            raise ValueError(f"IOHandler {self.name!r}: duplicate column names")
        unknown = self.roles - set(ROLES)
        if unknown:
            raise ValueError(f"IOHandler {self.name!r}: unknown roles {sorted(unknown)}")
        object.__setattr__(self, "_names", names)

    @property
    def column_names(self) -> tuple[str, ...]:
        return self._names

    @property
    def can_import(self) -> bool:
        return self.import_rows is not None

    def allowed_for(self, user) -> bool:
        names = role_names(user)
        return FUNCTIONEEL_BEHEERDER in names or bool(names & self.roles)

    def _require(self, user) -> None:
        if not self.allowed_for(user):
            raise NotAllowed(self)

    def export(self, user) -> list[dict]:
        """The user's rows with exactly the declared columns, in order; recorded in the audit log."""
        self._require(user)
        rows = [{name: row.get(name) for name in self._names} for row in self.export_rows(user)]
        audit.record(db.session, "export", object_type=self.entity, user=user,
                     details={"handler": self.name, "rijen": len(rows)})
        db.session.commit()
        return rows

    def validate(self, rows: Iterable[dict]) -> tuple[list[dict], list[RowError]]:
        """Convert every value; return the converted rows and every problem found."""
        parsed, errors = [], []
        for number, row in enumerate(rows, start=1):
            unknown = [k for k in row if k not in self._names]
            for key in unknown:
                errors.append(RowError(number, key, "onbekende kolom"))
            out = {}
            for column in self.columns:
                try:
                    out[column.name] = column.parse(row.get(column.name))
                except ValueError as exc:
                    errors.append(RowError(number, column.name, str(exc)))
            parsed.append(out)
        return parsed, errors

    def import_(self, user, rows: Iterable[dict]) -> Any:
        """Check all rows, then hand them to ``import_rows`` in one transaction; all or nothing."""
        self._require(user)
        if not self.can_import:
            raise NotAllowed(self)
        parsed, errors = self.validate(rows)
        if errors:
            raise ImportRejected(errors)
        try:
            result = self.import_rows(user, parsed)
            audit.record(db.session, "import", object_type=self.entity, user=user,
                         details={"handler": self.name, "rijen": len(parsed)})
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            audit.record(db.session, "import", object_type=self.entity, user=user, result="mislukt",
                         details={"handler": self.name, "fout": str(exc)[:500]})
            db.session.commit()
            raise
        return result


def collect_handlers(app_or_pm=None) -> list[IOHandler]:
    """Every handler of every plugin of an app (or plugin manager); names must be unique."""
    target = app_or_pm if app_or_pm is not None else current_app
    pm = target.extensions["scg_plugins"] if hasattr(target, "extensions") else target
    handlers: list[IOHandler] = []
    for result in pm.hook.io_handlers():
        for handler in result or []:
            if not isinstance(handler, IOHandler):
                raise TypeError(f"io_handlers must return core.io.IOHandler objects, got {handler!r}")
            handlers.append(handler)
    names = [h.name for h in handlers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"IOHandler names used twice: {duplicates}")
    return sorted(handlers, key=lambda h: h.label)


def handlers_for(user, app=None) -> list[IOHandler]:
    """The handlers this user may use."""
    return [h for h in collect_handlers(app) if h.allowed_for(user)]


# --- CSV in the format people already use: ';' separated, UTF-8 with BOM ----------
def to_csv(handler: IOHandler, rows: Iterable[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(handler.column_names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in handler.column_names])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def from_csv(data: bytes) -> list[dict]:
    """Rows of a ';'-separated UTF-8 CSV (with or without BOM), keyed by the header."""
    text = data.decode("utf-8-sig")
    return [dict(row) for row in csv.DictReader(io.StringIO(text), delimiter=";")]
