"""Pages of the offering: packages (with publishing), their modules and versions."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core import files
from core.catalogue.models import (
    CLOUD_MODELS,
    DATA_LOCATIONS,
    LICENCE_TYPES,
    PACKAGE_STATUSES,
    VERSION_STATUSES,
    Module,
    Package,
    Version,
    label,
)
from core.catalogue.standards import standards_for_package, standards_for_packages
from core.extensions import db
from core.formatting import local_time
from core.parents import ParentPage
from core.tenancy import TenantModelView
from plugins.f004_aanbod import forms, service
from plugins.f004_aanbod.claims import StandardClaimView
from plugins.f004_aanbod.documents import PackageDocumentView
from plugins.f004_aanbod.screenshots import ScreenshotView
from plugins.f004_aanbod.shared import PackageChild

PACKAGE_LABELS = {
    "organisation": "Leverancier", "organisation.name": "Leverancier", "name": "Naam",
    "short_description": "Korte beschrijving", "long_description": "Uitgebreide beschrijving (Markdown)",
    "website": "Website", "logo_upload": "Logo (PNG, JPEG of WebP, maximaal 1 MB)", "logo": "Logo",
    "remove_logo": "Huidig logo verwijderen", "contact_person": "Contactpersoon",
    "referentiecomponenten": "Referentiecomponenten", "cloud_models": "Hostingmodellen",
    "cloud_provider": "Cloudprovider", "data_location": "Datalocatie", "licence_type": "Licentievorm",
    "licence_spdx": "SPDX-licentie", "demo_video_url": "Demovideo (webadres)", "status": "Status",
    "published_on": "Gepubliceerd op", "unpublished_reason": "Reden terugzetten naar concept",
    "changed_on": "Gewijzigd op",
}
CHILD_LABELS = {"package": "Pakket", "package.name": "Pakket", "name": "Naam", "description": "Omschrijving",
                "changed_on": "Gewijzigd op"}
VERSION_LABELS = dict(CHILD_LABELS, name="Versielabel", status="Status",
                      start_development="Start ontwikkeling", start_test="Start test",
                      start_distribution="Start distributie", end_support="Einde ondersteuning")
SHORT_LIMIT = 255


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value) -> str:
    return "" if value is None else value


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


class _Pages(TenantModelView):
    """Dutch page templates with one h1 each."""

    list_template = "f004/list.html"
    show_template = "f004/show.html"
    add_template = "f004/add.html"
    edit_template = "f004/edit.html"
    page_size = 50


class _ChildPages(PackageChild, _Pages):
    """Modules and versions: they belong to the organisation of their package; saves return to its tab."""


class ModuleView(_ChildPages):
    datamodel = SQLAInterface(Module)
    route_base = "/modules"
    class_permission_name = "PackageModule"
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit"}
    add_row_message = "De module is toegevoegd aan {parent}."
    edit_row_message = "De module van {parent} is opgeslagen."
    delete_row_message = "De module is verwijderd uit {parent}."
    list_title = "Modules"
    empty_message = "Nog geen modules"
    show_title = "Module"
    add_title = "Module toevoegen"
    edit_title = "Module wijzigen"
    label_columns = CHILD_LABELS
    list_columns = ["name", "package.name", "changed_on"]
    show_columns = ["name", "package", "description", "changed_on"]
    add_columns = edit_columns = ["package", "name", "description"]
    search_columns = ["name", "package"]
    order_columns = ["name", "changed_on"]
    base_order = ("name", "asc")
    formatters_columns = {"description": _text, "changed_on": lambda v: local_time(v, empty="")}
    validators_columns = {
        "name": [DataRequired(message="Vul de naam van de module in."),
                 Length(max=200, message="Maximaal 200 tekens."),
                 forms.unique_in_package(service.module_name_taken, service.MODULE_NAME_TAKEN)],
        "description": [Optional(), Length(max=5000, message="Maximaal 5.000 tekens.")],
    }
    description_columns = {"package": "Het pakket waar deze module onderdeel van is."}


class VersionView(_ChildPages):
    datamodel = SQLAInterface(Version)
    route_base = "/versies"
    class_permission_name = "PackageVersion"
    method_permission_name = ModuleView.method_permission_name
    add_row_message = "De versie is toegevoegd aan {parent}."
    edit_row_message = "De versie van {parent} is opgeslagen."
    delete_row_message = "De versie is verwijderd uit {parent}."
    list_title = "Versies"
    empty_message = "Nog geen versies"
    show_title = "Versie"
    add_title = "Versie toevoegen"
    edit_title = "Versie wijzigen"
    label_columns = VERSION_LABELS
    list_columns = ["name", "package.name", "status", "start_distribution", "end_support"]
    show_columns = ["name", "package", "status", "description", "start_development", "start_test",
                    "start_distribution", "end_support", "changed_on"]
    add_columns = edit_columns = ["package", "name", "status", "description", "start_development", "start_test",
                                  "start_distribution", "end_support"]
    search_columns = ["name", "package", "status"]
    order_columns = ["name", "status", "start_distribution", "end_support"]
    base_order = ("name", "asc")
    formatters_columns = {"status": lambda v: label(VERSION_STATUSES, v), "description": _text,
                          "start_development": _date, "start_test": _date, "start_distribution": _date,
                          "end_support": _date, "changed_on": lambda v: local_time(v, empty="")}
    validators_columns = {
        "name": [DataRequired(message="Vul het versielabel in, bijvoorbeeld 4.2."),
                 Length(max=100, message="Maximaal 100 tekens."),
                 forms.unique_in_package(service.version_label_taken, service.VERSION_LABEL_TAKEN)],
        "description": [Optional(), Length(max=5000, message="Maximaal 5.000 tekens.")],
    }
    add_form_extra_fields = edit_form_extra_fields = forms.version_extra_fields()
    description_columns = {"package": "Het pakket waar deze versie bij hoort.",
                           "end_support": "Laat leeg zolang de einddatum niet bekend is."}


def missing_text(count: int) -> str:
    """"1 verplichte standaard nog niet geclaimd", "5 verplichte standaarden nog niet geclaimd"."""
    return f"{count} verplichte standaard{'' if count == 1 else 'en'} nog niet geclaimd"


class UnpublishForm(FlaskForm):
    reason = TextAreaField("Reden", render_kw={"rows": 5}, validators=[
        DataRequired(message="Vul de reden in; de leverancier ziet deze reden."),
        Length(max=2000, message="Maximaal 2.000 tekens.")])


PACKAGE_FORM = ["name", "short_description", "long_description", "website", "logo_upload", "contact_person",
                "referentiecomponenten", "cloud_models", "cloud_provider", "data_location", "licence_type",
                "licence_spdx", "demo_video_url"]


class PackageView(service.SettableRelationsOnly, _Pages):
    datamodel = SQLAInterface(Package)
    route_base = "/pakketten"
    class_permission_name = "Package"
    tenant_parent = "organisation"  # the form sets the relationship, not the column
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit", "publish": "edit", "to_concept": "edit",
                              "confirm_publish": "edit", "unpublish": "unpublish"}
    show_template = "f004/package_show.html"
    add_template = "f004/package_add.html"
    edit_template = "f004/package_edit.html"
    list_title = "Pakketten"
    empty_message = "Nog geen pakketten"
    show_title = "Pakket"
    add_title = "Pakket toevoegen"
    edit_title = "Pakket wijzigen"
    label_columns = PACKAGE_LABELS
    list_columns = ["name", "organisation.name", "status", "changed_on"]
    show_columns = ["name", "organisation", "status", "changed_on"]
    add_columns = ["organisation"] + PACKAGE_FORM
    edit_columns = PACKAGE_FORM[:5] + ["remove_logo"] + PACKAGE_FORM[5:]
    search_columns = ["name", "status"]
    order_columns = ["name", "status", "changed_on"]
    base_order = ("name", "asc")
    formatters_columns = {"status": lambda v: label(PACKAGE_STATUSES, v),
                          "changed_on": lambda v: local_time(v, empty="")}
    description_columns = {
        "short_description": f"Eén of twee zinnen, maximaal {SHORT_LIMIT} tekens. Staat in zoekresultaten.",
        "long_description": "U kunt Markdown gebruiken: **vet**, *cursief*, lijsten en links.",
        "contact_person": "Een contactpersoon van uw organisatie (zie Organisatie > Contactpersonen).",
        "demo_video_url": "Een webadres van een demovideo, bijvoorbeeld op PeerTube of YouTube.",
    }
    validators_columns = {
        "name": [DataRequired(message="Vul de naam van het pakket in."),
                 Length(max=200, message="Maximaal 200 tekens.")],
        "short_description": [Optional(), Length(max=SHORT_LIMIT, message=f"Maximaal {SHORT_LIMIT} tekens.")],
        "long_description": [Optional(), Length(max=20000, message="Maximaal 20.000 tekens.")],
        "website": forms.url_check(),
        "demo_video_url": forms.url_check(),
        "cloud_provider": [Optional(), Length(max=200, message="Maximaal 200 tekens.")],
    }
    add_form_extra_fields = forms.package_extra_fields(edit=False)
    edit_form_extra_fields = forms.package_extra_fields(edit=True)
    related_views = [ModuleView, VersionView, StandardClaimView, PackageDocumentView, ScreenshotView]
    add_row_message = "Het pakket is toegevoegd."
    edit_row_message = "Het pakket is opgeslagen."
    delete_row_message = "Het pakket is verwijderd."

    def parent_page(self, item=None):
        """A saved package returns to its own page; the add page and a delete to the list."""
        pk = getattr(item, "id", None) if item is not None else None
        if pk is None:
            return self.list_page()
        return ParentPage(url=url_for(".show", pk=pk), crumbs=(("Pakketten", url_for(".list")),))

    def parent_page_after_delete(self, item):
        return self.list_page()

    # --- saving --------------------------------------------------------------------
    def process_form(self, form, is_created):
        g.f004_logo = getattr(form.logo_upload, "checked", None)
        g.f004_remove_logo = bool(getattr(form, "remove_logo", None) and form.remove_logo.data)
        form.logo_upload.data = None  # (the form may not copy an upload into the model)
        del form.logo_upload
        if hasattr(form, "remove_logo"):
            del form.remove_logo
        for name in ("short_description", "long_description", "website", "cloud_provider", "demo_video_url"):
            field = getattr(form, name, None)
            if field is not None and not (field.data or "").strip():
                field.data = None

    def _save_extras(self, item):
        service.check_package(item)
        service.replace_logo(item, g.pop("f004_logo", None), g.pop("f004_remove_logo", False))

    def pre_add(self, item):
        super().pre_add(item)
        self._save_extras(item)

    def pre_update(self, item):
        super().pre_update(item)
        self._save_extras(item)

    def pre_delete(self, item):
        super().pre_delete(item)
        if item.logo is not None:
            files.discard(db.session, item.logo)

    # --- pages -----------------------------------------------------------------------
    def _package(self, pk) -> Package:
        pk = _int_or_none(pk)
        item = self.get_tenant_item(pk) if pk is not None else None
        if item is None:
            abort(404)
        return item

    def _may(self, permission: str) -> bool:
        return self.appbuilder.sm.has_access(permission, self.class_permission_name)

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        package = self._package(pk)
        widgets = self._show(package.id)
        return self.render_template(
            self.show_template, pk=package.id, title=package.name, widgets=widgets,
            related_views=self._related_views, package=package, problems=service.publish_problems(package),
            missing_standards=standards_for_package(package.id).missing_mandatory, missing_text=missing_text,
            can_edit=self._may("can_edit"), can_delete=self._may("can_delete"),
            can_unpublish=self._may("can_unpublish"), status_label=label(PACKAGE_STATUSES, package.status),
            cloud_models=[label(CLOUD_MODELS, v) for v in package.cloud_model_list],
            data_location=label(DATA_LOCATIONS, package.data_location),
            licence_type=label(LICENCE_TYPES, package.licence_type), local_time=local_time)

    # --- status ----------------------------------------------------------------------
    def _back(self, items):
        if len(items) == 1 and request.form.get("next") == "show":
            return redirect(url_for(".show", pk=items[0].id))
        return redirect(url_for(".list"))

    @action("publish", "Publiceren", icon="fa-check", single=False)
    def publish(self, items):
        """Publish complete packages. One with mandatory standards not claimed waits for a confirmation
        (``bevestigd=ja``, sent by the confirmation page); the others are published right away."""
        items = items if isinstance(items, list) else [items]
        confirmed = request.form.get("bevestigd") == "ja"
        missing = {pid: s.missing_mandatory for pid, s in standards_for_packages([p.id for p in items]).items()}
        published, to_confirm = [], []
        for package in items:
            ready = package.status != service.PUBLISHED and not service.publish_problems(package)
            if ready and missing[package.id] and not confirmed:
                to_confirm.append(package)
                continue
            problems = service.publish(package, g.user)
            if problems:
                flash(f"{package.name} is niet gepubliceerd. " + " ".join(problems), "warning")
            elif package.status == service.PUBLISHED:
                published.append(package)
        db.session.commit()
        if published:
            names = [p.name for p in published]
            flash(("Gepubliceerd: " + ", ".join(names) + ".") if len(names) > 1
                  else f"{names[0]} is gepubliceerd.", "success")
            for package in published:
                if missing[package.id]:
                    flash(f"Let op, {package.name}: {missing_text(len(missing[package.id]))}. "
                          "Gemeenten zien dat in de catalogus.", "warning")
        if to_confirm:
            return redirect(url_for(".confirm_publish", pk=[p.id for p in to_confirm],
                                    next="show" if request.form.get("next") == "show" else None))
        return self._back(items)

    @expose("/publiceren")
    @has_access
    def confirm_publish(self):
        """Asks to confirm publishing packages whose mandatory standards are not all claimed."""
        ids = [_int_or_none(v) for v in request.args.getlist("pk")[:50]]
        packages = [p for p in (self.get_tenant_item(i) for i in dict.fromkeys(ids) if i is not None)
                    if p is not None and p.status != service.PUBLISHED and not service.publish_problems(p)]
        if not packages:
            flash("Er is geen pakket om te publiceren.", "info")
            return redirect(url_for(".list"))
        standards = standards_for_packages([p.id for p in packages])
        waiting = [(p, standards[p.id].missing_mandatory) for p in packages]
        single = len(waiting) == 1
        back = url_for(".show", pk=packages[0].id) if single else url_for(".list")
        title = f"{packages[0].name} publiceren?" if single else "Pakketten publiceren?"
        return self.render_template("f004/publish_confirm.html", waiting=waiting, single=single, back=back,
                                    show_next=single and request.args.get("next") == "show",
                                    missing_text=missing_text, title=title)

    @action("to_concept", "Terugzetten naar concept", icon="fa-undo", single=False)
    def to_concept(self, items):
        items = items if isinstance(items, list) else [items]
        changed = [p.name for p in items if service.to_concept(p, g.user)]
        db.session.commit()
        if changed:
            flash("Teruggezet naar concept: " + ", ".join(changed) + ".", "success")
        else:
            flash("Er was geen gepubliceerd pakket geselecteerd.", "info")
        return self._back(items)

    @expose("/depubliceren/<pk>", methods=["GET", "POST"])
    @has_access
    def unpublish(self, pk):
        package = self._package(pk)
        if package.status != service.PUBLISHED:
            flash("Dit pakket is niet gepubliceerd.", "info")
            return redirect(url_for(".show", pk=package.id))
        form = UnpublishForm()
        if request.method == "POST":
            if form.validate_on_submit():
                _changed, sent = service.unpublish(package, g.user, form.reason.data.strip())
                flash(f"{package.name} is teruggezet naar concept.", "success")
                if not sent:
                    flash("De e-mail aan de leverancier kon niet worden verstuurd.", "warning")
                return redirect(url_for(".show", pk=package.id))
            status = 400
        else:
            status = 200
        return self.render_template("f004/unpublish.html", form=form, package=package,
                                    title=f"{package.name} terugzetten naar concept"), status
