"""Helpers for handlers that match imported rows on an ID (see ``core.io.Sync``).

Kept apart from ``core.io`` (the contract) so that plugins share one way to compare
values, find their own rows and refer to packages from child sheets.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import lazyload

from core import audit
from core.catalogue.models import Package
from core.events import RowsChangedInBulk, emit
from core.extensions import db
from core.models import AuditLog, utcnow
from core.spreadsheets import line_breaks

UNKNOWN_ID = "onbekend ID: dit ID hoort niet bij een rij van uw organisatie"


def same(old: Any, new: Any) -> bool:
    """Whether an imported value equals the stored one (empty text equals None; CR LF equals LF)."""
    if type(old) is type(new) and old == new:  # the common case of an import without changes
        return True
    if isinstance(old, str) and old.strip() == "":
        old = None
    if isinstance(new, str) and new.strip() == "":
        new = None
    if isinstance(old, dt.datetime) and isinstance(new, dt.date) and not isinstance(new, dt.datetime):
        old = old.date()
    if isinstance(old, str) and isinstance(new, str):  # a spreadsheet's line breaks are LF, a browser's CR LF
        return line_breaks(old).strip() == line_breaks(new).strip()
    return old == new


_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def _as_number(label: str) -> str | None:
    """How a spreadsheet program shows ``label`` once it took it for a number ("1.0" -> "1", "2.10" -> "2.1").

    ``None`` when it is no plain decimal number ("2.0.1", "4.2-beta", "v3": text, left alone).
    """
    if not _DECIMAL.match(label):
        return None
    return format(Decimal(label).normalize(), "f")


def same_version_label(a: str | None, b: str | None) -> bool:
    """Whether two version labels name the same version, also after a spreadsheet program took one for a
    number ("1.0" and "1"; not "2.10" and "2.1", nor "2.0.1" and "2.0")."""
    if a is None or b is None:
        return a is b
    a, b = a.strip(), b.strip()
    if a.casefold() == b.casefold():
        return True
    for stored, imported in ((a, b), (b, a)):
        shown = _as_number(stored)
        if shown is not None and "." not in shown and shown == imported:
            return True
    return False


def version_label(sync, number: int, column: str, stored: str | None, imported: str | None) -> str | None:
    """The label to keep for a version matched on its ID, given the stored and the imported label.

    LibreOffice and Excel take a label such as "1.0" in a CSV for a number and save it as "1" (the same
    for "10.0", "2.00" and "007"; "2.0.1" stays text). When the imported label is exactly that, the stored one is
    kept: the version is unchanged. "2.1" for "2.10" is numerically the same too, but another version: it
    is imported as the file says, with a warning in the preview that a spreadsheet program may have
    dropped the zero.
    """
    if stored is None or imported is None or same(stored, imported):
        return imported
    shown = _as_number(stored.strip())
    if shown is None or shown != imported.strip():
        return imported
    if "." not in shown:  # "1.0" shown as "1": only zeros dropped, the same version
        return stored
    sync.warning(number, column, f"de versie '{stored}' wordt '{imported}'. Heeft een spreadsheetprogramma "
                                 f"de nul aan het eind weggelaten? Zet dan '{stored}' terug (als tekst) of "
                                 "laat de naam in het bestand ongewijzigd.")
    return imported


def apply_fields(obj, values: dict[str, Any], names: dict[str, str]) -> list[str]:
    """Set ``values`` (attribute -> new value) on ``obj``; return the column names that changed.

    ``names`` maps an attribute to the column name users see.
    """
    changed = []
    for attr, new in values.items():
        if not same(getattr(obj, attr), new):
            setattr(obj, attr, new)
            changed.append(names.get(attr, attr))
    return changed


def by_label(choices) -> dict[str, str]:
    """Dutch label -> stored value of a choice list."""
    return {label: value for value, label in choices}


def labels(choices) -> tuple[str, ...]:
    return tuple(label for _, label in choices)


class SeenIds:
    """Refuses an ID that occurs twice in one sheet."""

    def __init__(self):
        self.rows: dict[str, int] = {}

    def check(self, sync, number: int, column: str, value: str | None) -> bool:
        if value is None:
            return True
        first = self.rows.get(value)
        if first is not None:
            sync.error(number, column, f"dit ID staat ook al in rij {first}")
            return False
        self.rows[value] = number
        return True


class OwnPackages:
    """The importing organisation's packages, by public ID and by name (for child sheets)."""

    def __init__(self, organisation_id: int):
        rows = db.session.scalars(select(Package).where(Package.organisation_id == organisation_id)
                                  .options(lazyload("*"))).all()
        self.by_id = {p.public_id: p for p in rows}
        self.by_name: dict[str, list[Package]] = {}
        for p in rows:
            self.by_name.setdefault(p.name.strip().casefold(), []).append(p)

    def add(self, package: Package) -> None:
        self.by_id[package.public_id] = package
        self.by_name.setdefault(package.name.strip().casefold(), []).append(package)

    def resolve(self, sync, number: int, package_id: str | None, package_name: str | None,
                id_column: str = "Pakket ID", name_column: str = "Pakket Naam") -> Package | None:
        """The package a child row refers to, by ID or else by (own, unique) name; reports errors."""
        if package_id:
            package = self.by_id.get(package_id)
            if package is None:
                sync.error(number, id_column, UNKNOWN_ID)
            return package
        if not package_name:
            sync.error(number, id_column, f"vul '{id_column}' of '{name_column}' in")
            return None
        found = self.by_name.get(package_name.strip().casefold(), [])
        if len(found) == 1:
            return found[0]
        if not found:
            sync.error(number, name_column, f"uw organisatie heeft geen pakket met de naam '{package_name}'")
        else:
            sync.error(number, name_column, f"er zijn meerdere pakketten met de naam '{package_name}': vul "
                                             f"'{id_column}' in")
        return None


def split_list(value: str | None) -> list[str]:
    """Values of a cell that holds a list, separated by commas, semicolons or new lines."""
    if not value:
        return []
    parts = str(value).replace(";", ",").replace("\n", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


def join_list(values: Iterable[str]) -> str:
    return ", ".join(values)


class BulkRows:
    """Changes to many rows of one model without an ORM object per row.

    An import matches thousands of rows and changes few or all of them. Loading each
    as an ORM object costs memory and time; so handlers read the stored values as plain
    rows (``load``), compare, and hand the differences to ``update``/``delete``. They go
    out in batches: one executemany UPDATE (by primary key) or DELETE per batch, and the
    audit rows of the batch in one INSERT (the same entries as the ORM listener writes:
    ``gewijzigd`` with ``[old, new]`` per field, ``verwijderd``). Listeners that react to
    a flush do not see these rows: ``finish`` emits ``RowsChangedInBulk`` for them.
    """

    BATCH = 2000

    def __init__(self, model, organisation_id: int, user=None):
        self.model, self.organisation_id, self.user = model, organisation_id, user
        self._updates: list[dict] = []
        self._audit: list[dict] = []
        self._deletes: list[int] = []
        self.ids: set[int] = set()
        self._stamp = "changed_on" in model.__table__.c

    def load(self, *columns):
        """The organisation's rows as named tuples of ``id`` and ``columns`` (attribute names)."""
        model = self.model
        return db.session.execute(select(model.id, *(getattr(model, c) for c in columns))
                                  .where(model.organisation_id == self.organisation_id)).all()

    def update(self, pk: int, new: dict[str, Any], old: dict[str, Any]) -> None:
        values = dict(new, id=pk)
        if self._stamp:
            values["changed_on"] = utcnow()
        self._updates.append(values)
        self._audit.append(audit.entry("gewijzigd", object_type=self.model.__name__, object_id=pk,
                                       organisation_id=self.organisation_id, user=self.user,
                                       details={k: [old.get(k), v] for k, v in new.items()}))
        self.ids.add(pk)
        if len(self._updates) >= self.BATCH:
            self.flush()

    def delete(self, pk: int) -> None:
        self._deletes.append(pk)
        self._audit.append(audit.entry("verwijderd", object_type=self.model.__name__, object_id=pk,
                                       organisation_id=self.organisation_id, user=self.user))
        self.ids.add(pk)
        if len(self._deletes) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        session = db.session
        if self._updates:
            by_keys: dict[tuple, list[dict]] = {}
            for values in self._updates:  # one executemany per set of changed columns
                by_keys.setdefault(tuple(sorted(values)), []).append(values)
            for rows in by_keys.values():
                session.execute(update(self.model), rows)
            self._updates = []
        if self._deletes:
            for column in self._set_null_references():  # ON DELETE SET NULL, also where SQLite does not enforce it
                session.execute(update(column.table).where(column.in_(self._deletes)).values({column.name: None}))
            session.execute(delete(self.model).where(self.model.id.in_(self._deletes))
                            .execution_options(synchronize_session=False))
            self._deletes = []
        if self._audit:
            session.execute(insert(AuditLog.__table__), self._audit)
            self._audit = []

    def _set_null_references(self):
        table = self.model.__table__
        return [fk.parent for other in table.metadata.tables.values() for fk in other.foreign_keys
                if fk.column.table is table and (fk.ondelete or "").upper() == "SET NULL"]

    def finish(self) -> None:
        """Write what is pending and tell the listeners which rows changed."""
        self.flush()
        if self.ids:
            emit(RowsChangedInBulk(model=self.model.__name__, organisation_id=self.organisation_id,
                                   ids=tuple(sorted(self.ids)), actor_id=getattr(self.user, "id", None)))
