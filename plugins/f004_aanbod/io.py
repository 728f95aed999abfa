"""Export and import of the supplier's offering (F004) through ``core.io`` handlers.

- "Aanbod per pakketversie": the CSV people know from the current catalogue, one row
  per package version, columns as in the domain description.
- The workbook "aanbod": one sheet each for packages, modules, versions,
  referentiecomponent links and standard claims (F005 adds services).

Rows match on their ID (``public_id``) within the importing organisation; a row
without ID is created; an ID of another organisation is "onbekend ID". Export reads
only the chosen organisation's own rows.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from core.catalogue.models import (
    ACTIVE_USAGE_STATUSES,
    CLOUD_MODELS,
    DATA_LOCATIONS,
    LICENCE_TYPES,
    PACKAGE_STATUSES,
    SPDX_LICENCES,
    VERSION_STATUSES,
    Module,
    Package,
    StandardClaim,
    Usage,
    Version,
    label,
    package_referentiecomponent,
)
from core.extensions import db
from core.gemma.models import Referentiecomponent, Standaard, Standaardversie
from core.io import Column, IOHandler
from core.io_sync import (
    UNKNOWN_ID,
    BulkRows,
    OwnPackages,
    SeenIds,
    apply_fields,
    by_label,
    join_list,
    labels,
    same,
    split_list,
    version_label,
)
from core.models import Organisation
from core.roles import AANBOD_BEHEERDER

GROUP = "aanbod"
ROLES = frozenset({AANBOD_BEHEERDER})
CHUNK = 2000
VERSION_STATUS = by_label(VERSION_STATUSES)
CLOUD = by_label(CLOUD_MODELS)
LOCATION = by_label(DATA_LOCATIONS)
LICENCE = by_label(LICENCE_TYPES)

ID_HELP = "Laat leeg voor een nieuwe rij; verander een bestaand ID niet."
PACKAGE_REF_HELP = "Het pakket van deze rij. Voor een nieuw pakket uit dit bestand: laat leeg en vul 'Pakket Naam' in."


def _packages(organisation_id):
    return db.session.scalars(select(Package).where(Package.organisation_id == organisation_id)
                              .order_by(Package.name, Package.id)).all()


def _usage_counts(organisation_id) -> tuple[dict, dict]:
    """Active municipalities per package and per version of this organisation's packages."""
    per_package, per_version = {}, {}
    rows = db.session.execute(
        select(Usage.package_id, Usage.version_id, func.count(Usage.id))
        .join(Package, Package.id == Usage.package_id)
        .where(Package.organisation_id == organisation_id, Usage.status.in_(ACTIVE_USAGE_STATUSES))
        .group_by(Usage.package_id, Usage.version_id))
    for package_id, version_id, n in rows:
        per_package[package_id] = per_package.get(package_id, 0) + n
        if version_id is not None:
            per_version[version_id] = per_version.get(version_id, 0) + n
    return per_package, per_version


def _links(organisation_id) -> dict[int, list[Referentiecomponent]]:
    links = defaultdict(list)
    rows = db.session.execute(
        select(package_referentiecomponent.c.package_id, Referentiecomponent)
        .join(Referentiecomponent, Referentiecomponent.id == package_referentiecomponent.c.referentiecomponent_id)
        .join(Package, Package.id == package_referentiecomponent.c.package_id)
        .where(Package.organisation_id == organisation_id).order_by(Referentiecomponent.name))
    for package_id, rc in rows:
        links[package_id].append(rc)
    return links


def _claims(organisation_id) -> dict[int, list[StandardClaim]]:
    claims = defaultdict(list)
    for claim in db.session.scalars(select(StandardClaim).where(StandardClaim.organisation_id == organisation_id)
                                    .options(selectinload(StandardClaim.standaardversie)
                                             .selectinload(Standaardversie.standaard))):
        claims[claim.package_id].append(claim)
    return claims


def _day(value):
    return value.date() if value is not None else None


# ========================================================================================
# "Aanbod per pakketversie": the CSV of the current catalogue
# ========================================================================================
FLAT_COLUMNS = (
    Column("Leverancier Naam", read_only=True, help="Naam van uw organisatie."),
    Column("Leverancier ID", read_only=True, help="Nummer van uw organisatie in de catalogus."),
    Column("Pakket Naam", required=True, help="Naam van het pakket. Een nieuwe naam zonder Pakket ID maakt een "
           "nieuw pakket (concept)."),
    Column("Pakket ID", help=ID_HELP),
    Column("Pakket Beschrijving", help="Korte omschrijving van het pakket (maximaal 255 tekens)."),
    Column("Pakket URL productpagina", type="url", help="Webadres van de productpagina, met https://."),
    Column("Pakket aantal gemeenten", type="integer", read_only=True,
           help="Aantal gemeenten dat het pakket gebruikt."),
    Column("Mutatiedatum pakket", type="date", read_only=True, help="Laatste wijziging van het pakket."),
    Column("Pakketversie Naam", help="Versie, bijvoorbeeld 4.2. Leeg: een pakket zonder versie."),
    Column("Pakketversie ID", help=ID_HELP),
    Column("Pakketversie Status", allowed_values=labels(VERSION_STATUSES), help="Status van de versie."),
    Column("Pakketversie Beschrijving", help="Wat er in deze versie nieuw is."),
    Column("Start ontwikkeling", type="date", help="Datum (jjjj-mm-dd)."),
    Column("Start test", type="date", help="Datum (jjjj-mm-dd)."),
    Column("Start distributie", type="date", help="Datum (jjjj-mm-dd)."),
    Column("Pakketversie aantal gemeenten", type="integer", read_only=True,
           help="Aantal gemeenten dat deze versie gebruikt."),
    Column("Mutatiedatum pakketversie", type="date", read_only=True, help="Laatste wijziging van de versie."),
    Column("Referentiecomponenten leverancier", read_only=True,
           help="GEMMA-referentiecomponenten van het pakket (wijzigen op het blad Referentiecomponenten)."),
    Column("Referentiecomponenten leverancier UUID", read_only=True,
           help="GEMMA Object ID's van die referentiecomponenten."),
    Column("Ondersteuning standaardversies", read_only=True,
           help="Standaardversies die het pakket ondersteunt (wijzigen op het blad Standaarden)."),
)


def export_flat(user, organisation_id):
    """One row per version (a package without versions: one row without version), streamed."""
    if organisation_id is None:
        return
    org = db.session.get(Organisation, organisation_id)
    per_package, per_version = _usage_counts(organisation_id)
    links, claims = _links(organisation_id), _claims(organisation_id)
    query = (select(Package, Version).outerjoin(Version, Version.package_id == Package.id)
             .where(Package.organisation_id == organisation_id)
             .order_by(Package.name, Package.id, Version.name).execution_options(yield_per=CHUNK))
    base, current = None, None
    for package, version in db.session.execute(query):
        if package.id != current:
            current = package.id
            base = {
                "Leverancier Naam": org.name, "Leverancier ID": str(org.id), "Pakket Naam": package.name,
                "Pakket ID": package.public_id, "Pakket Beschrijving": package.short_description,
                "Pakket URL productpagina": package.website,
                "Pakket aantal gemeenten": per_package.get(package.id, 0),
                "Mutatiedatum pakket": _day(package.changed_on),
                "Referentiecomponenten leverancier": join_list(rc.name for rc in links.get(package.id, [])),
                "Referentiecomponenten leverancier UUID": join_list(rc.object_id for rc in links.get(package.id, [])),
                "Ondersteuning standaardversies": join_list(sorted(_claim_name(c) for c in claims.get(package.id, []))),
            }
        yield base if version is None else {**base, **_version_values(version, per_version)}


def _version_values(version, per_version) -> dict:
    return {
        "Pakketversie Naam": version.name, "Pakketversie ID": version.public_id,
        "Pakketversie Status": label(VERSION_STATUSES, version.status),
        "Pakketversie Beschrijving": version.description, "Start ontwikkeling": version.start_development,
        "Start test": version.start_test, "Start distributie": version.start_distribution,
        "Pakketversie aantal gemeenten": per_version.get(version.id, 0),
        "Mutatiedatum pakketversie": _day(version.changed_on),
    }


def _claim_name(claim) -> str:
    sv = claim.standaardversie
    if sv.standaard is not None and not sv.name.startswith(sv.standaard.name):
        return f"{sv.standaard.name} {sv.name}"
    return sv.name


PACKAGE_FLAT = {"name": "Pakket Naam", "short_description": "Pakket Beschrijving",
                "website": "Pakket URL productpagina"}
VERSION_FLAT = {"name": "Pakketversie Naam", "status": "Pakketversie Status",
                "description": "Pakketversie Beschrijving", "start_development": "Start ontwikkeling",
                "start_test": "Start test", "start_distribution": "Start distributie"}


def new_package(sync, packages: OwnPackages, name: str) -> Package:
    package = Package(organisation_id=sync.organisation_id, name=name, status="concept")
    db.session.add(package)
    db.session.flush()  # the public_id and id exist from here
    packages.add(package)
    return package


class _FlatSync:
    """``sync_flat``: one row per version, so a package's values repeat on each of its rows."""

    def __init__(self, sync):
        self.sync = sync
        self.packages = OwnPackages(sync.organisation_id)
        self.versions = {v.public_id: v for v in db.session.scalars(
            select(Version).where(Version.organisation_id == sync.organisation_id))}
        self.names = defaultdict(set)  # package id -> casefolded version names
        for v in self.versions.values():
            self.names[v.package_id].add(v.name.casefold())
        self.package_seen: dict[int, tuple[int, dict]] = {}  # package id -> (first row, package values)
        self.new_by_name: dict[str, Package] = {}
        self.seen_versions = SeenIds()
        self.kept_versions = set()

    def run(self, rows) -> None:
        for number, row in rows:
            self.sync_row(number, row)
        if self.sync.remove_missing:
            self.remove_missing()

    def sync_row(self, number: int, row: dict) -> None:
        sync = self.sync
        package_values = {"name": row["Pakket Naam"], "short_description": row["Pakket Beschrijving"],
                          "website": row["Pakket URL productpagina"]}
        if package_values["short_description"] and len(package_values["short_description"]) > 255:
            sync.error(number, "Pakket Beschrijving", "mag maximaal 255 tekens lang zijn")
            return
        found = self.package_of(number, row)
        if found is None:
            return
        package, created_package = found
        package_changed = self.apply_package(number, package, package_values)
        if package_changed is None:
            return
        if not self.seen_versions.check(sync, number, "Pakketversie ID", row["Pakketversie ID"]):
            return
        version_result = self.sync_version(number, row, package)
        if version_result is None:
            return
        changed, what = version_result
        if created_package:
            sync.created(number, f"pakket {package.name}")
        elif changed or package_changed:
            sync.changed(number, package_changed + changed, what)
        else:
            sync.unchanged(number)

    def package_of(self, number: int, row: dict) -> tuple[Package, bool] | None:
        """The row's package and whether it was created now; ``None`` (an error) for an unknown ID."""
        if row["Pakket ID"]:
            package = self.packages.by_id.get(row["Pakket ID"])
            if package is None:
                self.sync.error(number, "Pakket ID", UNKNOWN_ID)
                return None
            return package, False
        key = row["Pakket Naam"].casefold()
        package = self.new_by_name.get(key)
        if package is not None:
            return package, False
        package = new_package(self.sync, self.packages, row["Pakket Naam"])
        self.new_by_name[key] = package
        return package, True

    def apply_package(self, number: int, package: Package, package_values: dict) -> list[str] | None:
        """Set the package's values on its first row; on later rows they must repeat them (else ``None``)."""
        first = self.package_seen.get(package.id)
        if first is None:
            self.package_seen[package.id] = (number, package_values)
            return apply_fields(package, package_values, PACKAGE_FLAT)
        differs = [PACKAGE_FLAT[a] for a, v in package_values.items() if not same(first[1][a], v)]
        for column in differs:
            self.sync.error(number, column, f"verschilt van rij {first[0]} van hetzelfde pakket")
        return None if differs else []

    def sync_version(self, number: int, row: dict, package: Package) -> tuple[list[str], str] | None:
        """Change, create or leave the row's version: ``(changed columns, what)``, or ``None`` once reported."""
        version_id, version_name = row["Pakketversie ID"], row["Pakketversie Naam"]
        version_values = {"name": version_name, "status": VERSION_STATUS.get(row["Pakketversie Status"]),
                          "description": row["Pakketversie Beschrijving"],
                          "start_development": row["Start ontwikkeling"], "start_test": row["Start test"],
                          "start_distribution": row["Start distributie"]}
        if version_id:
            changed = self.change_version(number, version_id, version_values, package)
            return None if changed is None else (changed, f"{package.name} {version_values['name']}")
        if version_name:
            self.create_version(number, version_values, package)
            return None
        return [], package.name

    def change_version(self, number: int, version_id: str, version_values: dict, package: Package
                       ) -> list[str] | None:
        """Apply the values to an existing version: the changed columns, or ``None`` after an error."""
        sync, version_name = self.sync, version_values["name"]
        version = self.versions.get(version_id)
        if version is None:
            sync.error(number, "Pakketversie ID", UNKNOWN_ID)
            return None
        if version.package_id != package.id:
            sync.error(number, "Pakket ID", "deze versie hoort bij een ander pakket")
            return None
        if not version_name:
            sync.error(number, "Pakketversie Naam", "is verplicht bij een bestaande versie")
            return None
        if version_values["status"] is None:
            sync.error(number, "Pakketversie Status", "is verplicht")
            return None
        version_name = version_values["name"] = version_label(sync, number, "Pakketversie Naam", version.name,
                                                              version_name)
        if not same(version.name, version_name) and version_name.casefold() in self.names[package.id]:
            sync.error(number, "Pakketversie Naam", "deze versie bestaat al bij dit pakket")
            return None
        self.kept_versions.add(version_id)
        self.names[package.id].discard(version.name.casefold())
        self.names[package.id].add(version_name.casefold())
        return apply_fields(version, version_values, VERSION_FLAT)

    def create_version(self, number: int, version_values: dict, package: Package) -> None:
        version_name = version_values["name"]
        if version_name.casefold() in self.names[package.id]:
            self.sync.error(number, "Pakketversie Naam", "deze versie bestaat al bij dit pakket")
            return
        self.names[package.id].add(version_name.casefold())
        version_values["status"] = version_values["status"] or "in_ontwikkeling"
        db.session.add(Version(organisation_id=self.sync.organisation_id, package_id=package.id, **version_values))
        self.sync.created(number, f"versie {package.name} {version_name}")

    def remove_missing(self) -> None:
        for public_id, version in self.versions.items():
            if public_id not in self.kept_versions:
                self.sync.removed(f"versie {version.package.name} {version.name}")
                db.session.delete(version)


def sync_flat(sync, rows):
    _FlatSync(sync).run(rows)


AANBOD_FLAT = IOHandler(
    name="aanbod-pakketversies", entity="Pakketversie", label="Aanbod per pakketversie (CSV)",
    description="Eén rij per pakketversie, met de kolommen van de huidige Softwarecatalogus.",
    columns=FLAT_COLUMNS, roles=ROLES, export_rows=export_flat, sync_rows=sync_flat,
    group=GROUP, order=5,
)


# ========================================================================================
# The workbook: Pakketten
# ========================================================================================
PACKAGE_COLUMNS = (
    Column("Pakket ID", help=ID_HELP),
    Column("Pakket Naam", required=True, help="Naam van het pakket."),
    Column("Korte beschrijving", help="Maximaal 255 tekens."),
    Column("Uitgebreide beschrijving", width=50, help="Opmaak met Markdown mag."),
    Column("URL productpagina", type="url", help="Webadres met https://."),
    Column("Status", read_only=True, help="Concept of Gepubliceerd; publiceren gaat via de pakketpagina."),
    Column("Hostingmodellen", help="Een of meer van: " + ", ".join(labels(CLOUD_MODELS)) + " (komma ertussen)."),
    Column("Cloudleverancier", help="Bij IaaS, PaaS of SaaS: wie host het pakket."),
    Column("Datalocatie", allowed_values=labels(DATA_LOCATIONS), help="Waar de gegevens staan."),
    Column("Licentietype", allowed_values=labels(LICENCE_TYPES), help="Open source of gesloten bron."),
    Column("SPDX-licentie", allowed_values=SPDX_LICENCES, help="Bij open source: de licentie."),
    Column("Demovideo URL", type="url", help="Webadres van een demovideo."),
    Column("Mutatiedatum", type="date", read_only=True, help="Laatste wijziging."),
)
PACKAGE_ATTRS = {"name": "Pakket Naam", "short_description": "Korte beschrijving",
                 "long_description": "Uitgebreide beschrijving", "website": "URL productpagina",
                 "cloud_models": "Hostingmodellen", "cloud_provider": "Cloudleverancier",
                 "data_location": "Datalocatie", "licence_type": "Licentietype", "licence_spdx": "SPDX-licentie",
                 "demo_video_url": "Demovideo URL"}


def export_packages(user, organisation_id):
    for p in _packages(organisation_id) if organisation_id is not None else ():
        yield {"Pakket ID": p.public_id, "Pakket Naam": p.name, "Korte beschrijving": p.short_description,
               "Uitgebreide beschrijving": p.long_description, "URL productpagina": p.website,
               "Status": label(PACKAGE_STATUSES, p.status),
               "Hostingmodellen": join_list(label(CLOUD_MODELS, v) for v in p.cloud_model_list),
               "Cloudleverancier": p.cloud_provider, "Datalocatie": label(DATA_LOCATIONS, p.data_location) or None,
               "Licentietype": label(LICENCE_TYPES, p.licence_type) or None, "SPDX-licentie": p.licence_spdx,
               "Demovideo URL": p.demo_video_url, "Mutatiedatum": _day(p.changed_on)}


def _cloud_models(sync, number: int, text: str | None) -> list[str]:
    """The stored values of the hosting models in ``text``; an error for each unknown one."""
    models = []
    for item in split_list(text):
        if item not in CLOUD:
            sync.error(number, "Hostingmodellen", f"onbekend hostingmodel '{item}'; kies uit "
                       + ", ".join(labels(CLOUD_MODELS)))
        else:
            models.append(CLOUD[item])
    return models


def sync_packages(sync, rows):
    packages = OwnPackages(sync.organisation_id)
    seen, kept = SeenIds(), set()
    for number, row in rows:
        if not seen.check(sync, number, "Pakket ID", row["Pakket ID"]):
            continue
        models = _cloud_models(sync, number, row["Hostingmodellen"])
        if row["Korte beschrijving"] and len(row["Korte beschrijving"]) > 255:
            sync.error(number, "Korte beschrijving", "mag maximaal 255 tekens lang zijn")
            continue
        if row["SPDX-licentie"] and row["Licentietype"] != "Open source":
            sync.error(number, "SPDX-licentie", "vul alleen in bij Licentietype Open source")
            continue
        values = {"name": row["Pakket Naam"], "short_description": row["Korte beschrijving"],
                  "long_description": row["Uitgebreide beschrijving"], "website": row["URL productpagina"],
                  "cloud_models": ",".join(models) or None, "cloud_provider": row["Cloudleverancier"],
                  "data_location": LOCATION.get(row["Datalocatie"]), "licence_type": LICENCE.get(row["Licentietype"]),
                  "licence_spdx": row["SPDX-licentie"], "demo_video_url": row["Demovideo URL"]}
        if row["Pakket ID"]:
            package = packages.by_id.get(row["Pakket ID"])
            if package is None:
                sync.error(number, "Pakket ID", UNKNOWN_ID)
                continue
            kept.add(package.public_id)
            changed = apply_fields(package, values, PACKAGE_ATTRS)
            if changed:
                sync.changed(number, changed, package.name)
            else:
                sync.unchanged(number)
        else:
            package = new_package(sync, packages, values["name"])
            apply_fields(package, values, PACKAGE_ATTRS)
            kept.add(package.public_id)
            sync.created(number, f"pakket {package.name}")
    if sync.remove_missing:
        for public_id, package in list(packages.by_id.items()):
            if public_id not in kept:
                sync.removed(f"pakket {package.name} (met modules, versies en koppelingen)")
                db.session.delete(package)


PACKAGES = IOHandler(
    name="aanbod-pakketten", entity="Pakket", label="Pakketten", sheet="Pakketten", group=GROUP, order=10,
    columns=PACKAGE_COLUMNS, roles=ROLES, export_rows=export_packages, sync_rows=sync_packages,
    description="Eén rij per pakket.",
)


# ========================================================================================
# Modules
# ========================================================================================
MODULE_COLUMNS = (
    Column("Module ID", help=ID_HELP),
    Column("Pakket ID", help=PACKAGE_REF_HELP),
    Column("Pakket Naam", help="Naam van het pakket (om een pakket zonder ID te vinden)."),
    Column("Module Naam", required=True, help="Naam van de module."),
    Column("Module Beschrijving", width=50, help="Wat de module doet."),
)


def export_modules(user, organisation_id):
    if organisation_id is None:
        return
    query = (select(Module, Package.public_id, Package.name).join(Package, Package.id == Module.package_id)
             .where(Module.organisation_id == organisation_id).order_by(Package.name, Module.name))
    for module, package_id, package_name in db.session.execute(query):
        yield {"Module ID": module.public_id, "Pakket ID": package_id, "Pakket Naam": package_name,
               "Module Naam": module.name, "Module Beschrijving": module.description}


class _ChildSync:
    """Modules and versions: rows of a package, unique by name within it."""

    def __init__(self, sync, model, id_column, name_column, attrs, what, name_of=None):
        self.sync, self.model, self.what = sync, model, what
        self.name_of = name_of  # (sync, number, column, stored, imported) -> the name to keep, e.g. version_label
        self.id_column, self.name_column, self.attrs = id_column, name_column, attrs
        self.packages = OwnPackages(sync.organisation_id)
        # The stored rows as plain tuples (no ORM object per row); changes go out in batches.
        self.bulk = BulkRows(model, sync.organisation_id, sync.user)
        columns = ["public_id", "package_id", *sorted(set(attrs) - {"public_id", "package_id"})]
        self.existing = {row.public_id: row for row in self.bulk.load(*columns)}
        self.names = defaultdict(set)  # package id -> casefolded names of its items
        for item in self.existing.values():
            self.names[item.package_id].add(item.name.casefold())
        self.kept = set()

    def run(self, rows, values_of) -> None:
        sync, id_column, packages = self.sync, self.id_column, self.packages
        seen = SeenIds()
        for number, row in rows:
            if not seen.check(sync, number, id_column, row[id_column]):
                continue
            package = packages.resolve(sync, number, row["Pakket ID"], row["Pakket Naam"])
            if package is None:
                continue
            values = values_of(sync, number, row)
            if values is None:
                continue
            if row[id_column]:
                self.change(number, row[id_column], package, values)
            else:
                self.create(number, package, values)
        if sync.remove_missing:
            self.remove_missing()
        self.bulk.finish()

    def change(self, number: int, public_id: str, package, values: dict) -> None:
        sync, what, name = self.sync, self.what, values["name"]
        item = self.existing.get(public_id)
        if item is None:
            sync.error(number, self.id_column, UNKNOWN_ID)
            return
        if item.package_id != package.id:
            sync.error(number, "Pakket ID", f"deze {what} hoort bij een ander pakket")
            return
        if self.name_of is not None:
            name = values["name"] = self.name_of(sync, number, self.name_column, item.name, name)
        if not same(item.name, name) and name.casefold() in self.names[package.id]:
            sync.error(number, self.name_column, f"deze {what} bestaat al bij dit pakket")
            return
        self.names[package.id].discard(item.name.casefold())
        self.names[package.id].add(name.casefold())
        self.kept.add(item.public_id)
        new = {attr: value for attr, value in values.items() if not same(getattr(item, attr), value)}
        if new:
            self.bulk.update(item.id, new, {attr: getattr(item, attr) for attr in new})
            sync.changed(number, [self.attrs.get(attr, attr) for attr in new], f"{what} {package.name} {name}")
        else:
            sync.unchanged(number)

    def create(self, number: int, package, values: dict) -> None:
        sync, name = self.sync, values["name"]
        if name.casefold() in self.names[package.id]:
            sync.error(number, self.name_column, f"deze {self.what} bestaat al bij dit pakket")
            return
        self.names[package.id].add(name.casefold())
        db.session.add(self.model(organisation_id=sync.organisation_id, package_id=package.id, **values))
        sync.created(number, f"{self.what} {package.name} {name}")

    def remove_missing(self) -> None:
        for public_id, item in self.existing.items():
            if public_id not in self.kept:
                self.sync.removed(f"{self.what} {item.name}")
                self.bulk.delete(item.id)


def _sync_children(sync, rows, model, id_column, name_column, attrs, values_of, what, name_of=None):
    """Modules and versions: rows of a package, unique by name within it."""
    _ChildSync(sync, model, id_column, name_column, attrs, what, name_of).run(rows, values_of)


MODULE_ATTRS = {"name": "Module Naam", "description": "Module Beschrijving"}


def sync_modules(sync, rows):
    _sync_children(sync, rows, Module, "Module ID", "Module Naam", MODULE_ATTRS,
                   lambda s, n, row: {"name": row["Module Naam"], "description": row["Module Beschrijving"]},
                   "module")


MODULES = IOHandler(
    name="aanbod-modules", entity="Module", label="Modules", sheet="Modules", group=GROUP, order=20,
    columns=MODULE_COLUMNS, roles=ROLES, export_rows=export_modules, sync_rows=sync_modules,
    description="Eén rij per module van een pakket.",
)


# ========================================================================================
# Pakketversies
# ========================================================================================
VERSION_COLUMNS = (
    Column("Pakketversie ID", help=ID_HELP),
    Column("Pakket ID", help=PACKAGE_REF_HELP),
    Column("Pakket Naam", help="Naam van het pakket (om een pakket zonder ID te vinden)."),
    Column("Pakketversie Naam", required=True, help="Versie, bijvoorbeeld 4.2."),
    Column("Pakketversie Status", required=True, allowed_values=labels(VERSION_STATUSES), help="Status van de versie."),
    Column("Pakketversie Beschrijving", width=50, help="Wat er in deze versie nieuw is."),
    Column("Start ontwikkeling", type="date", help="Datum (jjjj-mm-dd)."),
    Column("Start test", type="date", help="Datum (jjjj-mm-dd)."),
    Column("Start distributie", type="date", help="Datum (jjjj-mm-dd)."),
    Column("Einde ondersteuning", type="date", help="Datum (jjjj-mm-dd)."),
)
VERSION_ATTRS = dict(VERSION_FLAT, end_support="Einde ondersteuning")


def export_versions(user, organisation_id):
    if organisation_id is None:
        return
    # Plain rows of a Core query (no ORM object per version), written as they come.
    query = (select(Version.public_id, Package.public_id.label("package_id"), Package.name.label("package_name"),
                    Version.name, Version.status, Version.description, Version.start_development,
                    Version.start_test, Version.start_distribution, Version.end_support)
             .join(Package, Package.id == Version.package_id)
             .where(Version.organisation_id == organisation_id).order_by(Package.name, Version.name)
             .execution_options(yield_per=CHUNK))
    status_label = dict(VERSION_STATUSES)
    for v in db.session.execute(query):
        yield {"Pakketversie ID": v.public_id, "Pakket ID": v.package_id, "Pakket Naam": v.package_name,
               "Pakketversie Naam": v.name, "Pakketversie Status": status_label.get(v.status, v.status),
               "Pakketversie Beschrijving": v.description, "Start ontwikkeling": v.start_development,
               "Start test": v.start_test, "Start distributie": v.start_distribution,
               "Einde ondersteuning": v.end_support}


def _version_row(sync, number, row):
    return {"name": row["Pakketversie Naam"], "status": VERSION_STATUS[row["Pakketversie Status"]],
            "description": row["Pakketversie Beschrijving"], "start_development": row["Start ontwikkeling"],
            "start_test": row["Start test"], "start_distribution": row["Start distributie"],
            "end_support": row["Einde ondersteuning"]}


def sync_versions(sync, rows):
    _sync_children(sync, rows, Version, "Pakketversie ID", "Pakketversie Naam", VERSION_ATTRS, _version_row,
                   "versie", name_of=version_label)


VERSIONS = IOHandler(
    name="aanbod-versies", entity="Pakketversie", label="Pakketversies", sheet="Pakketversies", group=GROUP,
    order=30, columns=VERSION_COLUMNS, roles=ROLES, export_rows=export_versions, sync_rows=sync_versions,
    description="Eén rij per versie van een pakket.",
)


# ========================================================================================
# Referentiecomponenten (links)
# ========================================================================================
LINK_COLUMNS = (
    Column("Pakket ID", help=PACKAGE_REF_HELP),
    Column("Pakket Naam", help="Naam van het pakket (om een pakket zonder ID te vinden)."),
    Column("Referentiecomponent UUID", help="GEMMA Object ID van de referentiecomponent. Leeg: gebruik de naam."),
    Column("Referentiecomponent Naam", help="Naam van de GEMMA-referentiecomponent, bijvoorbeeld "
           "Zaakregistratiecomponent."),
)


def export_links(user, organisation_id):
    if organisation_id is None:
        return
    query = (select(Package.public_id, Package.name, Referentiecomponent.object_id, Referentiecomponent.name)
             .join(package_referentiecomponent, package_referentiecomponent.c.package_id == Package.id)
             .join(Referentiecomponent,
                   Referentiecomponent.id == package_referentiecomponent.c.referentiecomponent_id)
             .where(Package.organisation_id == organisation_id).order_by(Package.name, Referentiecomponent.name))
    for package_id, package_name, object_id, name in db.session.execute(query):
        yield {"Pakket ID": package_id, "Pakket Naam": package_name, "Referentiecomponent UUID": object_id,
               "Referentiecomponent Naam": name}


def _find_concept(sync, number, model, uuid_column, name_column, object_id, name, current_only=True):
    if object_id:
        found = db.session.scalar(select(model).where(model.object_id == object_id.strip().lower()))
        if found is None:
            sync.error(number, uuid_column, f"onbekende {name_column.split()[0].lower()}")
        return found
    if not name:
        sync.error(number, uuid_column, f"vul '{uuid_column}' of '{name_column}' in")
        return None
    query = select(model).where(func.lower(model.name) == name.strip().lower())
    if current_only:
        query = query.where(model.in_release.is_(True))
    found = db.session.scalars(query).all()
    if len(found) != 1:
        sync.error(number, name_column, f"'{name}' is niet gevonden in GEMMA" if not found
                   else f"'{name}' is niet eenduidig: vul '{uuid_column}' in")
        return None
    return found[0]


def sync_links(sync, rows):
    packages = OwnPackages(sync.organisation_id)
    existing = set(db.session.execute(
        select(package_referentiecomponent.c.package_id, package_referentiecomponent.c.referentiecomponent_id)
        .join(Package, Package.id == package_referentiecomponent.c.package_id)
        .where(Package.organisation_id == sync.organisation_id)).all())
    kept, new = set(), set()
    for number, row in rows:
        package = packages.resolve(sync, number, row["Pakket ID"], row["Pakket Naam"])
        rc = _find_concept(sync, number, Referentiecomponent, "Referentiecomponent UUID", "Referentiecomponent Naam",
                           row["Referentiecomponent UUID"], row["Referentiecomponent Naam"])
        if package is None or rc is None:
            continue
        key = (package.id, rc.id)
        if key in kept or key in new:
            sync.error(number, "Referentiecomponent Naam", "deze koppeling staat al eerder in het bestand")
            continue
        if key in existing:
            kept.add(key)
            sync.unchanged(number)
        else:
            new.add(key)
            db.session.execute(package_referentiecomponent.insert().values(package_id=package.id,
                                                                           referentiecomponent_id=rc.id))
            sync.created(number, f"{package.name} → {rc.name}")
    if sync.remove_missing:
        for package_id, rc_id in existing - kept:
            db.session.execute(delete(package_referentiecomponent).where(
                package_referentiecomponent.c.package_id == package_id,
                package_referentiecomponent.c.referentiecomponent_id == rc_id))
            sync.removed("koppeling met een referentiecomponent")


LINKS = IOHandler(
    name="aanbod-referentiecomponenten", entity="Referentiecomponent-koppeling", label="Referentiecomponenten",
    sheet="Referentiecomponenten", group=GROUP, order=40, columns=LINK_COLUMNS, roles=ROLES,
    export_rows=export_links, sync_rows=sync_links,
    description="Eén rij per GEMMA-referentiecomponent waarop een pakket is ingedeeld.",
)


# ========================================================================================
# Standaarden (claims)
# ========================================================================================
CLAIM_COLUMNS = (
    Column("Pakket ID", help=PACKAGE_REF_HELP),
    Column("Pakket Naam", help="Naam van het pakket (om een pakket zonder ID te vinden)."),
    Column("Standaardversie UUID", help="GEMMA Object ID van de standaardversie. Leeg: gebruik de naam."),
    Column("Standaard", read_only=True, help="De standaard waarvan dit een versie is."),
    Column("Standaardversie Naam", help="Naam van de standaardversie zoals in GEMMA."),
    Column("Bewijs URL", type="url", help="Webadres van het bewijs (bijvoorbeeld een testrapport)."),
    Column("Toelichting", width=50, help="Toelichting op de ondersteuning."),
)
CLAIM_ATTRS = {"evidence_url": "Bewijs URL", "note": "Toelichting"}


def export_claims(user, organisation_id):
    if organisation_id is None:
        return
    query = (select(StandardClaim, Package.public_id, Package.name, Standaardversie.object_id, Standaardversie.name,
                    Standaard.name)
             .join(Package, Package.id == StandardClaim.package_id)
             .join(Standaardversie, Standaardversie.id == StandardClaim.standaardversie_id)
             .outerjoin(Standaard, Standaard.id == Standaardversie.standaard_id)
             .where(StandardClaim.organisation_id == organisation_id)
             .order_by(Package.name, Standaard.name, Standaardversie.name))
    for claim, package_id, package_name, object_id, version_name, standard in db.session.execute(query):
        yield {"Pakket ID": package_id, "Pakket Naam": package_name, "Standaardversie UUID": object_id,
               "Standaard": standard, "Standaardversie Naam": version_name, "Bewijs URL": claim.evidence_url,
               "Toelichting": claim.note}


def sync_claims(sync, rows):
    packages = OwnPackages(sync.organisation_id)
    existing = {(c.package_id, c.standaardversie_id): c for c in db.session.scalars(
        select(StandardClaim).where(StandardClaim.organisation_id == sync.organisation_id))}
    kept = set()
    for number, row in rows:
        package = packages.resolve(sync, number, row["Pakket ID"], row["Pakket Naam"])
        sv = _find_concept(sync, number, Standaardversie, "Standaardversie UUID", "Standaardversie Naam",
                           row["Standaardversie UUID"], row["Standaardversie Naam"])
        if package is None or sv is None:
            continue
        key = (package.id, sv.id)
        if key in kept:
            sync.error(number, "Standaardversie Naam", "deze standaardversie staat al eerder in het bestand")
            continue
        kept.add(key)
        values = {"evidence_url": row["Bewijs URL"], "note": row["Toelichting"]}
        claim = existing.get(key)
        if claim is None:
            db.session.add(StandardClaim(organisation_id=sync.organisation_id, package_id=package.id,
                                         standaardversie_id=sv.id, **values))
            sync.created(number, f"{package.name}: {sv.name}")
        else:
            changed = apply_fields(claim, values, CLAIM_ATTRS)
            if changed:
                sync.changed(number, changed, f"{package.name}: {sv.name}")
            else:
                sync.unchanged(number)
    if sync.remove_missing:
        for key, claim in existing.items():
            if key not in kept:
                sync.removed("ondersteunde standaardversie")
                db.session.delete(claim)


CLAIMS = IOHandler(
    name="aanbod-standaarden", entity="Standaardondersteuning", label="Standaarden", sheet="Standaarden",
    group=GROUP, order=50, columns=CLAIM_COLUMNS, roles=ROLES, export_rows=export_claims, sync_rows=sync_claims,
    description="Eén rij per standaardversie die een pakket ondersteunt.",
)

HANDLERS = [AANBOD_FLAT, PACKAGES, MODULES, VERSIONS, LINKS, CLAIMS]
