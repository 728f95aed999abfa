"""Pages of F001: public registration and password reset, and the review queue of VNG."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from sqlalchemy import func, select

from core import accounts, concepts, password_reset, tokens
from core.catalogue.models import Package
from core.extensions import db
from core.formatting import local_time
from core.menu import BEHEER, in_category
from core.models import ORGANISATION_STATUS_LABELS, Organisation
from core.tenancy import TenantModelView
from plugins.f001_toegang import service
from plugins.f001_toegang.forms import (
    ApproveForm,
    ConfirmForm,
    EmailForm,
    NewPasswordForm,
    RegistrationForm,
    RejectForm,
)
from plugins.f001_toegang.models import Registration

CHECK_EMAIL_KEY = "f001_registered_email"


# --- public: registration -------------------------------------------------------

class RegistrationView(BaseView):
    """Registration of a supplier, the confirmation link and asking for a new link."""

    route_base = "/aanmelden"
    default_view = "register"

    @expose("/", methods=["GET", "POST"])
    def register(self):
        form = RegistrationForm()
        if form.validate_on_submit():
            data = service.RegistrationData(
                company_name=form.company_name.data, kvk_number=form.kvk_number.data, website=form.website.data,
                company_email=form.company_email.data, phone=form.phone.data, description=form.description.data,
                software_kinds=list(dict.fromkeys(form.software_kinds.data)), first_name=form.first_name.data,
                last_name=form.last_name.data, email=form.email.data, password=form.password.data,
            )
            try:
                registration, sent = service.register(data, request.remote_addr)
            except service.RegistrationError as exc:
                field = getattr(form, exc.field) if exc.field else None
                if field is not None:
                    field.errors = list(field.errors) + [exc.message]
                else:
                    flash(exc.message, "danger")
            else:
                # The same answer whether or not the address already had an account (then
                # its owner got an e-mail instead): the page tells nobody who is registered.
                session[CHECK_EMAIL_KEY] = accounts.normalise_email(data.email)
                if not sent:
                    flash("Uw aanmelding is opgeslagen, maar de e-mail kon niet worden verstuurd. "
                          "Vraag hieronder een nieuwe link aan.", "warning")
                return redirect(url_for(".check_email"))
        return self.render_template("f001/register.html", form=form, title="Aanmelden als leverancier",
                                    contact=current_app.config["VNG_CONTACT_EMAIL"])

    @expose("/controleer-uw-e-mail/")
    def check_email(self):
        return self.render_template("f001/check_email.html", email=session.get(CHECK_EMAIL_KEY),
                                    hours=current_app.config["CONFIRM_LINK_MAX_AGE"] // 3600,
                                    title="Controleer uw e-mail")

    @expose("/bevestigen/<token>", methods=["GET", "POST"])
    def confirm(self, token):
        form = ConfirmForm()
        try:
            if form.validate_on_submit():
                registration, confirmed = service.confirm(token)
                return self.render_template("f001/confirmed.html", registration=registration,
                                            confirmed=confirmed, title="E-mailadres bevestigd")
            registration, _payload = service.registration_for_token(token)
        except tokens.TokenError as exc:
            db.session.rollback()
            return self._link_problem(exc)
        return self.render_template("f001/confirm.html", form=form, registration=registration,
                                    title="Bevestig uw e-mailadres")

    def _link_problem(self, exc: tokens.TokenError):
        return self.render_template("f001/link_problem.html", reason=exc.reason, message=exc.message,
                                    form=EmailForm(formdata=None), title="Deze link werkt niet"), 400

    @expose("/nieuwe-link/", methods=["GET", "POST"])
    def new_link(self):
        form = EmailForm()
        if form.validate_on_submit():
            service.resend_confirmation(form.email.data)
            return redirect(url_for(".new_link_sent"))
        return self.render_template("f001/new_link.html", form=form, title="Nieuwe bevestigingslink aanvragen")

    @expose("/nieuwe-link/verstuurd/")
    def new_link_sent(self):
        return self.render_template("f001/new_link_sent.html", title="Nieuwe link aangevraagd",
                                    hours=current_app.config["CONFIRM_LINK_MAX_AGE"] // 3600)

    @expose("/privacyverklaring/")
    def privacy(self):
        return self.render_template("f001/privacy.html", title="Privacyverklaring",
                                    contact=current_app.config["VNG_CONTACT_EMAIL"])


# --- public: password reset ---------------------------------------------------------

class PasswordResetView(BaseView):
    """Asking for a reset link (never telling whether the account exists) and using it."""

    route_base = "/wachtwoord-vergeten"
    default_view = "request_reset"

    @expose("/", methods=["GET", "POST"])
    def request_reset(self):
        form = EmailForm()
        if form.validate_on_submit():
            service.request_password_reset(form.email.data)
            return redirect(url_for(".sent"))
        return self.render_template("f001/reset_request.html", form=form, title="Wachtwoord vergeten")

    @expose("/verstuurd/")
    def sent(self):
        return self.render_template("f001/reset_sent.html", title="Kijk in uw e-mail",
                                    hours=current_app.config["RESET_LINK_MAX_AGE"] // 3600)

    @expose("/nieuw/<token>", methods=["GET", "POST"])
    def reset(self, token):
        form = NewPasswordForm()
        try:
            user, _payload = password_reset.user_for_token(token)
            form.password_email = user.email  # the rule refuses a password with the e-mail name in it
            if form.validate_on_submit():
                service.reset_password(token, form.password.data)
                flash("Uw wachtwoord is gewijzigd. Log in met uw nieuwe wachtwoord.", "success")
                return redirect(url_for("ScgAuthDBView.login"))
        except tokens.TokenError as exc:
            db.session.rollback()
            return self.render_template("f001/reset_problem.html", message=exc.message, reason=exc.reason,
                                        title="Deze link werkt niet"), 400
        return self.render_template("f001/reset_form.html", form=form, user=user, title="Nieuw wachtwoord kiezen")


# --- functioneel beheerder: the review queue ----------------------------------------

# (status, label) of the tabs above the queue; the first is the default.
QUEUE_TABS = [
    (service.BEVESTIGD, "Te beoordelen"),
    (service.AANGEMELD, "E-mail nog niet bevestigd"),
    (service.GOEDGEKEURD, "Goedgekeurd"),
    (service.AFGEWEZEN, "Afgewezen"),
    ("alle", "Alle"),
]


def selected_status() -> str:
    """The status tab chosen on the list page (``?status=``); unknown or absent: the first tab."""
    wanted = request.args.get("status", "")
    return wanted if wanted in {key for key, _label in QUEUE_TABS} else QUEUE_TABS[0][0]


class QueueStatusFilter(BaseFilter):
    """On the list page: only registrations whose organisation has the chosen status."""

    name = "Status"
    arg_name = None

    def apply(self, query, value):
        if request.endpoint != "RegistrationQueueView.list":
            return query
        status = selected_status()
        if status == "alle":
            return query
        return query.filter(Registration.organisation.has(Organisation.status == status))


class RegistrationQueueView(TenantModelView):
    """Registrations for the functioneel beheerder: read-only list and detail, approve, reject.

    Only FAB's admin role (the Functioneel beheerder) holds these permissions; the tenancy
    base class keeps that safe should a role of an organisation ever be granted one.
    """

    datamodel = SQLAInterface(Registration)
    route_base = "/beheer/aanmeldingen"
    class_permission_name = "Registration"
    base_permissions = ["can_list", "can_show", "can_approve", "can_reject"]
    list_template = "f001/registration_list.html"
    list_title = "Aanmeldingen van leveranciers"
    empty_message = "Er wachten geen aanmeldingen van leveranciers"
    show_title = "Aanmelding"
    list_columns = ["organisation.name", "organisation.kvk_number", "organisation.status_label",
                    "user.email", "created_on", "confirmed_on"]
    label_columns = {
        "organisation.name": "Bedrijfsnaam",
        "organisation.kvk_number": "KvK-nummer",
        "organisation.status_label": "Status",
        "user.email": "E-mailadres eerste gebruiker",
        "created_on": "Aangemeld op",
        "confirmed_on": "Bevestigd op",
        "ip": "IP-adres",
    }
    formatters_columns = {"created_on": local_time, "confirmed_on": local_time}
    search_columns = ["created_on", "confirmed_on"]
    order_columns = ["created_on", "confirmed_on"]
    base_order = ("created_on", "asc")
    base_filters = [["organisation_id", QueueStatusFilter, None]]
    page_size = 50

    @expose("/list/")
    @has_access
    def list(self):
        widgets = self._list()
        return self.render_template(self.list_template, title=self.list_title, widgets=widgets,
                                    tabs=QUEUE_TABS, current_status=selected_status())

    def _registration(self, pk: int) -> Registration | None:
        return db.session.get(Registration, pk)

    def _render_show(self, registration: Registration, reject_form: RejectForm | None = None, status: int = 200):
        return self.render_template(
            "f001/registration_show.html", registration=registration, organisation=registration.organisation,
            title=self.show_title, approve_form=ApproveForm(), reject_form=reject_form or RejectForm(formdata=None),
            status_labels=ORGANISATION_STATUS_LABELS, local_time=local_time,
            can_review=registration.organisation.status == service.BEVESTIGD,
            concepts=self._concepts(registration),
        ), status

    @staticmethod
    def _concepts(registration: Registration) -> list[dict]:
        """The concept suppliers named like this one, with what linking them would bring."""
        found = concepts.matching_concepts(registration.organisation)
        counts = dict(db.session.execute(
            select(Package.organisation_id, func.count()).where(Package.organisation_id.in_([c.id for c in found]))
            .group_by(Package.organisation_id)).all()) if found else {}
        return [{"id": c.id, "name": c.name, "created_by": c.created_by_label, "packages": counts.get(c.id, 0)}
                for c in found]

    def _not_found(self):
        flash("Deze aanmelding bestaat niet (meer).", "warning")
        return redirect(url_for(".list"))

    @expose("/show/<int:pk>")
    @has_access
    def show(self, pk):
        registration = self._registration(pk)
        if registration is None:
            return self._not_found()
        return self._render_show(registration)

    @expose("/goedkeuren/<int:pk>", methods=["GET", "POST"])
    @has_access
    def approve(self, pk):
        registration = self._registration(pk)
        if registration is None:
            return self._not_found()
        if request.method != "POST" or not ApproveForm().validate_on_submit():
            flash("Goedkeuren kan alleen met de knop op deze pagina.", "warning")
            return redirect(url_for(".show", pk=pk))
        chosen = [int(v) for v in request.form.getlist("concept") if v.isdigit()]
        linking = [c for c in self._concepts(registration) if c["id"] in chosen]
        name = registration.organisation.name
        approved, sent = service.approve(registration, g.user, chosen)
        if approved:
            flash(f"De aanmelding van {name} is goedgekeurd.", "success")
            for c in linking:
                flash(f"Het concept {c['name']} is gekoppeld: {c['packages']} aangemelde "
                      f"{'pakket staat' if c['packages'] == 1 else 'pakketten staan'} nu bij {name}, "
                      "klaar om over te nemen.", "success")
            if not sent:
                flash("De e-mail aan de leverancier kon niet worden verstuurd.", "warning")
        else:
            self._already_reviewed(pk)
        return redirect(url_for(".show", pk=pk))

    @expose("/afwijzen/<int:pk>", methods=["GET", "POST"])
    @has_access
    def reject(self, pk):
        registration = self._registration(pk)
        if registration is None:
            return self._not_found()
        if request.method != "POST":
            return redirect(url_for(".show", pk=pk))
        form = RejectForm()
        if not form.validate_on_submit():
            return self._render_show(registration, reject_form=form, status=400)
        rejected, sent = service.reject(registration, g.user, form.reason.data)
        if rejected:
            flash(f"De aanmelding van {registration.organisation.name} is afgewezen.", "success")
            if not sent:
                flash("De e-mail aan de leverancier kon niet worden verstuurd.", "warning")
        else:
            self._already_reviewed(pk)
        return redirect(url_for(".show", pk=pk))

    def _already_reviewed(self, pk: int) -> None:
        registration = self._registration(pk)
        status = registration.organisation.status_label if registration else "onbekend"
        flash(f"Deze aanmelding kon niet worden beoordeeld: de status is nu “{status}”. "
              "Alleen bevestigde aanmeldingen kunnen worden beoordeeld.", "warning")


def _registration_rate_limit() -> str:
    return current_app.config.get("REGISTRATION_RATE_LIMIT", "5 per hour")


def register(appbuilder) -> None:
    """Add the views, the menu entry and the rate limits (core renders the Dutch 429 page)."""
    registration = appbuilder.add_view_no_menu(RegistrationView())
    password = appbuilder.add_view_no_menu(PasswordResetView())
    appbuilder.add_view(RegistrationQueueView, "Aanmeldingen", label="Aanmeldingen", icon="fa-inbox",
                        **in_category(BEHEER))
    app = current_app._get_current_object()
    if app.config.get("RATELIMIT_ENABLED"):
        for view in (registration, password):
            appbuilder.sm.limiter.limit(_registration_rate_limit, methods=["POST"])(view.blueprint)
