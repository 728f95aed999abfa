"""F006's pages that are not model views: the dashboard, the notification settings, the privacy note.

The dashboard's tenancy is explicit: the Aanbod-beheerder reads its own organisation's
packages only (another package answers 404, with the same page as an unknown one); the
Functioneel beheerder names a supplier (``?leverancier=<id>``) or opens any package.
"""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField
from wtforms.validators import InputRequired

from core.catalogue.models import Package
from core.extensions import db
from core.models import Organisation
from core.tenancy import current_organisation_id, current_user, sees_all_organisations
from plugins.f006_inzichten import insights, recommendations, service
from plugins.f006_inzichten.charts import bar_svg, to_csv
from plugins.f006_inzichten.models import FREQUENCIES


def _supplier_id() -> int | None:
    """The supplier the dashboard is about: the own organisation, or the one the Functioneel beheerder names."""
    if sees_all_organisations():
        value = request.args.get("leverancier", "")
        return int(value) if value.isdigit() and len(value) < 10 else None
    org = getattr(current_user(), "organisation", None)
    return org.id if org is not None and org.type == "leverancier" else None


def _package_or_404(public_id: str) -> Package:
    package = db.session.scalar(select(Package).where(Package.public_id == public_id.lower()[:36]))
    if package is None:
        abort(404)
    if not sees_all_organisations() and package.organisation_id != current_organisation_id():
        abort(404)  # another supplier's package: as if it did not exist
    return package


class InsightsView(BaseView):
    route_base = "/inzichten"
    default_view = "index"
    class_permission_name = "Insights"
    method_permission_name = {"index": "show", "package": "show", "csv": "show"}

    def _scope(self, public_id: str | None):
        if public_id:
            package = _package_or_404(public_id)
            return package.organisation_id, [package.id], package
        supplier_id = _supplier_id()
        packages = insights.own_packages(supplier_id) if supplier_id is not None else []
        return supplier_id, [p.id for p in packages], None

    @expose("/")
    @has_access
    def index(self):
        supplier_id, ids, _ = self._scope(None)
        supplier = db.session.get(Organisation, supplier_id) if supplier_id is not None else None
        today = dt.date.today()
        packages = insights.own_packages(supplier_id) if supplier_id is not None else []
        searches = insights.searches(ids, today)
        return self.render_template(
            "f006/dashboard.html", title="Inzichten", supplier=supplier, package=None, packages=packages,
            summary=insights.summary(ids, today), charts=insights.charts(ids, supplier_id, today),
            viewers=insights.viewers(ids, today), interests=insights.interests(ids), bar_svg=bar_svg,
            recommendations=recommendations.for_packages(packages, today, searches),
            searches=searches, csv_args={"leverancier": supplier_id} if sees_all_organisations() else {},
            needs_supplier=supplier is None)

    @expose("/pakket/<string:public_id>")
    @has_access
    def package(self, public_id):
        supplier_id, ids, package = self._scope(public_id)
        today = dt.date.today()
        searches = insights.searches(ids, today)
        return self.render_template(
            "f006/dashboard.html", title=f"Inzichten: {package.name}", supplier=package.organisation,
            package=package, packages=[], summary=insights.summary(ids, today),
            charts=insights.charts(ids, supplier_id, today), viewers=insights.viewers(ids, today),
            interests=insights.interests(ids), bar_svg=bar_svg,
            recommendations=recommendations.for_packages([package], today, searches), searches=searches,
            csv_args={"pakket": package.public_id}, needs_supplier=False)

    @expose("/csv/<string:chart>")
    @has_access
    def csv(self, chart):
        public_id = request.args.get("pakket") or None
        supplier_id, ids, package = self._scope(public_id)
        found = insights.charts(ids, supplier_id, dt.date.today()).get(chart)
        if found is None:
            abort(404)
        name = f"inzichten-{chart}" + (f"-{package.public_id}" if package is not None else "") + ".csv"
        return Response("\ufeff" + to_csv(found), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


class SettingsForm(FlaskForm):
    frequency = RadioField("Hoe wilt u meldingen per e-mail ontvangen?", choices=list(FREQUENCIES),
                           validators=[InputRequired(message="Kies hoe vaak u e-mail wilt ontvangen.")])


class NotificationSettingsView(BaseView):
    """Every logged-in user's own choice of e-mail for notifications (the profile's part of F006)."""

    route_base = "/inzichten/meldingen/instellingen"
    default_view = "index"
    class_permission_name = "NotificationSettings"
    method_permission_name = {"index": "edit"}

    @expose("/", methods=["GET", "POST"])
    @has_access
    def index(self):
        user = current_user()
        form = SettingsForm()
        if request.method == "GET":
            form.frequency.data = service.frequency_of(user.id)
        elif form.validate_on_submit():
            service.set_frequency(user.id, form.frequency.data)
            db.session.commit()
            flash("Uw keuze voor e-mail over meldingen is opgeslagen.", "success")
            return redirect(url_for("NotificationSettingsView.index"))
        return self.render_template("f006/settings.html", form=form, title="Meldingen per e-mail")


class PrivacyView(BaseView):
    """What F006 keeps about views and interest, and why: public."""

    route_base = "/inzichten/privacy"
    default_view = "index"

    @expose("/")
    def index(self):
        return self.render_template("f006/privacy.html", title="Privacy: wat de catalogus bijhoudt over bezoeken",
                                    months=current_app.config["INZICHTEN_BEWAARTERMIJN_MAANDEN"],
                                    threshold=current_app.config["INZICHTEN_KLEIN_AANTAL"])


class StatisticsView(BaseView):
    """The catalogue in numbers: public, no permission needed, GET only."""

    route_base = "/statistiek"
    default_view = "index"

    @expose("/")
    def index(self):
        from plugins.f006_inzichten import statistics

        return self.render_template("f006/statistics.html", title="De catalogus in cijfers",
                                    totals=statistics.totals(), charts=statistics.charts(), bar_svg=bar_svg)

    @expose("/csv/<string:chart>")
    def csv(self, chart):
        from plugins.f006_inzichten import statistics

        found = statistics.charts().get(chart)
        if found is None:
            abort(404)
        return Response("\ufeff" + to_csv(found), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="statistiek-{chart}.csv"'})


class VngDashboardView(BaseView):
    """VNG's view of the catalogue's work: for the VNG-raadpleger and the Functioneel beheerder."""

    route_base = "/beheer/inzichten"
    default_view = "index"
    class_permission_name = "VngInsights"
    method_permission_name = {"index": "show", "csv": "show"}

    @expose("/")
    @has_access
    def index(self):
        from core.models import utcnow
        from plugins.f006_inzichten import vng

        today = dt.date.today()
        return self.render_template("f006/vng.html", title="Inzichten voor VNG", bar_svg=bar_svg,
                                    registrations=vng.registrations(utcnow()), documents=vng.documents_waiting(),
                                    charts=vng.charts(today))

    @expose("/csv/<string:chart>")
    @has_access
    def csv(self, chart):
        from plugins.f006_inzichten import vng

        found = vng.charts(dt.date.today()).get(chart)
        if found is None:
            abort(404)
        return Response("\ufeff" + to_csv(found), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="vng-{chart}.csv"'})
