"""Screenshots of packages: image uploads checked like logos, at most 12 per package, in an order."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_wtf.file import FileField
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import IntegerField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from core import files
from core.catalogue.access import is_public
from core.catalogue.models import Screenshot
from core.extensions import db
from core.tenancy import current_organisation_id, sees_all_organisations
from plugins.f004_aanbod.shared import Api, Pages, image_upload, text, when

MAX_SCREENSHOTS = 12
TOO_MANY = (f"Een pakket heeft maximaal {MAX_SCREENSHOTS} schermafbeeldingen. "
            "Verwijder er eerst een voordat u een nieuwe toevoegt.")


def count_for(package_id: int, except_id: int | None = None) -> int:
    query = select(func.count(Screenshot.id)).where(Screenshot.package_id == package_id)
    if except_id is not None:
        query = query.where(Screenshot.id != except_id)
    return db.session.scalar(query) or 0


def _editing_pk() -> int | None:
    pk = (request.view_args or {}).get("pk")
    return int(pk) if pk is not None and str(pk).isdigit() else None


def room_for_one_more(form, field):
    package = field.data
    if package is not None and count_for(package.id, _editing_pk()) >= MAX_SCREENSHOTS:
        raise ValidationError(TOO_MANY)


def image_required(form, field):
    """An image is required when adding; when editing the current one stays if none is chosen."""
    if getattr(field, "checked", None) is None and _editing_pk() is None:
        raise ValidationError("Kies een afbeelding (PNG, JPEG of WebP).")


def image_url(stored) -> str:
    return url_for("ScreenshotFileView.download", token=stored.token)


def _thumbnail(stored) -> Markup | str:
    if stored is None:
        return ""
    return Markup('<img src="{}" alt="" style="max-width:160px;max-height:100px">').format(image_url(stored))


def _place(position) -> str:
    """The stored position (from 0) as people count (from 1)."""
    return "" if position is None else str(position + 1)


def normalise_positions(package_id: int) -> list[Screenshot]:
    """Number the package's screenshots 0, 1, 2, ... in their current order; return them in order."""
    shots = list(db.session.scalars(select(Screenshot).where(Screenshot.package_id == package_id)
                                    .order_by(Screenshot.position, Screenshot.id)))
    for index, shot in enumerate(shots):
        shot.position = index
    return shots


def move(shot: Screenshot, direction: str) -> bool:
    """Swap with the neighbour above ("up") or below ("down"); False when already at that end."""
    shots = normalise_positions(shot.package_id)
    index = next(i for i, s in enumerate(shots) if s.id == shot.id)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(shots):
        return False
    shots[index].position, shots[other].position = shots[other].position, shots[index].position
    return True


class ScreenshotView(Pages):
    """The supplier's screenshots; the list shows them in their order, with buttons to move them."""

    datamodel = SQLAInterface(Screenshot)
    route_base = "/schermafbeeldingen"
    class_permission_name = "Screenshot"
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit", "move": "edit"}
    list_template = "f004/screenshot_list.html"
    list_title = "Schermafbeeldingen"
    empty_message = "Nog geen schermafbeeldingen"
    show_title = "Schermafbeelding"
    add_title = "Schermafbeelding toevoegen"
    edit_title = "Schermafbeelding wijzigen"
    add_row_message = "De schermafbeelding is toegevoegd aan {parent}."
    edit_row_message = "De schermafbeelding van {parent} is opgeslagen."
    delete_row_message = "De schermafbeelding is verwijderd uit {parent}."
    label_columns = {"package": "Pakket", "file": "Afbeelding", "caption": "Onderschrift", "position": "Volgorde",
                     "upload": "Afbeelding (PNG, JPEG of WebP, maximaal 1 MB)", "created_on": "Toegevoegd op"}
    description_columns = {"upload": "Grote afbeeldingen worden verkleind tot 1600 pixels breed of hoog.",
                           "position": "1 staat vooraan, 2 daarna, enzovoort; of gebruik de knoppen in de lijst."}
    list_columns = ["package", "file", "caption", "position"]
    show_columns = ["package", "file", "caption", "position", "created_on"]
    add_columns = ["package", "upload", "caption"]
    edit_columns = ["package", "upload", "caption", "position"]
    search_columns = ["package", "caption"]
    order_columns = ["position", "caption"]
    base_order = ("position", "asc")
    formatters_columns = {"file": _thumbnail, "caption": text, "created_on": when, "position": _place}
    validators_columns = {
        "package": [DataRequired(message="Kies een pakket."), room_for_one_more],
        "caption": [Optional(), Length(max=200, message="Maximaal 200 tekens.")],
    }
    add_form_extra_fields = {
        "upload": FileField("Afbeelding (PNG, JPEG of WebP, maximaal 1 MB)",
                            validators=[image_upload(), image_required]),
    }
    edit_form_extra_fields = dict(add_form_extra_fields, position=IntegerField(
        "Volgorde", validators=[Optional(), NumberRange(min=1, max=100, message="Vul een getal van 1 tot 100 in.")]))

    def prefill_form(self, form, pk):
        """People count from 1; the stored position from 0."""
        item = self.get_tenant_item(pk)
        if item is not None and "position" in form and item.position is not None:
            form.position.data = item.position + 1

    def process_form(self, form, is_created):
        g.f004_image = getattr(form.upload, "checked", None)
        form.upload.data = None
        del form.upload
        if "position" in form and form.position.data is not None:
            form.position.data -= 1

    def _store(self, item) -> None:
        checked = g.pop("f004_image", None)
        if checked is None:
            return
        old = item.file
        item.file = files.store(db.session, checked, item.organisation_id, kind="schermafbeelding", public=True)
        if old is not None:
            db.session.flush()
            files.discard(db.session, old)

    def pre_add(self, item):
        super().pre_add(item)
        self._store(item)
        if item.file is None:
            raise ValueError("Kies een afbeelding (PNG, JPEG of WebP).")
        package_id = item.package.id if item.package is not None else item.package_id  # (form sets the relation)
        with db.session.no_autoflush:  # (the new row is not in the session yet)
            last = db.session.scalar(select(func.max(Screenshot.position)).where(Screenshot.package_id == package_id))
        item.position = 0 if last is None else last + 1

    def pre_update(self, item):
        if item.position is None:
            item.position = 0
        super().pre_update(item)
        self._store(item)

    def pre_delete(self, item):
        super().pre_delete(item)
        files.discard(db.session, item.file)

    @expose("/list/")
    @has_access
    def list(self):
        widgets = self._list()
        return self.render_template(self.list_template, title=self.list_title, widgets=widgets,
                                    ordering=self._ordering(),
                                    can_move=self.appbuilder.sm.has_access("can_edit", self.class_permission_name))

    def _ordering(self) -> list[tuple[object, list[Screenshot]]]:
        """The visible screenshots per package, in order (of one package with ``_flt_0_package``)."""
        query = (select(Screenshot).options(joinedload(Screenshot.package))
                 .order_by(Screenshot.package_id, Screenshot.position, Screenshot.id).limit(600))
        if not sees_all_organisations():
            query = query.where(Screenshot.organisation_id == (current_organisation_id() or -1))
        wanted = request.args.get("_flt_0_package", "")
        if wanted.isdigit() and len(wanted) < 10:
            query = query.where(Screenshot.package_id == int(wanted))
        groups: dict[int, tuple[object, list[Screenshot]]] = {}
        for shot in db.session.scalars(query).unique():
            groups.setdefault(shot.package_id, (shot.package, []))[1].append(shot)
        return sorted(groups.values(), key=lambda g: g[0].name.lower())

    @expose("/verplaatsen/<int:pk>", methods=["POST"])
    @has_access
    def move(self, pk):
        """Move one screenshot up or down within its package (POST with CSRF)."""
        from flask_wtf.csrf import CSRFError, validate_csrf

        shot = self.get_tenant_item(pk)
        back = request.form.get("next", "")
        back = back if back.startswith("/schermafbeeldingen/") and "//" not in back else url_for(".list")
        if shot is None:
            flash("Deze schermafbeelding bestaat niet of u heeft er geen toegang toe.", "danger")
            return redirect(url_for(".list"))
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (CSRFError, Exception):  # noqa: BLE001 - any CSRF problem: refuse
            flash("Het formulier is verlopen. Probeer het opnieuw.", "danger")
            return redirect(back)
        direction = request.form.get("direction")
        if direction not in ("up", "down"):
            flash("Kies omhoog of omlaag.", "danger")
            return redirect(back)
        self.tenant_pre_update(shot)
        if move(shot, direction):
            db.session.commit()
            flash("De volgorde is aangepast.", "success")
        else:
            db.session.rollback()
            flash("Deze schermafbeelding staat al " + ("bovenaan." if direction == "up" else "onderaan."), "info")
        return redirect(back)


class ScreenshotApi(Api):
    """``/api/v1/schermafbeeldingen``: read, change caption and order, delete (images are uploaded on the page)."""

    datamodel = SQLAInterface(Screenshot)
    resource_name = "schermafbeeldingen"
    class_permission_name = "ScreenshotApi"
    base_permissions = ["can_get", "can_info", "can_put", "can_delete"]
    exclude_route_methods = {"post"}
    list_columns = show_columns = ["id", "package.id", "package.name", "caption", "position", "created_on"]
    edit_columns = ["caption", "position"]
    order_columns = ["position"]
    search_columns = ["package", "caption"]

    def pre_delete(self, item):
        super().pre_delete(item)
        files.discard(db.session, item.file)


class ScreenshotFileView(BaseView):
    """Screenshot images: for everybody when the package is public, else for the owner and VNG."""

    route_base = "/schermafbeeldingbestanden"
    default_view = "download"

    @expose("/<token>")
    def download(self, token):
        row = db.session.execute(
            select(Screenshot, files.StoredFile).join(files.StoredFile, files.StoredFile.id == Screenshot.file_id)
            .where(files.StoredFile.token == token[:64])).first()
        if row is None:
            abort(404)
        shot, stored = row
        mine = sees_all_organisations() or shot.organisation_id == current_organisation_id()
        if not (mine or is_public(shot.package)):
            abort(404)
        response = files.file_response(stored, inline=True)
        if response is None:
            abort(404)
        return response
