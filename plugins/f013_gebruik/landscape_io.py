"""The application landscape as a spreadsheet (F007 makes the files; this module knows the rows).

- "Applicatielandschap" (``gebruik-landschap``): one row per usage, the columns of the legacy catalogue's
  landscape CSV in their order. A gemeente exports and imports its own landscape; a samenwerking also the
  usages it registered for its current members; the Functioneel beheerder and the VNG-raadpleger export every
  landscape (``core.io.ALL_ORGANISATIONS``) or one.
- "Klantenlijst" (``aanbod-klantenlijst``): a supplier's list of customers (gemeente, package, version,
  status). Importing it makes usage proposals (the municipality decides), never a usage.

Import of the landscape: a row names its package by ID (Pakket ID, Pakketversie ID) or, in a file that was
not exported from the catalogue, by supplier and package name, compared without case, accents, punctuation and
legal form. A row without exact match offers the near matches in the preview (``Sync.choose``), or a new
concept package (and concept supplier) registered by the importing organisation; a later import, also by
another municipality, finds that concept by its name. Rows the file does not name are ended (uitgefaseerd)
when "remove missing" is on, never deleted.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from core.catalogue.models import USAGE_STATUSES, Package, Usage, Version, label
from core.catalogue.search import normalise
from core.concepts import compact_key, concept_package, concept_supplier, suppliers_by_key
from core.extensions import db
from core.io import ALL_ORGANISATIONS, Column, IOHandler
from core.io_sync import by_label, join_list, labels, same, same_version_label
from core.models import ORGANISATION_TYPE_LABELS, Organisation
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from plugins.f013_gebruik import service

GROUP = "gebruik"
STATUS = by_label(USAGE_STATUSES)
STATUS_ALIASES = tuple((value, text) for value, text in USAGE_STATUSES) + tuple(
    (value.replace("_", " "), text) for value, text in USAGE_STATUSES)
NEW, SKIP = "nieuw", "overslaan"
NEAR_CUTOFF = 0.6
NEAR_COUNT = 3

ID_HELP = "Laat staan zoals geëxporteerd; leeg in een eigen overzicht (dan telt de naam)."
STATUS_COLUMN = Column("Gebruik Status", required=True, allowed_values=labels(USAGE_STATUSES),
                       aliases=STATUS_ALIASES, help="Status van het gebruik: de naam uit de lijst of de code "
                       "(in_productie).")

COLUMNS = (
    Column("Gemeente ID", optional=True, help="Nummer van de gemeente in de catalogus. " + ID_HELP),
    Column("Gemeente naam", optional=True, help="Leeg: uw eigen organisatie. Een samenwerking vult hier een "
           "deelnemende gemeente in."),
    Column("Gemeente CBS", optional=True, help="CBS-code van de gemeente (4 cijfers)."),
    STATUS_COLUMN,
    Column("Gebruik omschrijving", optional=True, help="Toelichting op het gebruik."),
    Column("Gebruik Datum ingang status", type="date", optional=True,
           help="Sinds wanneer de status geldt (dd-mm-jjjj of jjjj-mm-dd)."),
    Column("Leverancier ID", optional=True, help="Nummer van de leverancier in de catalogus. " + ID_HELP),
    Column("Leverancier Naam", optional=True, help="Naam van de leverancier (hoofdletters, accenten en B.V. "
           "tellen niet mee)."),
    Column("Pakket ID", optional=True, help=ID_HELP),
    Column("Pakket Naam", optional=True, help="Naam van het pakket. Staat het niet in de catalogus, dan kunt u "
           "het bij de import als conceptpakket laten aanmaken."),
    Column("Pakketversie ID", optional=True, help=ID_HELP),
    Column("Pakketversie Naam", optional=True, help="Versie die u gebruikt. Een versie die de catalogus niet "
           "kent: het gebruik wordt zonder versie vastgelegd."),
    Column("Referentiecomponenten ID", read_only=True, help="GEMMA Object ID's van de referentiecomponenten "
           "van het pakket."),
    Column("Referentiecomponenten naam", read_only=True, help="GEMMA-referentiecomponenten van het pakket."),
)


# ---------------------------------------------------------------------------------------------- export
def landscape_scope(organisation_id: int):
    """SQL condition on Usage: the landscape ``organisation_id`` keeps (a samenwerking: also what it
    registered for its current members)."""
    members = service.samenwerking_members(organisation_id)
    if not members:
        return Usage.organisation_id == organisation_id
    return or_(Usage.organisation_id == organisation_id,
               (Usage.registered_by_id == organisation_id) & Usage.organisation_id.in_(members))


def _cbs(org: Organisation) -> str | None:
    return org.cbs_code or None


def export_landscape(user, organisation_id):
    if organisation_id is None:
        return
    query = (select(Usage).join(Usage.organisation).join(Usage.package)
             .options(selectinload(Usage.organisation), selectinload(Usage.version),
                      selectinload(Usage.package).selectinload(Package.referentiecomponenten))
             .order_by(Organisation.name, Package.name, Usage.id))
    if organisation_id != ALL_ORGANISATIONS:
        query = query.where(landscape_scope(organisation_id))
    for usage in db.session.scalars(query):
        org, package, version = usage.organisation, usage.package, usage.version
        supplier = package.organisation
        links = package.referentiecomponenten
        yield {"Gemeente ID": str(org.id), "Gemeente naam": org.name, "Gemeente CBS": _cbs(org),
               "Gebruik Status": label(USAGE_STATUSES, usage.status), "Gebruik omschrijving": usage.description,
               "Gebruik Datum ingang status": usage.status_date,
               "Leverancier ID": str(supplier.id), "Leverancier Naam": supplier.name,
               "Pakket ID": package.public_id, "Pakket Naam": package.name,
               "Pakketversie ID": version.public_id if version else None,
               "Pakketversie Naam": version.name if version else None,
               "Referentiecomponenten ID": join_list(rc.object_id for rc in links),
               "Referentiecomponenten naam": join_list(rc.name for rc in links)}


# ---------------------------------------------------------------------------------------------- import
def _package_key(name: str | None) -> str:
    """A package's name for comparing: no case, accents, punctuation or spaces ("Suite-4all" is "suite4all")."""
    return normalise(name).replace(" ", "")


def _cbs_code(value: str | None) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    return digits.zfill(4) if digits else None


def _municipality_key(name: str | None) -> str:
    """A gemeente's name for comparing: "Gemeente 's-Hertogenbosch" is "s hertogenbosch"."""
    key = normalise(name)
    return key[len("gemeente "):] if key.startswith("gemeente ") else key


class Municipalities:
    """Gemeenten and samenwerkingen by ID, CBS code and name (read once per import)."""

    def __init__(self):
        rows = db.session.scalars(select(Organisation).where(
            Organisation.type.in_(service.LANDSCAPE_TYPES))).all()
        self.by_id = {str(o.id): o for o in rows}
        self.by_cbs = {o.cbs_code: o for o in rows if o.cbs_code}
        self.by_name: dict[str, list[Organisation]] = {}
        for o in rows:
            self.by_name.setdefault(_municipality_key(o.name), []).append(o)

    def find(self, sync, number: int, row: dict, default: Organisation | None) -> Organisation | None:
        """The organisation a row is for (ID, else CBS code, else name; none of them: ``default``)."""
        org_id, cbs, name = row.get("Gemeente ID"), _cbs_code(row.get("Gemeente CBS")), row.get("Gemeente naam")
        if org_id:
            found = self.by_id.get(org_id.strip())
            if found is not None:
                return found
            if not (cbs or name):  # (an ID of another system, e.g. the legacy catalogue: the CBS code or name)
                sync.error(number, "Gemeente ID", f"de catalogus kent geen gemeente met ID '{org_id}'")
                return None
        if cbs:
            found = self.by_cbs.get(cbs)
            if found is None:
                sync.error(number, "Gemeente CBS", f"de catalogus kent geen gemeente met CBS-code '{cbs}'")
            return found
        if name:
            found = self.by_name.get(_municipality_key(name), [])
            if len(found) != 1:
                sync.error(number, "Gemeente naam", f"de catalogus kent geen gemeente met de naam '{name}'"
                           if not found else f"er zijn meerdere organisaties met de naam '{name}': vul de "
                           "CBS-code in")
                return None
            return found[0]
        if default is None:
            sync.error(number, "Gemeente naam", "vul de gemeente in (naam of CBS-code)")
        return default


@dataclass
class Candidate:
    id: int
    public_id: str
    name: str
    supplier: str
    supplier_key: str
    key: str

    @property
    def text(self) -> str:
        return f"{self.name} ({self.supplier})"


class UsablePackages:
    """The packages a landscape may name (published ones and registered concepts), by supplier and name."""

    def __init__(self):
        rows = db.session.execute(select(Package.id, Package.public_id, Package.name, Organisation.name)
                                  .join(Organisation, Organisation.id == Package.organisation_id)
                                  .where(service.usable_package_clause())).all()
        self.candidates: list[Candidate] = []
        self.exact: dict[tuple[str, str], list[Candidate]] = {}
        self.by_name: dict[str, list[Candidate]] = {}
        for pid, public_id, name, supplier in rows:
            self.add(Candidate(pid, public_id, name, supplier, compact_key(supplier), _package_key(name)))
        self._near_keys: dict | None = None

    def add(self, c: Candidate) -> None:
        self.candidates.append(c)
        self.exact.setdefault((c.supplier_key, c.key), []).append(c)
        self.by_name.setdefault(c.key, []).append(c)
        self._near_keys = None

    def _keys(self, with_supplier: bool) -> dict[str, list[Candidate]]:
        if self._near_keys is None:
            self._near_keys = {True: {}, False: {}}
            for c in self.candidates:
                self._near_keys[True].setdefault(f"{c.supplier_key} {c.key}", []).append(c)
                self._near_keys[False].setdefault(c.key, []).append(c)
        return self._near_keys[with_supplier]

    def near(self, supplier: str | None, name: str) -> list[Candidate]:
        """The closest packages to ``supplier``/``name`` (at most ``NEAR_COUNT``, best first)."""
        wanted = f"{compact_key(supplier)} {_package_key(name)}" if supplier else _package_key(name)
        by_key = self._keys(bool(supplier))
        found: list[Candidate] = []
        for key in difflib.get_close_matches(wanted, list(by_key), n=NEAR_COUNT, cutoff=NEAR_CUTOFF):
            found.extend(by_key[key])
        # a package named exactly so by another supplier is near too ("Suite4All" of "Centric" or of "Centric NL")
        for c in self.by_name.get(_package_key(name), []):
            if c not in found:
                found.append(c)
        return found[:NEAR_COUNT + 2]


class LandscapeSync:
    """``sync_landscape``: the rows of one organisation's landscape file."""

    def __init__(self, sync):
        self.sync = sync
        self.own = db.session.get(Organisation, sync.organisation_id)
        self.members = service.samenwerking_members(self.own.id) if self.own is not None else frozenset()
        self.municipalities = Municipalities()
        self.packages: UsablePackages | None = None  # read when a row has no (known) ID
        self.suppliers: dict[str, Organisation] | None = None
        self.usages = {(u.organisation_id, u.package_id): u for u in db.session.scalars(
            select(Usage).where(landscape_scope(sync.organisation_id)))}
        self.seen: dict[tuple[int, int], int] = {}

    @property
    def creator(self) -> str:
        """"gemeente Voorbeeldstad": who a new concept says made it (as F004's concepts say)."""
        kind = ORGANISATION_TYPE_LABELS.get(self.own.type, "").lower()
        return f"{kind} {self.own.name}" if kind else self.own.name

    def run(self, rows) -> None:
        if self.own is None or self.own.type not in service.LANDSCAPE_TYPES:
            for number, _ in rows:
                self.sync.error(number, None, service.NOT_A_MUNICIPALITY)
                return
            return
        for number, row in rows:
            self.row(number, row)
        missing = [u for key, u in self.usages.items() if key not in self.seen and u.status != service.ENDED]
        self.sync.missing(len(missing))
        if self.sync.remove_missing:
            for usage in missing:
                service.end_usage(usage)
                self.sync.removed(f"{usage.package.name} ({usage.organisation.name}): beëindigd (uitgefaseerd)")

    # --- one row -------------------------------------------------------------------
    def row(self, number: int, row: dict) -> None:
        sync = self.sync
        target = self.municipalities.find(sync, number, row, self.own)
        if target is None:
            return
        if target.id != self.own.id and target.id not in self.members:
            column = next((c for c in ("Gemeente ID", "Gemeente CBS", "Gemeente naam") if row.get(c)), None)
            sync.error(number, column, f"deze rij is van {target.name}: u importeert alleen het "
                       f"applicatielandschap van {self.own.name}"
                       + (" en van uw huidige deelnemers" if self.own.type == "samenwerking" else ""))
            return
        found = self.package_of(number, row, target)
        if found is None:
            return
        package, version = found
        if package is SKIP:
            return
        key = (target.id, package.id)
        if key in self.seen:
            sync.error(number, "Pakket Naam", f"{package.name} van {target.name} staat ook al in rij "
                                              f"{self.seen[key]}")
            return
        self.seen[key] = number
        if version is None and row.get("Pakketversie Naam"):
            version = self.version_by_name(number, package, row["Pakketversie Naam"])
        self.apply(number, row, target, package, version)

    def apply(self, number: int, row: dict, target: Organisation, package: Package, version: Version | None):
        sync = self.sync
        status = STATUS.get(row["Gebruik Status"], row["Gebruik Status"])
        usage = self.usages.get((target.id, package.id))
        what = f"{package.name} ({target.name})"
        if usage is None:
            usage = Usage(organisation_id=target.id, organisation=target, package=package, version=version,
                          status=status, status_date=row.get("Gebruik Datum ingang status"),
                          description=row.get("Gebruik omschrijving"),
                          registered_by_id=self.own.id if target.id != self.own.id else None)
            try:
                with db.session.no_autoflush:
                    service.check_usage(usage, new=True)
            except service.UsageRejected as exc:
                sync.error(number, "Pakket Naam", exc.message)
                return
            db.session.add(usage)
            service.record_added(usage, via="import")
            self.usages[(target.id, package.id)] = usage
            sync.created(number, what)
            return
        before = service.snapshot(usage)
        changed = []
        names_version = sync.has_column("Pakketversie ID") or sync.has_column("Pakketversie Naam")
        if names_version and usage.version_id != (version.id if version else None):
            usage.version = version
            changed.append("Pakketversie")
        if usage.status != status:
            usage.status = status
            changed.append("Gebruik Status")
        for attr, column in (("status_date", "Gebruik Datum ingang status"), ("description", "Gebruik omschrijving")):
            if sync.has_column(column) and not same(getattr(usage, attr), row.get(column)):
                setattr(usage, attr, row.get(column))
                changed.append(column)
        if not changed:
            sync.unchanged(number)
            return
        try:
            with db.session.no_autoflush:
                service.check_usage(usage, new=False)
        except service.UsageRejected as exc:
            sync.error(number, None, exc.message)
            return
        service.record_changed(usage, before, via="import")
        sync.changed(number, changed, what)

    # --- which package -----------------------------------------------------------------
    def package_of(self, number: int, row: dict, target: Organisation):
        """(package, version) of a row, (SKIP, None) when the user chose to skip it, None after an error."""
        sync = self.sync
        version_id, package_id = row.get("Pakketversie ID"), row.get("Pakket ID")
        if version_id:
            version = db.session.scalar(select(Version).where(Version.public_id == version_id.strip()))
            if version is not None and self._may_use(version.package, target):
                if package_id and version.package.public_id != package_id.strip():
                    sync.error(number, "Pakketversie ID", "deze versie hoort niet bij het pakket van deze rij")
                    return None
                return version.package, version
            if not (row.get("Pakketversie Naam") or package_id):
                sync.error(number, "Pakketversie ID", "de catalogus kent geen versie met dit ID")
                return None
        if package_id:
            package = db.session.scalar(select(Package).where(Package.public_id == package_id.strip()))
            if package is not None and self._may_use(package, target):
                return package, None
            if not row.get("Pakket Naam"):
                sync.error(number, "Pakket ID", "de catalogus kent geen (gepubliceerd) pakket met dit ID")
                return None
        return self.package_by_name(number, row, target)

    def _may_use(self, package: Package | None, target: Organisation) -> bool:
        if package is None:
            return False
        if (target.id, package.id) in self.usages:
            return True
        return db.session.scalar(select(Package.id).where(Package.id == package.id,
                                                          service.usable_package_clause())) is not None

    def package_by_name(self, number: int, row: dict, target: Organisation):
        sync = self.sync
        name, supplier_name = row.get("Pakket Naam"), row.get("Leverancier Naam")
        if not supplier_name and row.get("Leverancier ID"):
            supplier = db.session.get(Organisation, int(row["Leverancier ID"])) \
                if row["Leverancier ID"].strip().isdigit() else None
            supplier_name = supplier.name if supplier is not None and supplier.type == "leverancier" else None
        if not name:
            sync.error(number, "Pakket Naam", "vul 'Pakket ID' of 'Pakket Naam' in")
            return None
        if self.packages is None:
            self.packages = UsablePackages()
        packages = self.packages
        if supplier_name:
            exact = packages.exact.get((compact_key(supplier_name), _package_key(name)), [])
        else:
            exact = packages.by_name.get(_package_key(name), [])
        if len(exact) == 1:
            return db.session.get(Package, exact[0].id), None
        near = exact or packages.near(supplier_name, name)
        # the default: the closest match that no other row of this file names
        near = sorted(near, key=lambda c: (target.id, c.id) in self.seen)
        in_landscape = [c for c in near if (target.id, c.id) in self.usages]
        options = [(c.public_id, f"{c.text}" + (" – staat al in het landschap" if c in in_landscape else ""))
                   for c in near]
        if supplier_name:
            options.append((NEW, f"Nieuw conceptpakket '{name}' van {supplier_name} (aangemaakt door "
                                 f"{self.creator})"))
        options.append((SKIP, "Deze rij niet importeren"))
        if not near and not supplier_name:
            sync.error(number, "Leverancier Naam", f"de catalogus kent geen pakket '{name}': vul de leverancier "
                                                   "in om het als conceptpakket aan te maken")
            return None
        default = near[0].public_id if near else NEW
        text = (f"'{name}' van {supplier_name or 'een onbekende leverancier'} staat niet precies zo in de "
                "catalogus. " + ("Bedoelt u een van deze pakketten?" if near else
                                 "Er wordt een conceptpakket aangemaakt; de leverancier kan het overnemen."))
        chosen = sync.choose(number, "Pakket Naam", text, options, default)
        if chosen == SKIP:
            return SKIP, None
        if chosen == NEW:
            return self.new_concept(number, supplier_name, name), None
        picked = next(c for c in near if c.public_id == chosen)
        return db.session.get(Package, picked.id), None

    def new_concept(self, number: int, supplier_name: str, name: str) -> Package:
        if self.suppliers is None:
            self.suppliers = suppliers_by_key()
        supplier = self.suppliers.get(compact_key(supplier_name))
        if supplier is None:
            supplier, _ = concept_supplier(supplier_name, self.own.id)
            self.suppliers[compact_key(supplier.name)] = supplier
        package, new = concept_package(supplier, name, self.own.id)
        if new:
            self.sync.warning(number, "Pakket Naam", f"nieuw conceptpakket '{package.name}' van {supplier.name}, "
                                                     f"aangemaakt door {self.creator}")
        self.packages.add(Candidate(package.id, package.public_id, package.name, supplier.name,
                                    compact_key(supplier.name), _package_key(package.name)))
        return package

    def version_by_name(self, number: int, package: Package, wanted: str) -> Version | None:
        for version in package.versions:
            if same_version_label(version.name, wanted):
                return version
        self.sync.warning(number, "Pakketversie Naam", f"{package.name} heeft geen versie '{wanted}' in de "
                                                       "catalogus: het gebruik wordt zonder versie vastgelegd")
        return None


def sync_landscape(sync, rows):
    LandscapeSync(sync).run(rows)


LANDSCAPE = IOHandler(
    name="gebruik-landschap",
    entity="Gebruik",
    label="Applicatielandschap",
    description="Per gebruikt pakket: gemeente, status, leverancier, pakket, versie en referentiecomponenten "
                "(de kolommen van de landschapsexport van de vorige catalogus).",
    columns=COLUMNS,
    roles=frozenset({GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER}),
    import_roles=frozenset({GEBRUIK_BEHEERDER}),
    export_rows=export_landscape,
    sync_rows=sync_landscape,
    sheet="Applicatielandschap",
    group=GROUP,
)


# ---------------------------------------------------------------------------------------------- customer list
CUSTOMER_COLUMNS = (
    Column("Gemeente naam", optional=True, help="Naam van de gemeente (of vul de CBS-code in)."),
    Column("Gemeente CBS", optional=True, help="CBS-code van de gemeente (4 cijfers)."),
    Column("Pakket ID", optional=True, help="ID van uw pakket (leeg: de naam telt)."),
    Column("Pakket Naam", optional=True, help="Naam van uw (gepubliceerde) pakket."),
    Column("Pakketversie Naam", optional=True, help="Versie die de gemeente gebruikt (optioneel)."),
    STATUS_COLUMN,
    Column("Gebruik Datum ingang status", type="date", optional=True,
           help="Sinds wanneer de status geldt (dd-mm-jjjj of jjjj-mm-dd)."),
)


def export_customer_list(user, organisation_id):
    """The supplier's current customers (active usages of its packages), in the format the import reads."""
    if organisation_id is None:
        return
    query = (select(Usage).join(Usage.package).join(Usage.organisation)
             .where(Package.organisation_id == organisation_id,
                    Usage.status.in_(("verwerving", "gepland", "in_productie", "uit_te_faseren")))
             .options(selectinload(Usage.organisation), selectinload(Usage.version))
             .order_by(Package.name, Organisation.name))
    for usage in db.session.scalars(query):
        yield {"Gemeente naam": usage.organisation.name, "Gemeente CBS": _cbs(usage.organisation),
               "Pakket ID": usage.package.public_id, "Pakket Naam": usage.package.name,
               "Pakketversie Naam": usage.version.name if usage.version else None,
               "Gebruik Status": label(USAGE_STATUSES, usage.status),
               "Gebruik Datum ingang status": usage.status_date}


def sync_customer_list(sync, rows):
    """Every row a usage proposal to that gemeente (F013's rules); nothing that is there already twice."""
    from core.io_sync import OwnPackages
    from plugins.f013_gebruik import proposals

    supplier = db.session.get(Organisation, sync.organisation_id)
    municipalities = Municipalities()
    packages = OwnPackages(sync.organisation_id)
    seen: dict[tuple[int, int], int] = {}
    for number, row in rows:
        if supplier is None or supplier.type != "leverancier":
            sync.error(number, None, proposals.NOT_A_SUPPLIER)
            continue
        target = municipalities.find(sync, number, row, None)
        package = packages.resolve(sync, number, row.get("Pakket ID"), row.get("Pakket Naam"))
        if target is None or package is None:
            continue
        if (target.id, package.id) in seen:
            sync.error(number, "Pakket Naam", f"{package.name} voor {target.name} staat ook al in rij "
                                              f"{seen[(target.id, package.id)]}")
            continue
        seen[(target.id, package.id)] = number
        version = None
        if row.get("Pakketversie Naam"):
            version = next((v for v in package.versions if same_version_label(v.name, row["Pakketversie Naam"])),
                           None)
            if version is None:
                sync.warning(number, "Pakketversie Naam", f"{package.name} heeft geen versie "
                             f"'{row['Pakketversie Naam']}': het voorstel wordt zonder versie gedaan")
        status = STATUS.get(row["Gebruik Status"], row["Gebruik Status"])
        status_date = row.get("Gebruik Datum ingang status")
        open_one = proposals.open_proposal(target.id, package.id)
        usage = service.existing_usage(target.id, package.id)
        if open_one is not None and open_one.supplier_id == supplier.id:
            sync.unchanged(number)  # (proposed already: the municipality decides)
            continue
        if usage is not None and usage.version_id == (version.id if version else None) and \
                usage.status == status and (status_date is None or usage.status_date == status_date):
            sync.unchanged(number)  # the municipality records it so already
            continue
        try:
            proposals.add_proposal(sync.user, supplier, target, package, version, status, status_date)
        except service.UsageRejected as exc:
            sync.warning(number, None, f"geen voorstel aan {target.name}: {exc.message}")
            continue
        sync.created(number, f"voorstel aan {target.name}: {package.name}")


CUSTOMER_LIST = IOHandler(
    name="aanbod-klantenlijst",
    entity="Gebruiksvoorstel",
    label="Klantenlijst (wordt gebruiksvoorstellen)",
    description="Uw klanten: gemeente, pakket, versie en status. Importeren maakt gebruiksvoorstellen; de "
                "gemeente accepteert of wijst af.",
    columns=CUSTOMER_COLUMNS,
    roles=frozenset({AANBOD_BEHEERDER}),
    export_rows=export_customer_list,
    sync_rows=sync_customer_list,
    group="aanbod",
    order=90,
)
