"""Merging duplicate packages (Functioneel beheerder): choose two, see what moves, confirm by POST."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from wtforms import HiddenField
from wtforms.validators import DataRequired

from core.catalogue import merge as catalogue_merge
from core.catalogue.models import Package
from core.extensions import db
from core.models import Organisation
from core.tenancy import current_user
from plugins.f004_aanbod.shared import ChoiceField


def package_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Package.id, Package.name, Package.status, Organisation.name.label("supplier"))
                              .join(Organisation, Organisation.id == Package.organisation_id)
                              .order_by(Package.name, Organisation.name)).all()
    return [(r.id, f"{r.name} — {r.supplier} ({'gepubliceerd' if r.status == 'gepubliceerd' else 'concept'})")
            for r in rows]


class ChooseForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only shows a preview

    survivor = ChoiceField("Pakket dat blijft", coerce=int, refused="Kies een pakket uit de lijst.",
                           validators=[DataRequired(message="Kies het pakket dat blijft.")])
    duplicate = ChoiceField("Dubbel pakket (wordt opgeheven)", coerce=int, refused="Kies een pakket uit de lijst.",
                            validators=[DataRequired(message="Kies het dubbele pakket.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(0, "Kies een pakket")] + package_choices()
        self.survivor.choices = self.duplicate.choices = choices

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.survivor.data == self.duplicate.data:
            self.duplicate.errors = list(self.duplicate.errors) + ["Kies twee verschillende pakketten."]
            return False
        return ok


class ConfirmForm(FlaskForm):
    survivor = HiddenField(validators=[DataRequired()])
    duplicate = HiddenField(validators=[DataRequired()])


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


class PackageMergeView(BaseView):
    """Choose two packages, preview the merge, confirm it."""

    route_base = "/beheer/pakketten-samenvoegen"
    default_view = "index"
    class_permission_name = "PackageMerge"
    method_permission_name = {"index": "merge", "confirm": "merge"}

    @expose("/")
    @has_access
    def index(self):
        form = ChooseForm(request.args)
        wanted = "survivor" in request.args or "duplicate" in request.args
        if wanted and form.validate():
            try:
                plan = catalogue_merge.preview(form.survivor.data, form.duplicate.data)
            except catalogue_merge.MergeError as exc:
                form.duplicate.errors = list(form.duplicate.errors) + [str(exc)]
            else:
                return self.render_template("f004/merge_preview.html", plan=plan,
                                            confirm=ConfirmForm(formdata=None, survivor=plan.survivor.id,
                                                                duplicate=plan.duplicate.id),
                                            title="Samenvoegen controleren")
        status = 400 if wanted and form.errors else 200
        return self.render_template("f004/merge_choose.html", form=form, show_errors=wanted,
                                    title="Dubbele pakketten samenvoegen"), status

    @expose("/samenvoegen", methods=["POST"])
    @has_access
    def confirm(self):
        form = ConfirmForm()
        survivor, duplicate = _int(form.survivor.data), _int(form.duplicate.data)
        if not form.validate_on_submit() or survivor is None or duplicate is None:
            flash("Het formulier is verlopen of onvolledig. Kies de pakketten opnieuw.", "danger")
            return redirect(url_for(".index"))
        try:
            plan = catalogue_merge.merge(survivor, duplicate, actor=current_user())
            db.session.commit()
        except catalogue_merge.MergeError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(url_for(".index"))
        except SQLAlchemyError:
            db.session.rollback()
            flash("Het samenvoegen is niet gelukt omdat de gegevens tegelijk werden gewijzigd. Er is niets "
                  "veranderd; probeer het opnieuw.", "danger")
            return redirect(url_for(".index"))
        dropped = f" {plan.total_dropped} dubbele gegevens zijn vervallen." if plan.total_dropped else ""
        flash(f"{plan.duplicate_name} is samengevoegd met {plan.survivor_name}.{dropped}", "success")
        return redirect(url_for(".index"))
