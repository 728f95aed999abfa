"""Form fields and validators of the package, module and version pages (Dutch messages)."""

from __future__ import annotations

from flask import request
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_wtf.file import FileField
from sqlalchemy import or_, select
from wtforms import BooleanField, SelectMultipleField, widgets
from wtforms.validators import URL, Length, Optional, ValidationError

from core import files
from core.catalogue.models import (
    CLOUD_MODELS,
    DATA_LOCATIONS,
    LICENCE_TYPES,
    SPDX_LICENCES,
    VERSION_STATUSES,
    package_referentiecomponent,
)
from core.extensions import db
from core.form_fields import DutchDateField, DutchSelectField
from core.gemma.models import Referentiecomponent
from plugins.f004_aanbod import service


def https_only(form, field):
    if field.data and not field.data.strip().lower().startswith(("https://", "http://")):
        raise ValidationError("Een webadres begint met https:// of http://.")


def url_check(label: str = "webadres"):
    return [Optional(), URL(require_tld=True, message=f"Vul een volledig {label} in, met https://."),
            Length(max=500, message="Maximaal 500 tekens."), https_only]


def _current_pk() -> int | None:
    try:
        return int((request.view_args or {}).get("pk"))
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- fields
class OptionalSelectField(DutchSelectField):
    """A dropdown whose empty choice is stored as NULL, with a Dutch refusal."""

    def __init__(self, label=None, validators=None, choices=(), empty="– Geen keuze –", **kwargs):
        kwargs.setdefault("render_kw", {"class": "form-control"})
        super().__init__(label, validators, choices=[("", empty)] + list(choices), **kwargs)

    def process_data(self, value):
        super().process_data("" if value is None else value)

    def populate_obj(self, obj, name):
        setattr(obj, name, self.data or None)


class CheckboxesField(SelectMultipleField):
    """Checkboxes stored comma-separated in one text column (e.g. ``cloud_models``)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def process_data(self, value):
        if isinstance(value, str):
            value = [v for v in value.split(",") if v]
        super().process_data(value or [])

    def pre_validate(self, form):
        known = {value for value, _label in self.choices}
        if any(v not in known for v in self.data or []):
            raise ValidationError(service.CLOUD_MODEL_UNKNOWN)

    def populate_obj(self, obj, name):
        chosen = set(self.data or [])
        setattr(obj, name, ",".join(v for v, _label in self.choices if v in chosen) or None)


class DutchSelect2ManyWidget(Select2ManyWidget):
    """FAB's searchable multi-select with a Dutch placeholder."""

    def __call__(self, field, **kwargs):
        kwargs["class"] = "my_select2 form-control"
        kwargs["data-placeholder"] = "Zoek en kies referentiecomponenten"
        kwargs["multiple"] = "true"
        return widgets.Select.__call__(self, field, **kwargs)


def referentiecomponent_choices():
    """Concepts in the GEMMA release, plus those the edited package already links to."""
    query = select(Referentiecomponent).order_by(Referentiecomponent.name)
    pk = _current_pk() if (request.endpoint or "").endswith(".edit") else None
    if pk is None:
        query = query.where(Referentiecomponent.in_release.is_(True))
    else:
        linked = select(package_referentiecomponent.c.referentiecomponent_id).where(
            package_referentiecomponent.c.package_id == pk)
        query = query.where(or_(Referentiecomponent.in_release.is_(True), Referentiecomponent.id.in_(linked)))
    return db.session.scalars(query).all()


def referentiecomponent_label(rc: Referentiecomponent) -> str:
    return rc.label  # with its marker: "(niet meer in GEMMA)" or "(einde ondersteuning)"


def no_new_concept_outside_release(form, field):
    """A concept that left GEMMA may stay linked but can not be chosen anew."""
    chosen = field.data or []
    if getattr(field, "_invalid_formdata", False):  # (FAB's field drops unknown ids silently)
        raise ValidationError("Kies referentiecomponenten uit de lijst.")
    pk = _current_pk()
    linked = set()
    if pk is not None:
        linked = set(db.session.scalars(select(package_referentiecomponent.c.referentiecomponent_id)
                                        .where(package_referentiecomponent.c.package_id == pk)).all())
    for rc in chosen:
        if not rc.in_release and rc.id not in linked:
            raise ValidationError(service.CONCEPT_LEFT_GEMMA.format(rc.name))


class ImageUpload:
    """WTForms validator: an uploaded logo must be a real PNG, JPEG or WebP within the limits."""

    def __call__(self, form, field):
        try:
            field.checked = service.check_image_upload(field.data)
        except files.UploadRejected as exc:
            raise ValidationError(str(exc)) from None


def spdx_rule(form, field):
    problems = service.licence_problems(form.licence_type.data or None, field.data or None)
    if "licence_spdx" in problems:
        raise ValidationError(problems["licence_spdx"])


def unique_in_package(taken, message):
    def check(form, field):
        package = form.package.data if hasattr(form, "package") else None
        if package is not None and taken(package.id, (field.data or "").strip(), _current_pk()):
            raise ValidationError(message)
    return check


def dates_in_order(form, field):
    values = {name: getattr(form, name).data for name, _label in service.VERSION_DATES if hasattr(form, name)}
    problem = service.date_problems(values).get(field.name)
    if problem:
        raise ValidationError(problem)


# --------------------------------------------------------------------------- per page
def package_extra_fields(edit: bool) -> dict:
    fields = {
        "referentiecomponenten": QuerySelectMultipleField(
            "Referentiecomponenten", query_func=referentiecomponent_choices, get_pk_func=lambda rc: rc.id,
            get_label=referentiecomponent_label, widget=DutchSelect2ManyWidget(),
            validators=[no_new_concept_outside_release],
            description="De GEMMA-referentiecomponenten die dit pakket invult. Typ om te zoeken."),
        "cloud_models": CheckboxesField("Hostingmodellen", choices=list(CLOUD_MODELS),
                                        render_kw={"class": "list-unstyled"}),
        "data_location": OptionalSelectField("Datalocatie", choices=DATA_LOCATIONS),
        "licence_type": OptionalSelectField("Licentievorm", choices=LICENCE_TYPES),
        "licence_spdx": OptionalSelectField("SPDX-licentie", choices=[(c, c) for c in SPDX_LICENCES],
                                            validators=[spdx_rule],
                                            description="Verplicht bij open source, leeg bij gesloten bron."),
        "logo_upload": FileField("Logo (PNG, JPEG of WebP, maximaal 1 MB)", validators=[ImageUpload()]),
    }
    if edit:
        fields["remove_logo"] = BooleanField("Huidig logo verwijderen")
    return fields


def version_extra_fields() -> dict:
    fields = {"status": DutchSelectField("Status", choices=list(VERSION_STATUSES), default="in_ontwikkeling",
                                         render_kw={"class": "form-control"})}
    for name, label in service.VERSION_DATES:
        fields[name] = DutchDateField(label, validators=[Optional(), dates_in_order],
                                      render_kw={"class": "form-control"})
    return fields
