"""Import a GEMMA release: first a report of what would change, then apply it in one transaction.

Nothing is ever deleted: a concept or obligation that is no longer in the release is
marked ``in_release = False``, so every row that links to it stays valid. Importing the
same release twice reports "geen wijzigingen" and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from core.gemma.ameff import Concept, Release
from core.gemma.models import Referentiecomponent, Standaard, StandaardVerplichting, Standaardversie

# kind key -> (Dutch label, model)
CONCEPT_KINDS = {
    "referentiecomponenten": ("Referentiecomponenten", Referentiecomponent),
    "standaarden": ("Standaarden", Standaard),
    "standaardversies": ("Standaardversies", Standaardversie),
}
VERPLICHTINGEN = "verplichtingen"
LABELS = {**{k: v[0] for k, v in CONCEPT_KINDS.items()}, VERPLICHTINGEN: "Verplichtingen (verplicht/aanbevolen)"}
FIELD_LABELS = {"name": "naam", "description": "beschrijving", "gemma_status": "status",
                "in_release": "weer in de release",
                "element_identifier": "ArchiMate-identifier", "standaard": "standaard", "kind": "soort"}


@dataclass
class Change:
    key: object
    label: str
    fields: tuple[str, ...] = ()

    @property
    def fields_label(self) -> str:
        return ", ".join(FIELD_LABELS.get(f, f) for f in self.fields)


@dataclass
class KindReport:
    label: str
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class Report:
    kinds: dict[str, KindReport]

    @property
    def has_changes(self) -> bool:
        return any(k.has_changes for k in self.kinds.values())

    def counts(self) -> dict:
        return {key: {"toegevoegd": len(k.added), "gewijzigd": len(k.changed),
                      "niet meer in de release": len(k.removed), "ongewijzigd": k.unchanged}
                for key, k in self.kinds.items()}

    def lines(self) -> list[str]:
        """The report as Dutch text lines (for the command line)."""
        out = []
        for kind in self.kinds.values():
            out.append(f"{kind.label}: {len(kind.added)} toegevoegd, {len(kind.changed)} gewijzigd, "
                       f"{len(kind.removed)} niet meer in de release, {kind.unchanged} ongewijzigd")
            out += [f"  + {c.label}" for c in kind.added]
            out += [f"  ~ {c.label} ({c.fields_label})" for c in kind.changed]
            out += [f"  - {c.label}" for c in kind.removed]
        if not self.has_changes:
            out.append("Geen wijzigingen.")
        return out


def _values(concept: Concept) -> dict:
    return {"name": concept.name, "description": concept.description, "gemma_status": concept.status,
            "element_identifier": concept.identifier}


def _existing(session: Session):
    concepts = {key: {row.object_id: row for row in session.query(model)}
                for key, (_label, model) in CONCEPT_KINDS.items()}
    links = {(v.referentiecomponent.object_id, v.standaard.object_id): v
             for v in session.query(StandaardVerplichting)}
    return concepts, links


def _incoming(release: Release) -> dict[str, dict[str, Concept]]:
    return {"referentiecomponenten": release.referentiecomponenten, "standaarden": release.standaarden,
            "standaardversies": release.standaardversies}


def _concept_changes(row, concept: Concept, parent_of) -> tuple[str, ...]:
    fields = [name for name, value in _values(concept).items() if getattr(row, name) != value]
    if isinstance(row, Standaardversie):
        current = row.standaard.object_id if row.standaard is not None else None
        if current != parent_of(concept):
            fields.append("standaard")
    if not row.in_release:
        fields.append("in_release")
    return tuple(fields)


def diff(session: Session, release: Release) -> Report:
    """What importing ``release`` would change, without changing anything."""
    concepts, links = _existing(session)
    names = {oid: c.name for kind in _incoming(release).values() for oid, c in kind.items()}
    for kind in concepts.values():
        for oid, row in kind.items():
            names.setdefault(oid, row.name)
    report = Report({key: KindReport(LABELS[key]) for key in (*CONCEPT_KINDS, VERPLICHTINGEN)})
    for key, incoming in _incoming(release).items():
        _diff_concepts(report.kinds[key], concepts[key], incoming)
    _diff_links(report.kinds[VERPLICHTINGEN], links, release.verplichtingen, names)
    return report


def _diff_concepts(kind: KindReport, rows: dict, incoming: dict) -> None:
    for oid, concept in sorted(incoming.items(), key=lambda item: item[1].name.lower()):
        row = rows.get(oid)
        if row is None:
            kind.added.append(Change(oid, concept.name))
            continue
        fields = _concept_changes(row, concept, lambda c: c.standaard_object_id)
        if fields:
            label = concept.name if row.name == concept.name else f"{row.name} → {concept.name}"
            kind.changed.append(Change(oid, label, fields))
        else:
            kind.unchanged += 1
    for oid, row in sorted(rows.items(), key=lambda item: item[1].name.lower()):
        if oid not in incoming and row.in_release:
            kind.removed.append(Change(oid, row.name))


def _diff_links(kind: KindReport, links: dict, verplichtingen: dict, names: dict) -> None:
    def link_label(pair, obligation):
        return f"{names.get(pair[0], pair[0])} → {names.get(pair[1], pair[1])} ({obligation})"

    for pair, obligation in sorted(verplichtingen.items(), key=lambda item: link_label(*item)):
        row = links.get(pair)
        if row is None:
            kind.added.append(Change(pair, link_label(pair, obligation)))
        elif row.kind != obligation or not row.in_release:
            fields = tuple(f for f, differs in (("kind", row.kind != obligation),
                                               ("in_release", not row.in_release)) if differs)
            kind.changed.append(Change(pair, link_label(pair, obligation), fields))
        else:
            kind.unchanged += 1
    for pair, row in sorted(links.items(), key=lambda item: link_label(item[0], item[1].kind)):
        if pair not in verplichtingen and row.in_release:
            kind.removed.append(Change(pair, link_label(pair, row.kind)))


def apply(session: Session, release: Release) -> Report:
    """Bring the database in line with ``release``; the caller commits (one transaction)."""
    report = diff(session, release)
    if not report.has_changes:
        return report
    concepts, links = _existing(session)
    for key, incoming in _incoming(release).items():
        _apply_concepts(session, CONCEPT_KINDS[key][1], concepts[key], incoming)
    standaarden = concepts["standaarden"]
    for oid, concept in release.standaardversies.items():
        row = concepts["standaardversies"][oid]
        parent = standaarden.get(concept.standaard_object_id) if concept.standaard_object_id else None
        if row.standaard is not parent:
            row.standaard = parent
    _apply_links(session, links, release.verplichtingen, concepts["referentiecomponenten"], standaarden)
    session.flush()
    return report


def _apply_concepts(session: Session, model, rows: dict, incoming: dict) -> None:
    for oid, concept in incoming.items():
        row = rows.get(oid)
        if row is None:
            row = model(object_id=oid, in_release=True, **_values(concept))
            session.add(row)
            rows[oid] = row
            continue
        for name, value in _values(concept).items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        if not row.in_release:
            row.in_release = True
    for oid, row in rows.items():
        if oid not in incoming and row.in_release:
            row.in_release = False


def _apply_links(session: Session, links: dict, verplichtingen: dict, rcs: dict, standaarden: dict) -> None:
    for pair, obligation in verplichtingen.items():
        row = links.get(pair)
        if row is None:
            session.add(StandaardVerplichting(referentiecomponent=rcs[pair[0]], standaard=standaarden[pair[1]],
                                              kind=obligation, in_release=True))
            continue
        if row.kind != obligation:
            row.kind = obligation
        if not row.in_release:
            row.in_release = True
    for pair, row in links.items():
        if pair not in verplichtingen and row.in_release:
            row.in_release = False


def has_gemma_data(session: Session) -> bool:
    return session.query(Referentiecomponent.id).first() is not None
