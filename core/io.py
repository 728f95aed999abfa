"""Export and import handlers: the contract between plugins and F007 (Export en import).

A plugin offers spreadsheet-like data through the ``io_handlers`` hook: one
``IOHandler`` per entity, e.g. "the supplier's packages, one row per package". A
handler says which columns a row has (with the names users know), who may use it,
how to read the rows of one organisation and how to match imported rows against
them. F007 turns rows into CSV, Excel or ArchiMate files and back
(``core.spreadsheets`` is the one CSV/XLSX writer and reader); the handler never
sees a file. ``core.io_sync`` holds helpers that handlers share (comparing values,
refusing an ID twice, finding the own packages from a child sheet).

Export: ``export_rows(user, organisation_id)`` yields the rows of that
organisation as dicts keyed by column name. ``iter_rows(user, organisation_id)``
checks the role, decides the organisation (``export_organisation``: the own one;
global roles may choose) and yields exactly the declared columns, in order, one
row at a time (nothing a handler happens to put in a row leaks into a file).
``record_export`` writes the audit row.

Import (an edited export goes back in): ``sync_rows(sync, rows)`` (see ``Sync``)
gets the converted rows and matches them on their ID within
``sync.organisation_id`` (the importing user's own organisation): a row without ID
is created, an ID of another organisation is the row error "onbekend ID", and rows
the file does not name are removed only when ``sync.remove_missing``.
``run_import`` converts every value against its column, checks the header (every
editable column present, no unknown ones), runs the handlers in ``order`` in one
transaction and either rolls back (a preview, or any error: nothing changes) or
commits and records the import in the audit log. ``Outcome`` holds the counts
(create, change, unchanged, remove), every ``RowError`` (sheet, row, column,
Dutch message) and the warnings (same shape; they refuse nothing). A handler without ``sync_rows`` is export only.

Only users whose role is in ``roles`` (and the Functioneel beheerder) get a handler
from ``handlers_for`` and may export or import with it. ``sheet``/``group``/``order``
place a handler in a workbook; ``Column.read_only`` marks exported information that
an import ignores.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from flask import current_app
from sqlalchemy import func, select

from core import audit, maintenance
from core.extensions import db
from core.roles import FUNCTIONEEL_BEHEERDER, ROLES, all_roles

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
    read_only: bool = False  # exported for information; ignored on import
    width: int | None = None  # spreadsheet column width in characters (None: from name and type)
    optional: bool = False  # an editable column a file may leave out (a municipality's own inventory)
    aliases: tuple[tuple[str, str], ...] = ()  # other accepted spellings -> allowed value ("in_productie")

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Column {self.name!r}: unknown type {self.type!r}; use one of {TYPES}")
        if self.allowed_values is not None:
            object.__setattr__(self, "allowed_values", tuple(self.allowed_values))

    def parse(self, value: Any) -> Any:
        """The value converted to this column's type; raises ValueError with a Dutch message."""
        if self.type == "text" and type(value) is str and self.allowed_values is None:  # most cells
            result = value.strip()
            if result:
                return result
            if self.required:
                raise ValueError("is verplicht")
            return None
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if self.required:
                raise ValueError("is verplicht")
            return None
        return self._parse_value(value)

    def _parse_value(self, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a spreadsheet stores 4 as 4.0
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
        return self._allowed(result)


    def _allowed(self, text: Any) -> Any:
        """``text`` as one of the allowed values: ignoring case and spaces, or through an alias (a code)."""
        if self.allowed_values is None or text in self.allowed_values:
            return text
        folded = " ".join(str(text).split()).casefold()
        for value in self.allowed_values or ():
            if value.casefold() == folded:
                return value
        for alias, value in self.aliases:
            if alias.casefold() == folded:
                return value
        raise ValueError(f"moet een van deze waarden zijn: {', '.join(self.allowed_values)}")


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) >= 19 and text[10] in " T" and text[11:19] in ("00:00:00",):
        text = text[:10]  # a date a spreadsheet saved as midnight
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"moet een datum zijn (jjjj-mm-dd of dd-mm-jjjj), niet '{value}'")


def capitalised(text: str) -> str:
    """``text`` with a capital first letter (the rest as it is: "is verplicht" -> "Is verplicht")."""
    return text[:1].upper() + text[1:]


HEADER_ROW = 1  # rows are numbered as a spreadsheet program shows them: the header is row 1


def numbered(rows: Iterable) -> Iterator[tuple[int, Any]]:
    """``(row number, row)`` for a sheet's data rows: the first data row is row 2 (after the header).

    The one row numbering of imports: the rows a handler gets, its error messages, the preview page, the
    error report, the API and the CLI all use these numbers, the ones a spreadsheet program shows.
    """
    return enumerate(rows, start=HEADER_ROW + 1)


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (``numbered``): the header is row 1, the first data row 2
    column: str | None
    message: str
    sheet: str | None = None  # the sheet (handler) of a workbook import

    def __post_init__(self):
        # A message is shown on its own (the "Melding" column, the error report, the API's
        # "melding"), so it starts as a sentence does, whoever assembled it.
        object.__setattr__(self, "message", capitalised(self.message))

    def __str__(self) -> str:
        where = f"rij {self.row}" + (f", kolom '{self.column}'" if self.column else "")
        if self.sheet:
            where = f"blad '{self.sheet}', {where}"
        return f"{capitalised(where)}: {self.message}"

    @property
    def file_row(self) -> int:
        """The row number a spreadsheet program shows (the same as ``row``)."""
        return self.row

    def as_dict(self) -> dict:
        """The error as the API reports it."""
        return {"blad": self.sheet, "rij": self.row, "kolom": self.column, "melding": self.message}


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

    name: str  # unique machine name, e.g. "aanbod-pakketten"
    entity: str  # what a row is, e.g. "Pakket" (recorded in the audit log)
    label: str  # Dutch, for people: "Pakketten"
    columns: tuple[Column, ...]
    roles: frozenset[str]
    export_rows: Callable[[Any, int | None], Iterable[dict]]  # (user, organisation_id) -> rows
    sync_rows: Callable[["Sync", Iterable[tuple[int, dict]]], None] | None = None  # None: export only
    description: str = ""
    sheet: str | None = None  # sheet name in a workbook of ``group`` (None: CSV only)
    group: str | None = None  # handlers exported together as one workbook, e.g. "aanbod"
    order: int = 100  # position in the workbook and import order (parents first)
    import_roles: frozenset[str] | None = None  # who may import (None: ``roles``); others only export
    _names: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "roles", frozenset(self.roles))
        names = tuple(c.name for c in self.columns)
        if len(set(names)) != len(names):
            raise ValueError(f"IOHandler {self.name!r}: duplicate column names")
        object.__setattr__(self, "_names", names)

    @property
    def column_names(self) -> tuple[str, ...]:
        return self._names

    @property
    def file_columns(self) -> tuple[Column, ...]:
        """The editable columns a file must have (``optional`` ones may be left out)."""
        return tuple(c for c in self.editable_columns if not c.optional)

    def may_import(self, user) -> bool:
        if self.sync_rows is None:
            return False
        if self.import_roles is None:
            return self.allowed_for(user)
        names = role_names(user)
        return FUNCTIONEEL_BEHEERDER in names or bool(names & self.import_roles)

    @property
    def can_import(self) -> bool:
        return self.sync_rows is not None

    @property
    def editable_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.read_only)

    def iter_rows(self, user, organisation_id: int | None = None) -> Iterator[dict]:
        """The rows to export, one at a time (constant memory), with exactly the declared columns."""
        self._require(user)
        names = self._names
        for row in self.export_rows(user, export_organisation(user, organisation_id)):
            yield {name: row.get(name) for name in names}

    def allowed_for(self, user) -> bool:
        names = role_names(user)
        return FUNCTIONEEL_BEHEERDER in names or bool(names & self.roles)

    def _require(self, user) -> None:
        if not self.allowed_for(user):
            raise NotAllowed(self)


def collect_handlers(app_or_pm=None) -> list[IOHandler]:
    """Every handler of every plugin of an app (or plugin manager); names must be unique."""
    target = app_or_pm if app_or_pm is not None else current_app
    pm = target.extensions["scg_plugins"] if hasattr(target, "extensions") else target
    # core's roles and this app's plugin roles (register_roles)
    roles = target.extensions.get("scg_roles", ROLES) if hasattr(target, "extensions") else all_roles()
    handlers: list[IOHandler] = []
    for result in pm.hook.io_handlers():
        for handler in result or []:
            if not isinstance(handler, IOHandler):
                raise TypeError(f"io_handlers must return core.io.IOHandler objects, got {handler!r}")
            unknown = handler.roles - set(roles)
            if unknown:
                raise ValueError(f"IOHandler {handler.name!r}: unknown roles {sorted(unknown)}")
            handlers.append(handler)
    names = [h.name for h in handlers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"IOHandler names used twice: {duplicates}")
    return sorted(handlers, key=lambda h: h.label)


def handlers_for(user, app=None) -> list[IOHandler]:
    """The handlers this user may use."""
    return [h for h in collect_handlers(app) if h.allowed_for(user)]


# --- matching imports: preview and apply -----------------------------------------------
class ImportConflict(RuntimeError):
    """Another import of the same organisation was applied after this one's preview: nothing was imported."""

    def __init__(self):
        super().__init__("Er is intussen een andere import voor uw organisatie uitgevoerd, na uw voorbeeld. Er is "
                         "niets geïmporteerd: upload het bestand opnieuw om te zien wat er nu nog verandert.")


def import_state(organisation_id: int) -> int:
    """Which applied import the organisation's rows are at (the audit id of the last one; 0: none yet).

    A preview remembers it; the apply refuses when another import came in between, so two people
    confirming the same file at the same moment create its new rows once, not twice.
    """
    from core.models import AuditLog

    return db.session.scalar(select(func.max(AuditLog.id)).where(
        AuditLog.action == "import", AuditLog.result == "gelukt", AuditLog.organisation_id == organisation_id)) or 0


def _lock_organisation(organisation_id: int) -> None:
    """Serialise applies per organisation: a row lock on PostgreSQL (SQLite has one writer at a time)."""
    from core.models import Organisation

    db.session.execute(select(Organisation.id).where(Organisation.id == organisation_id).with_for_update())


class NoOrganisation(PermissionError):
    def __init__(self):
        super().__init__("U kunt alleen importeren voor uw eigen organisatie, en u hoort bij geen organisatie.")


#: ``export_organisation``'s value for "every organisation" (global roles only; e.g. all landscapes).
ALL_ORGANISATIONS = 0


def export_organisation(user, requested: int | None) -> int | None:
    """The organisation whose rows ``user`` exports: the own one; global roles may choose any
    (or ``ALL_ORGANISATIONS``, for a handler that exports every organisation's rows)."""
    from core.tenancy import current_organisation_id, sees_all_organisations

    own = current_organisation_id(user)
    if requested is None or requested == own:
        return own
    if FUNCTIONEEL_BEHEERDER in role_names(user) or sees_all_organisations(user):
        return requested
    raise PermissionError("U kunt alleen gegevens van uw eigen organisatie exporteren.")


@dataclass
class Outcome:
    """What an import does (preview) or did (apply), over all its sheets."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    applied: bool = False
    per_sheet: dict = field(default_factory=dict)  # sheet -> {"created": n, ...}
    state: int = 0  # the organisation's import_state when this ran (see run_import)
    changes: list[tuple[str | None, int, str, str]] = field(default_factory=list)  # sheet, row, what, columns
    warnings: list[RowError] = field(default_factory=list)  # worth a look, but no reason to refuse the file
    questions: list["Question"] = field(default_factory=list)  # choices the preview offers (``Sync.choose``)
    missing: int = 0  # rows the file does not name that ``remove_missing`` would remove (counted either way)

    @property
    def no_changes(self) -> bool:
        return not self.errors and self.created == self.changed == self.removed == 0

    def as_dict(self) -> dict:
        return {"nieuw": self.created, "gewijzigd": self.changed, "ongewijzigd": self.unchanged,
                "verwijderd": self.removed, "fouten": len(self.errors), "rijen": self.rows,
                "toegepast": self.applied,
                "foutmeldingen": [e.as_dict() for e in self.errors[:1000]],
                "waarschuwingen": [w.as_dict() for w in self.warnings[:1000]]}


@dataclass(frozen=True)
class Question:
    """A choice the preview offers for one row (e.g. which of the near matches is meant).

    ``key`` names it in the confirm form; ``options`` are ``(value, label)`` pairs; ``chosen`` is the value the
    import used: the user's pick (``run_import(choices=...)``) or else ``default``.
    """

    key: str
    sheet: str | None
    row: int
    column: str | None
    text: str
    options: tuple[tuple[str, str], ...]
    default: str
    chosen: str


def question_key(sheet: str | None, row: int) -> str:
    return f"keuze-{sheet or 'csv'}-{row}".replace(" ", "_")


class Sync:
    """The handler's side of one sheet's import: it reports per row what it did.

    A handler's ``sync_rows(sync, rows)`` gets the converted rows as ``(number, row)`` pairs (an iterator: read it
    once; the session is flushed every ``FLUSH_EVERY`` rows) and, for each row, matches it on its ID within
    ``sync.organisation_id`` and creates, changes or leaves it, calling ``created``/``changed``/``unchanged`` or
    ``error`` (an ID of another organisation is "onbekend ID", never a change). When ``sync.remove_missing`` it
    removes the organisation's rows the file does not name and calls ``removed`` for each. It writes through
    ``db.session`` and never commits: ``run_import`` rolls a preview back and commits an apply only without errors.
    """

    def __init__(self, handler: IOHandler, user, organisation_id: int, remove_missing: bool, outcome: Outcome,
                 choices: dict | None = None, header: Iterable[str] | None = None):
        self.handler, self.user, self.organisation_id = handler, user, organisation_id
        self.remove_missing = remove_missing
        self._outcome = outcome
        self._choices = dict(choices or {})
        self._header = None if header is None else {str(h) for h in header if h is not None}
        self.counts = {"created": 0, "changed": 0, "unchanged": 0, "removed": 0, "errors": 0}

    def _count(self, key: str) -> None:
        self.counts[key] += 1
        setattr(self._outcome, key, getattr(self._outcome, key) + 1)

    def created(self, row: int, what: str = "") -> None:
        self._count("created")
        if len(self._outcome.changes) < 1000:
            self._outcome.changes.append((self.handler.sheet, row, "nieuw", what))

    def changed(self, row: int, columns: Iterable[str], what: str = "") -> None:
        self._count("changed")
        if len(self._outcome.changes) < 1000:
            self._outcome.changes.append((self.handler.sheet, row, "gewijzigd", f"{what}: " + ", ".join(columns)))

    def unchanged(self, row: int) -> None:
        self._count("unchanged")

    def removed(self, what: str = "") -> None:
        self._count("removed")
        if len(self._outcome.changes) < 1000:
            self._outcome.changes.append((self.handler.sheet, None, "verwijderd", what))

    def error(self, row: int, column: str | None, message: str) -> None:
        self.counts["errors"] += 1
        self._outcome.errors.append(RowError(row, column, message, self.handler.sheet))

    def warning(self, row: int, column: str | None, message: str) -> None:
        """Something the user should check before confirming; the row is imported all the same."""
        self._outcome.warnings.append(RowError(row, column, message, self.handler.sheet))

    def has_column(self, name: str) -> bool:
        """Whether the file has column ``name`` (an ``optional`` column left out must change nothing)."""
        return self._header is None or name in self._header

    def missing(self, count: int) -> None:
        """``count`` rows the file does not name (removed only when ``remove_missing``; the preview says so)."""
        self._outcome.missing += count

    def choose(self, row: int, column: str | None, text: str, options: Iterable[tuple[str, str]],
               default: str) -> str:
        """The value the user picked for this row in the preview (``default`` until then); shown as a question.

        The preview lists every question with its options; the confirm sends the picks back and the import uses
        them (a value that is not among ``options`` counts as no pick).
        """
        options = tuple(options)
        key = question_key(self.handler.sheet, row)
        picked = self._choices.get(key)
        chosen = picked if picked in {value for value, _ in options} else default
        self._outcome.questions.append(Question(key, self.handler.sheet, row, column, capitalised(text), options,
                                                default, chosen))
        return chosen


def check_header(handler: IOHandler, header: Iterable[str]) -> list[RowError]:
    """Problems with a file's column names: every editable column must be there, no unknown ones."""
    present = [h for h in header if h is not None and str(h).strip() != ""]
    errors = [RowError(HEADER_ROW, name, "onbekende kolom", handler.sheet)
              for name in present if name not in handler._names]
    errors += [RowError(HEADER_ROW, c.name, "deze kolom ontbreekt in het bestand", handler.sheet)
               for c in handler.file_columns if c.name not in present]
    return errors


FLUSH_EVERY = 2000  # rows between flushes: keeps the unit of work (and the audit snapshot) small


def _convert(handler: IOHandler, rows: Iterable[dict], outcome: Outcome, progress=None
             ) -> Iterator[tuple[int, dict]]:
    """The converted rows one at a time, numbered as the spreadsheet numbers them (``numbered``); errors go to
    ``outcome``; flushes the session now and then."""
    errors = outcome.errors
    editable = handler.editable_columns
    for number, row in numbered(rows):
        if progress is not None:
            progress(1)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row.values()):
            continue  # an empty line
        out, ok = {}, True
        for column in editable:
            try:
                out[column.name] = column.parse(row.get(column.name))
            except ValueError as exc:
                errors.append(RowError(number, column.name, str(exc), handler.sheet))
                ok = False
        if ok:
            outcome.rows += 1
            if outcome.rows % FLUSH_EVERY == 0:
                db.session.flush()
            yield number, out


def _check_importable(user, parts: list[tuple[IOHandler, Iterable[dict]]]) -> None:
    """Raise unless the user may import every sheet and every handler can sync rows."""
    for handler, _ in parts:
        handler._require(user)
        if not handler.may_import(user):
            raise NotAllowed(handler)


def _import_sheet(handler: IOHandler, rows: Iterable[dict], user, org_id: int, remove_missing: bool,
                  outcome: Outcome, headers: dict | None, progress=None, choices: dict | None = None) -> None:
    """Convert and check one sheet's rows and sync them (not after a header error) into ``outcome``."""
    if headers is not None and handler.name in headers:
        outcome.errors.extend(check_header(handler, headers[handler.name]))
    good = _convert(handler, rows, outcome, progress)
    sync = Sync(handler, user, org_id, remove_missing, outcome, choices,
                headers.get(handler.name) if headers is not None else None)
    if not any(e.row == HEADER_ROW and e.sheet == handler.sheet for e in outcome.errors):
        handler.sync_rows(sync, good)
        db.session.flush()
    for _ in good:  # (header errors: still report every wrong value)
        pass
    outcome.per_sheet[handler.sheet or handler.label] = dict(sync.counts)


def _finish_import(user, parts: list[tuple[IOHandler, Iterable[dict]]], org_id: int, outcome: Outcome, *,
                   apply: bool) -> Outcome:
    """Roll back a preview or a rejected apply (raising ``ImportRejected``); commit and audit a good apply."""
    if not apply or outcome.errors:
        db.session.rollback()
        if apply:
            raise ImportRejected(outcome.errors)
        return outcome
    audit.record(db.session, "import", object_type=",".join(h.entity for h, _ in parts), user=user,
                 organisation_id=org_id,
                 details={"handlers": [h.name for h, _ in parts], "nieuw": outcome.created,
                          "gewijzigd": outcome.changed, "ongewijzigd": outcome.unchanged,
                          "verwijderd": outcome.removed})
    db.session.commit()
    outcome.applied = True
    maintenance.analyze_after_bulk(outcome.created + outcome.changed + outcome.removed)
    return outcome


def _record_failed_import(user, parts: list[tuple[IOHandler, Iterable[dict]]], org_id: int,
                          exc: Exception) -> None:
    audit.record(db.session, "import", object_type=",".join(h.entity for h, _ in parts), user=user,
                 organisation_id=org_id, result="mislukt",
                 details={"handlers": [h.name for h, _ in parts], "fout": str(exc)[:500]})
    db.session.commit()


def run_import(user, parts: list[tuple[IOHandler, Iterable[dict]]], *, apply: bool, remove_missing: bool = False,
               headers: dict | None = None, progress=None, expected_state: int | None = None,
               choices: dict | None = None) -> Outcome:
    """Preview (``apply=False``) or apply an import of one or more sheets, in one transaction.

    Every value is converted and checked, then each handler's ``sync_rows`` runs in
    ``order``. A preview always rolls back; an apply commits only when no sheet has an
    error and raises ``ImportRejected`` otherwise, so a file with any error changes
    nothing. The apply is recorded in the audit log.

    Applies of one organisation run one at a time. ``outcome.state`` is the organisation's
    ``import_state`` the preview saw; an apply given it as ``expected_state`` raises
    ``ImportConflict`` (and changes nothing) when another import was applied since.

    ``choices``: the user's answers to the preview's questions (``Sync.choose``), by ``Question.key``.
    """
    from core.tenancy import current_organisation_id

    org_id = current_organisation_id(user)
    if org_id is None:
        raise NoOrganisation()
    outcome = Outcome()
    parts = sorted(parts, key=lambda p: p[0].order)
    _check_importable(user, parts)
    if apply:
        _lock_organisation(org_id)
    outcome.state = import_state(org_id)
    if apply and expected_state is not None and outcome.state != expected_state:
        db.session.rollback()
        raise ImportConflict()
    try:
        for handler, rows in parts:
            _import_sheet(handler, rows, user, org_id, remove_missing, outcome, headers, progress, choices)
        return _finish_import(user, parts, org_id, outcome, apply=apply)
    except ImportRejected:
        raise
    except Exception as exc:
        db.session.rollback()
        if apply:
            _record_failed_import(user, parts, org_id, exc)
        raise


def record_export(user, handlers: Iterable[IOHandler], organisation_id: int | None, rows: int, fmt: str) -> None:
    audit.record(db.session, "export", object_type=",".join(h.entity for h in handlers), user=user,
                 organisation_id=organisation_id,
                 details={"handlers": [h.name for h in handlers], "rijen": rows, "formaat": fmt})
    db.session.commit()


def group_handlers(user, group: str, app=None) -> list[IOHandler]:
    """The handlers of a workbook group this user may use, in workbook order."""
    return sorted((h for h in handlers_for(user, app) if h.group == group and h.sheet), key=lambda h: h.order)
