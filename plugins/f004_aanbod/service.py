"""Rules of the offering, shared by the pages and the API: licence, dates, uniqueness, publishing."""

from __future__ import annotations

import datetime as dt
import logging

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import BadRequest

from core import audit, files, mail
from core.catalogue.models import (
    CLOUD_MODELS,
    LICENCE_TYPES,
    SPDX_LICENCES,
    Module,
    Package,
    StandardClaim,
    Version,
)
from core.events import PackagePublished, PackageUnpublished, emit
from core.extensions import db
from core.models import Membership, ScgUser, utcnow
from core.roles import AANBOD_BEHEERDER

log = logging.getLogger(__name__)

PUBLISHED, CONCEPT = "gepubliceerd", "concept"

#: Version dates in the order they happen, with their Dutch labels.
VERSION_DATES = (("start_development", "Start ontwikkeling"), ("start_test", "Start test"),
                 ("start_distribution", "Start distributie"), ("end_support", "Einde ondersteuning"))

MODULE_NAME_TAKEN = "Dit pakket heeft al een module met deze naam. Kies een andere naam."
VERSION_LABEL_TAKEN = "Dit pakket heeft al een versie met dit label. Kies een ander label."
SPDX_REQUIRED = "Kies bij open source de SPDX-licentie."
SPDX_REFUSED = "Een SPDX-licentie hoort alleen bij open source. Laat dit veld leeg bij gesloten bron."
SPDX_UNKNOWN = "Kies een SPDX-licentie uit de lijst."
LICENCE_UNKNOWN = "Kies open source of gesloten bron."
CLOUD_MODEL_UNKNOWN = "Kies alleen hostingmodellen uit de lijst."
CONCEPT_LEFT_GEMMA = "Referentiecomponent {} staat niet meer in GEMMA en kan niet meer worden gekozen."


class InvalidInput(BadRequest):
    """Input that breaks a rule; ``str()`` is the Dutch message (FAB's API answers 400 with it)."""

    def __init__(self, message: str):
        super().__init__(description=message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- rules
def licence_problems(licence_type: str | None, spdx: str | None) -> dict[str, str]:
    """Field name -> Dutch message for a licence choice that breaks the SPDX rule."""
    problems = {}
    if licence_type and licence_type not in dict(LICENCE_TYPES):
        problems["licence_type"] = LICENCE_UNKNOWN
    if spdx and spdx not in SPDX_LICENCES:
        problems["licence_spdx"] = SPDX_UNKNOWN
    elif licence_type == "open_source" and not spdx:
        problems["licence_spdx"] = SPDX_REQUIRED
    elif licence_type != "open_source" and spdx:
        problems["licence_spdx"] = SPDX_REFUSED
    return problems


def cloud_model_problem(value: str | None) -> str | None:
    known = dict(CLOUD_MODELS)
    if any(v not in known for v in (value or "").split(",") if v):
        return CLOUD_MODEL_UNKNOWN
    return None


def date_problems(values: dict[str, dt.date | None]) -> dict[str, str]:
    """Field name -> Dutch message for version dates out of order (each compared with the last one before it)."""
    problems = {}
    previous = None
    for name, label in VERSION_DATES:
        value = values.get(name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            problems[name] = f"{label} kan niet vóór {previous[0].lower()} liggen."
        previous = (label, value)
    return problems


def _taken(model, package_id, name, exclude_id) -> bool:
    if package_id is None or not name:
        return False
    query = select(model.id).where(model.package_id == package_id, model.name == name)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    with db.session.no_autoflush:
        return db.session.scalar(query.limit(1)) is not None


def module_name_taken(package_id, name, exclude_id=None) -> bool:
    return _taken(Module, package_id, name, exclude_id)


def version_label_taken(package_id, name, exclude_id=None) -> bool:
    return _taken(Version, package_id, name, exclude_id)


def newly_linked_outside_release(package: Package) -> list:
    """Referentiecomponenten added to ``package`` in this change that left GEMMA."""
    history = sa_inspect(package).attrs["referentiecomponenten"].history
    return [rc for rc in (history.added or []) if not rc.in_release]


# --------------------------------------------------------------------------- checks for the API
def check_package(package: Package) -> None:
    """Raise InvalidInput when a package breaks a rule (the forms check the same per field)."""
    problems = licence_problems(package.licence_type, package.licence_spdx)
    problem = cloud_model_problem(package.cloud_models)
    if problem:
        problems["cloud_models"] = problem
    if package.data_location is not None and package.data_location not in {"nl", "eu", "buiten_eu"}:
        problems["data_location"] = "Kies een datalocatie uit de lijst."
    outside = newly_linked_outside_release(package)
    if outside:
        problems["referentiecomponenten"] = CONCEPT_LEFT_GEMMA.format(outside[0].name)
    if problems:
        raise InvalidInput(" ".join(problems.values()))


def check_child(item, taken) -> None:
    """Module or version: a unique name per package."""
    if item.package is None:
        raise InvalidInput("Kies het pakket.")
    if taken(item.package.id, item.name, item.id):
        raise InvalidInput(MODULE_NAME_TAKEN if isinstance(item, Module) else VERSION_LABEL_TAKEN)


def check_version(version: Version) -> None:
    check_child(version, version_label_taken)
    problems = date_problems({name: getattr(version, name) for name, _ in VERSION_DATES})
    if problems:
        raise InvalidInput(" ".join(problems.values()))




# --------------------------------------------------------------------------- tenancy of a package's links
class SettableRelationsOnly:
    """Mixin for the package view and API: check only the links a user sets on a package.

    The core check looks at every relationship of a package, also those no form or JSON
    of F004 sets and that rightly point elsewhere: ``registered_by`` (the municipality that
    registered the package on the supplier's behalf) and ``services`` (other suppliers'
    services on this package). Those would make every edit of such a package fail. The
    links a user can set here (contact person; the logo is stored by the view) must still
    be of the own organisation; the organisation itself is checked by the core add/update.
    """

    SETTABLE_RELATIONS = ("contact_person", "logo")

    def check_related(self, item) -> None:
        from core.tenancy import TenantViolation, current_organisation_id, sees_all_organisations

        if sees_all_organisations():
            return
        org_id = current_organisation_id()
        for key in self.SETTABLE_RELATIONS:
            target = getattr(item, key)
            if target is not None and target.organisation_id != org_id:
                raise TenantViolation("U kunt alleen gegevens van uw eigen organisatie kiezen.")


# --------------------------------------------------------------------------- logo
def check_image_upload(storage) -> files.CheckedFile | None:
    """The checked content of an uploaded logo (None when no file was chosen); raises UploadRejected."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    data = files.read_limited(storage.stream, files.IMAGE_MAX_BYTES, "De afbeelding")
    return files.validate_image(data, original_name=storage.filename)


def replace_logo(package: Package, checked: files.CheckedFile | None, remove: bool) -> None:
    """Store a new logo or remove the current one; the old file goes."""
    if checked is None and not remove:
        return
    old = package.logo
    package.logo = None
    if checked is not None:
        package.logo = files.store(db.session, checked, package.organisation_id, kind="pakketlogo", public=True)
    if old is not None:
        db.session.flush()
        files.discard(db.session, old)


# --------------------------------------------------------------------------- status
def publish_problems(package: Package) -> list[str]:
    """What is missing before ``package`` can be published (Dutch, empty when ready)."""
    problems = []
    if not (package.short_description or "").strip():
        problems.append("Vul een korte beschrijving in.")
    if not package.referentiecomponenten:
        problems.append("Voeg minimaal één referentiecomponent toe.")
    if not package.cloud_model_list:
        problems.append("Kies minimaal één hostingmodel.")
    if not package.licence_type:
        problems.append("Kies de licentievorm (open source of gesloten bron).")
    problems += list(licence_problems(package.licence_type, package.licence_spdx).values())
    return problems


def publish(package: Package, actor) -> list[str]:
    """Publish when nothing is missing; returns what is missing (nothing changed then)."""
    problems = publish_problems(package)
    if problems or package.status == PUBLISHED:
        return problems
    package.status = PUBLISHED
    package.published_on = utcnow()
    package.unpublished_reason = None
    audit.record(db.session, "pakket_publiceren", object_type="Package", object_id=package.id,
                 organisation_id=package.organisation_id, user=actor)
    emit(PackagePublished(package_id=package.id, organisation_id=package.organisation_id,
                          actor_id=getattr(actor, "id", None)))
    return []


def to_concept(package: Package, actor) -> bool:
    """The supplier takes its own package back to concept; False when it already was."""
    if package.status != PUBLISHED:
        return False
    package.status = CONCEPT
    audit.record(db.session, "pakket_naar_concept", object_type="Package", object_id=package.id,
                 organisation_id=package.organisation_id, user=actor)
    return True


def unpublish(package: Package, actor, reason: str) -> tuple[bool, bool]:
    """The Functioneel beheerder unpublishes with a reason: (changed, e-mail sent). Commits."""
    if package.status != PUBLISHED:
        return False, False
    package.status = CONCEPT
    package.unpublished_reason = reason
    audit.record(db.session, "pakket_depubliceren", object_type="Package", object_id=package.id,
                 organisation_id=package.organisation_id, user=actor, details={"reden": reason})
    emit(PackageUnpublished(package_id=package.id, organisation_id=package.organisation_id, reason=reason,
                            actor_id=getattr(actor, "id", None)))
    recipients = supplier_managers(package.organisation_id)
    queued = False
    if recipients:
        link = mail.absolute_url(url_for("PackageView.show", pk=package.id))
        try:
            mail.send(recipients, f"Uw pakket {package.name} is teruggezet naar concept", "f004_unpublished",
                      package=package, reason=reason, link=link)
            queued = True
        except Exception:  # noqa: BLE001 - a mail that cannot be made must not undo the unpublishing
            log.exception("E-mail over het depubliceren van pakket %s kon niet worden gemaakt", package.id)
    db.session.commit()  # the change and its mail (outbox) together
    return True, queued


def supplier_managers(organisation_id: int) -> list[str]:
    """E-mail addresses of the active Aanbod-beheerders of an organisation."""
    rows = db.session.scalars(
        select(ScgUser.email).join(Membership, Membership.user_id == ScgUser.id)
        .where(Membership.organisation_id == organisation_id, Membership.active.is_(True),
               Membership.role_name == AANBOD_BEHEERDER, ScgUser.active.is_(True))
        .order_by(ScgUser.email)
    ).all()
    return list(rows)


def offering_counts(organisation_id: int) -> tuple[int, int, int]:
    """(packages, published packages, standard claims) of a supplier, for its welcome page."""
    packages, published = db.session.execute(
        select(func.count(Package.id), func.count(Package.id).filter(Package.status == "gepubliceerd"))
        .where(Package.organisation_id == organisation_id)).one()
    claims = db.session.scalar(select(func.count(StandardClaim.id))
                               .where(StandardClaim.organisation_id == organisation_id))
    return packages or 0, published or 0, claims or 0


def has_packages(organisation_id: int) -> bool:
    return db.session.scalar(select(Package.id).where(Package.organisation_id == organisation_id).limit(1)) is not None
