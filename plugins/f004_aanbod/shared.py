"""What the F004 modules for a package's parts (claims.py, documents.py, screenshots.py), takeover.py and
merge.py share: the page and API base classes, upload and URL validators, own packages, e-mail to managers."""

from __future__ import annotations

import logging

from werkzeug.exceptions import BadRequest
from wtforms import SelectField
from wtforms.validators import URL, Length, Optional, StopValidation, ValidationError

from core import accounts, files, mail
from core.catalogue.models import Package
from core.extensions import db
from core.formatting import local_time
from core.tenancy import TenantModelRestApi, TenantModelView, current_organisation_id, sees_all_organisations

log = logging.getLogger(__name__)

#: Maximum side (pixels) of a stored screenshot; larger images are scaled down.
SCREENSHOT_MAX_SIDE = 1600


def text(value) -> str:
    return "" if value is None else str(value)


def when(value) -> str:
    return local_time(value, empty="")


def https_only(form, field):
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError("Een webadres begint met https://.")


URL_CHECK = [Optional(), URL(require_tld=True, message="Vul een volledig webadres in, met https://."),
             Length(max=500, message="Maximaal 500 tekens."), https_only]


class CheckedUpload:
    """WTForms validator: the upload is read (within the limit) and checked by content.

    The checked file is put on ``field.checked``; nothing is stored yet.
    """

    def __init__(self, validate, limit: int, **options):
        self.validate, self.limit, self.options = validate, limit, options

    def __call__(self, form, field):
        field.checked = None
        storage = field.data
        if storage is None or not getattr(storage, "filename", None):
            return
        try:
            data = files.read_limited(storage.stream, self.limit, "Het bestand")
            field.checked = self.validate(data, original_name=storage.filename, **self.options)
        except files.UploadRejected as exc:
            raise ValidationError(str(exc)) from None


def pdf_upload() -> CheckedUpload:
    return CheckedUpload(files.validate_pdf, files.PDF_MAX_BYTES)


def image_upload() -> CheckedUpload:
    return CheckedUpload(files.validate_image, files.IMAGE_MAX_BYTES, max_side=SCREENSHOT_MAX_SIDE)


class ApiRefused(BadRequest):
    """A refused API request: FAB answers 400 with this Dutch message."""

    def __init__(self, message: str):
        super().__init__(description=message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PackageChild:
    """A package's part: saves return to its tab on the package's page (``core.parents``)."""

    tenant_parent = "package"
    parent_relation = "package"
    parent_endpoint = "PackageView.show"
    parent_trail = (("Pakketten", "PackageView.list"),)

    @property
    def parent_anchor(self) -> str:
        return type(self).__name__  # (the id of the view's tab on the package's page)


class Pages(PackageChild, TenantModelView):
    """Dutch page templates with one h1 each; FAB's ``_flt_0_package=<id>`` works on the list."""

    list_template = "f004/list.html"
    show_template = "f004/show.html"
    add_template = "f004/add.html"
    edit_template = "f004/edit.html"
    page_size = 50


class Api(TenantModelRestApi):
    """REST API of rows of a package: the row's organisation is the package's."""

    tenant_parent = "package"


def own_package(package_id) -> Package | None:
    """The package if the user may work on it (own organisation, or every one for VNG)."""
    try:
        package_id = int(package_id)
    except (TypeError, ValueError):
        return None
    package = db.session.get(Package, package_id)
    if package is None:
        return None
    if sees_all_organisations() or package.organisation_id == current_organisation_id():
        return package
    return None


def manager_emails(organisation_id: int) -> list[str]:
    """E-mail addresses of the active beheerders of an organisation."""
    return sorted({user.email for user in accounts.active_managers(organisation_id) if user.email})


def send_safely(to: list[str], subject: str, template: str, **context) -> bool:
    """Send an e-mail to ``to``; a failing mail server is logged and reported as False, never a 500."""
    if not to:
        return False
    try:
        mail.send(to, subject, template, **context)
    except Exception:  # noqa: BLE001 - any SMTP or template problem must not break the request
        log.exception("E-mail %r aan %s kon niet worden verstuurd", subject, to)
        return False
    return True


class ChoiceField(SelectField):
    """A select whose refusals are Dutch: a value that is not (or not a number in) the list."""

    def __init__(self, label=None, validators=None, refused: str = "Kies een waarde uit de lijst.", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.refused = refused

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None

    def pre_validate(self, form):
        if self.data is None or self.data not in {value for value, _ in self.choices}:
            raise StopValidation(self.refused)  # (ValidationError would let DataRequired replace it)
