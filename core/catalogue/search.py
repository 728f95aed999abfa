"""Free-text search over packages, the same on SQLite and PostgreSQL.

``Package.search_text`` holds the package's name, short and long description and its
supplier's name, normalised: lower case, without accents and without punctuation
("e-Suite" -> "esuite", "Café" -> "cafe"). A search term is normalised the same way and
matched with LIKE, so neither the database's collation nor its case rules matter.

The text is kept up to date by a ``before_flush`` listener (:func:`install`, called at
app start): a new or changed package gets its text recomputed, and when an
organisation's name changes the texts of its packages follow.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import and_, event, inspect, select, true, update
from sqlalchemy.orm.attributes import set_committed_value

from core.catalogue.models import Package
from core.models import Organisation

MAX_TERMS = 10
MAX_QUERY_LENGTH = 200
_SPACES = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """Lower case, accents and punctuation removed, whitespace collapsed to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    kept = "".join(c for c in folded if c.isalnum() or c.isspace())
    return _SPACES.sub(" ", kept).strip()


def terms(query: str | None) -> list[str]:
    """The normalised words of a search query (at most ``MAX_TERMS``)."""
    words = (query or "")[:MAX_QUERY_LENGTH].split()
    found = []
    for word in words:
        term = normalise(word).replace(" ", "")
        if term and term not in found:
            found.append(term)
    return found[:MAX_TERMS]


def search_text(name, short_description, long_description, supplier_name) -> str:
    return " ".join(part for part in (normalise(name), normalise(short_description), normalise(long_description),
                                      normalise(supplier_name)) if part)


def text_clause(query: str | None):
    """SQL condition: every word of ``query`` occurs in the package's search text."""
    words = terms(query)
    if not words:
        return true()
    return and_(*(Package.search_text.like(f"%{word}%") for word in words))


# --------------------------------------------------------------------------- upkeep
def _supplier_name(session, package: Package) -> str | None:
    org = package.__dict__.get("organisation")
    if org is None and package.organisation_id is not None:
        org = session.get(Organisation, package.organisation_id)
    return org.name if org is not None else None


def refresh(session, package: Package) -> None:
    text = search_text(package.name, package.short_description, package.long_description,
                       _supplier_name(session, package))
    if package.search_text != text:
        package.search_text = text


def _before_flush(session, flush_context, instances):
    with session.no_autoflush:
        for obj in list(session.new) + list(session.dirty):
            if isinstance(obj, Package):
                refresh(session, obj)
        renamed = [obj.id for obj in session.dirty
                   if isinstance(obj, Organisation) and obj.id is not None
                   and inspect(obj).attrs.name.history.has_changes()]
    if renamed:
        session.info.setdefault("scg_search_renamed", set()).update(renamed)


def _after_flush(session, flush_context):
    renamed = session.info.pop("scg_search_renamed", None)
    if not renamed:
        return
    connection = session.connection()
    table, org = Package.__table__, Organisation.__table__
    rows = connection.execute(
        select(table.c.id, table.c.name, table.c.short_description, table.c.long_description, org.c.name)
        .join(org, org.c.id == table.c.organisation_id).where(table.c.organisation_id.in_(renamed))
    ).all()
    for pid, name, short, long_, supplier in rows:
        text = search_text(name, short, long_, supplier)
        # keep changed_on: a supplier's new name is no change of the package itself
        connection.execute(update(table).where(table.c.id == pid)
                           .values(search_text=text, changed_on=table.c.changed_on))
        loaded = session.identity_map.get(inspect(Package).identity_key_from_primary_key((pid,)))
        if loaded is not None:
            set_committed_value(loaded, "search_text", text)


def install(session_class) -> None:
    """Keep ``Package.search_text`` current in every session of ``session_class`` (once)."""
    if getattr(session_class, "_scg_search_installed", False):
        return
    session_class._scg_search_installed = True
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "after_flush", _after_flush)

