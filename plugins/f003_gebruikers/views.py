"""Pages of user management: members, invitations, join requests, and the public pages."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_login import login_user

from core.extensions import db
from core.formatting import local_time, yes_no
from core.models import Membership, Organisation
from core.roles import all_roles
from core.tenancy import TenantModelView, current_organisation_id, sees_all_organisations
from plugins.f003_gebruikers import service
from plugins.f003_gebruikers.forms import (
    AcceptForm,
    ButtonForm,
    DecisionForm,
    InviteForm,
    JoinForm,
    JoinRequestForm,
    RoleForm,
    int_or_none,
)
from plugins.f003_gebruikers.models import Invitation, JoinRequest
from plugins.f003_gebruikers.service import LinkError, ManagementError


def _datetime(value) -> str:
    return local_time(value, empty="")


def _text(value) -> str:
    return "" if value is None else value


def _org_label(org: Organisation) -> str:
    return f"{org.name} ({org.type_label})"


class _TenantPages(TenantModelView):
    """Shared behaviour: Dutch page templates, a row by id through the tenant filter, bulk helper."""

    list_template = "f003/list.html"
    show_template = "f003/show.html"
    page_size = 50
    #: Text and endpoint of the button above the list (None: no button).
    list_button: tuple[str, str, str, str] | None = None  # text, endpoint, permission, view

    def _item_or_404(self, pk):
        pk = int_or_none(pk)
        item = self.get_tenant_item(pk) if pk is not None else None
        if item is None:
            abort(404)
        return item

    def _run(self, items, func, done: str, describe) -> object:
        """Apply ``func(item, actor)`` to each item; commit what worked, explain what did not."""
        items = items if isinstance(items, list) else [items]
        succeeded = 0
        for item in items:
            label = describe(item)
            try:
                with db.session.begin_nested():  # a refused row leaves no half change
                    func(item, g.user)
                succeeded += 1
            except ManagementError as exc:
                flash(f"{label}: {exc}", "danger")
        db.session.commit()
        if succeeded:
            flash(done.format(n=succeeded), "success")
        return redirect(self.return_url())

    def render_template(self, template, **kwargs):
        kwargs.setdefault("list_button", self.list_button)
        return super().render_template(template, **kwargs)


def _member_label(membership: Membership) -> str:
    return service.full_name(membership.user)


class UserView(_TenantPages):
    """The members of the beheerder's own organisation (every organisation for the Functioneel beheerder)."""

    datamodel = SQLAInterface(Membership)
    route_base = "/gebruikers"
    class_permission_name = "OrganisationUsers"
    base_permissions = ["can_list", "can_show", "can_edit", "can_manage"]
    method_permission_name = {"list": "list", "show": "show", "edit": "edit",
                              "deactivate": "manage", "reactivate": "manage", "reset_password": "manage",
                              "deactivate_member": "manage", "reactivate_member": "manage",
                              "reset_password_member": "manage"}
    exclude_route_methods = {"add", "delete", "download"}
    list_title = "Gebruikers"
    empty_message = "Nog geen gebruikers"
    show_title = "Gebruiker"
    show_template = "f003/user_show.html"
    edit_title = "Rol wijzigen"
    list_button = ("Collega uitnodigen", "InvitationView.add", "can_add", "OrganisationInvitations")
    label_columns = {
        "user.first_name": "Voornaam", "user.last_name": "Achternaam", "user.email": "E-mailadres",
        "organisation": "Organisatie", "role_name": "Rol", "active": "Actief",
        "user.last_login": "Laatst ingelogd", "user.login_count": "Aantal keer ingelogd",
        "created_on": "Lid sinds",
    }
    list_columns = ["user.first_name", "user.last_name", "user.email", "organisation", "role_name", "active",
                    "user.last_login"]
    show_columns = ["user.first_name", "user.last_name", "user.email", "organisation", "role_name", "active",
                    "user.last_login", "user.login_count", "created_on"]
    search_columns = ["role_name", "active", "organisation"]
    order_columns = ["role_name", "active", "created_on"]
    base_order = ("created_on", "asc")
    formatters_columns = {"active": yes_no, "user.last_login": lambda v: _datetime(v) or "Nog nooit",
                          "user.login_count": lambda v: v or 0, "created_on": _datetime}

    def check_related(self, item):
        service.check_membership_related(item)

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        """Change a member's role (only roles that fit the organisation type)."""
        membership = self._item_or_404(pk)
        form = RoleForm()
        form.role.choices = [(r, r) for r in service.assignable_roles(membership.organisation.type)]
        if request.method == "GET":
            form.role.data = membership.role_name
        if form.validate_on_submit():
            try:
                changed = service.change_role(membership, form.role.data, g.user)
                self.pre_update(membership)
            except ManagementError as exc:
                db.session.rollback()
                form.role.errors.append(str(exc))
            else:
                db.session.commit()
                if changed:
                    flash(f"{_member_label(membership)} heeft nu de rol {membership.role_name}.", "success")
                return redirect(url_for(".show", pk=membership.id))
        status = 400 if form.errors else 200
        return self.render_template("f003/role_edit.html", form=form, membership=membership,
                                    title=self.edit_title), status

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """The member's details with the buttons: change role, (de)activate, send a password reset."""
        membership = self._item_or_404(pk)
        values = self.datamodel.get_values_item(membership, self.show_columns)
        details = [(self.label_columns.get(col, col),
                    self.formatters_columns[col](value) if col in self.formatters_columns else value)
                   for col, value in zip(self.show_columns, values, strict=True)]
        return self.render_template(self.show_template, pk=membership.id, title=self.show_title, details=details,
                                    item=membership, form=ButtonForm())

    def _one(self, pk, func, done: str):
        """A button of the show page: ``func(membership, actor)``, a message, back to the member's page."""
        membership = self._item_or_404(pk)
        if not ButtonForm().validate_on_submit():
            flash("De pagina was verlopen. Er is niets gewijzigd; probeer het opnieuw.", "danger")
        else:
            try:
                func(membership, g.user)
            except ManagementError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
            else:
                db.session.commit()
                flash(done.format(name=_member_label(membership)), "success")
        return redirect(url_for(".show", pk=membership.id))

    @expose("/deactiveren/<pk>", methods=["POST"])
    @has_access
    def deactivate_member(self, pk):
        return self._one(pk, service.deactivate, "{name} is gedeactiveerd en kan niet meer inloggen.")

    @expose("/activeren/<pk>", methods=["POST"])
    @has_access
    def reactivate_member(self, pk):
        return self._one(pk, service.reactivate, "{name} is weer actief.")

    @expose("/wachtwoord-reset/<pk>", methods=["POST"])
    @has_access
    def reset_password_member(self, pk):
        return self._one(pk, service.send_password_reset,
                         "{name} krijgt een e-mail om een nieuw wachtwoord te kiezen.")

    # The bulk actions of the list (checkboxes + "Acties"); on a member's page the buttons above do it
    # (single=False: FAB's own action links are not on the show page).
    @action("deactivate", "Deactiveren", "Gekozen gebruikers deactiveren? Zij kunnen dan niet meer inloggen.",
            "fa-user-times", single=False)
    def deactivate(self, items):
        return self._run(items, service.deactivate, "{n} gebruiker(s) gedeactiveerd.", _member_label)

    @action("reactivate", "Heractiveren", "Gekozen gebruikers weer toegang geven?", "fa-user-plus", single=False)
    def reactivate(self, items):
        return self._run(items, service.reactivate, "{n} gebruiker(s) weer actief.", _member_label)

    @action("reset_password", "Wachtwoord-reset sturen",
            "De gekozen gebruikers krijgen een e-mail om een nieuw wachtwoord te kiezen. Doorgaan?", "fa-key",
            single=False)
    def reset_password(self, items):
        return self._run(items, service.send_password_reset,
                         "{n} e-mail(s) verstuurd om een nieuw wachtwoord te kiezen.", _member_label)


def _invitation_label(invitation: Invitation) -> str:
    return invitation.email


class InvitationView(_TenantPages):
    """Invitations of the own organisation: invite, resend, revoke."""

    datamodel = SQLAInterface(Invitation)
    route_base = "/uitnodigingen"
    class_permission_name = "OrganisationInvitations"
    base_permissions = ["can_list", "can_show", "can_add", "can_manage"]
    method_permission_name = {"list": "list", "show": "show", "add": "add", "resend": "manage", "revoke": "manage"}
    exclude_route_methods = {"edit", "delete", "download"}
    list_title = "Uitnodigingen"
    empty_message = "Geen openstaande uitnodigingen"
    show_title = "Uitnodiging"
    add_title = "Collega uitnodigen"
    label_columns = {
        "email": "E-mailadres", "first_name": "Voornaam", "last_name": "Achternaam", "organisation": "Organisatie",
        "role_name": "Rol", "status": "Status", "status_label": "Status", "last_sent_on": "Laatst verstuurd",
        "send_count": "Aantal keer verstuurd", "invited_by": "Uitgenodigd door", "created_on": "Aangemaakt",
        "accepted_on": "Geaccepteerd op",
    }
    list_columns = ["email", "first_name", "last_name", "organisation", "role_name", "status_label", "last_sent_on",
                    "send_count"]
    show_columns = ["email", "first_name", "last_name", "organisation", "role_name", "status_label", "invited_by",
                    "created_on", "last_sent_on", "send_count", "accepted_on"]
    search_columns = ["email", "status", "role_name", "organisation"]
    order_columns = ["email", "status", "last_sent_on", "created_on"]
    base_order = ("created_on", "desc")
    formatters_columns = {"last_sent_on": _datetime, "created_on": _datetime, "accepted_on": _datetime,
                          "first_name": _text, "last_name": _text, "invited_by": _text}

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        """Invite a colleague; the Functioneel beheerder chooses the organisation too."""
        form = InviteForm()
        global_user = sees_all_organisations()
        existing = None
        if global_user:
            organisations = service.invitable_organisations()
            by_id = {o.id: o for o in organisations}
            form.organisation.choices = [("", "Kies een organisatie")] + [(o.id, _org_label(o)) for o in organisations]
            roles = sorted({r for o_type in {o.type for o in organisations} for r in service.assignable_roles(o_type)})
            role_types = {r: [t for t in {o.type for o in organisations} if r in service.assignable_roles(t)]
                          for r in roles}
        else:
            own = db.session.get(Organisation, current_organisation_id()) if current_organisation_id() else None
            if own is None:
                abort(403)
            del form.organisation
            organisations, by_id = [own], {own.id: own}
            roles = service.assignable_roles(own.type)
            role_types = {r: [own.type] for r in roles}
        form.role.choices = [("", "Kies een rol")] + [(r, r) for r in roles]
        if len(roles) == 1 and request.method == "GET":
            form.role.data = roles[0]
        status = 200
        if form.validate_on_submit():
            if global_user:
                organisation = by_id.get(form.organisation.data)
                if organisation is None:
                    form.organisation.errors.append("Kies een organisatie uit de lijst.")
            else:
                organisation = organisations[0]
                submitted = request.form.get("organisation")
                if submitted not in (None, "") and int_or_none(submitted) != organisation.id:
                    organisation = None
                    flash("U kunt alleen collega's uitnodigen voor uw eigen organisatie.", "danger")
            if organisation is not None:
                try:
                    service.invite(organisation, form.email.data, form.role.data, g.user,
                                   form.first_name.data or "", form.last_name.data or "")
                except ManagementError as exc:
                    db.session.rollback()
                    existing = exc.invitation
                    field = getattr(form, exc.field or "email", None) or form.email
                    field.errors.append(str(exc))
                else:
                    db.session.commit()
                    flash(f"De uitnodiging is verstuurd naar {form.email.data.lower()}.", "success")
                    return redirect(url_for(".list"))
            status = 400
        elif request.method == "POST":
            status = 400
        return self.render_template("f003/invite.html", form=form, title=self.add_title, roles=roles,
                                    role_types=role_types, existing=existing,
                                    role_descriptions={r: all_roles()[r].description for r in roles},
                                    organisation=None if global_user else organisations[0],
                                    org_types={o.id: o.type for o in organisations}), status

    @action("resend", "Opnieuw versturen", "De uitnodiging opnieuw versturen? Eerdere links werken dan niet meer.",
            "fa-paper-plane")
    def resend(self, items):
        return self._run(items, service.resend, "{n} uitnodiging(en) opnieuw verstuurd.", _invitation_label)

    @action("revoke", "Intrekken", "De uitnodiging intrekken? De link werkt dan niet meer.", "fa-ban")
    def revoke(self, items):
        return self._run(items, service.revoke, "{n} uitnodiging(en) ingetrokken.", _invitation_label)


def _join_label(join_request: JoinRequest) -> str:
    return f"{join_request.first_name} {join_request.last_name} ({join_request.email})"


class JoinRequestAdminView(_TenantPages):
    """Requests to join the own organisation: approve (invitation) or decline (with a reason)."""

    datamodel = SQLAInterface(JoinRequest)
    route_base = "/aansluitverzoeken"
    class_permission_name = "OrganisationJoinRequests"
    base_permissions = ["can_list", "can_show", "can_decide"]
    method_permission_name = {"list": "list", "show": "show", "decide": "decide", "approve": "decide",
                              "decline": "decide"}
    exclude_route_methods = {"add", "edit", "delete", "download"}
    list_title = "Aansluitverzoeken"
    empty_message = "Er wachten geen aansluitverzoeken"
    show_title = "Aansluitverzoek"
    show_template = "f003/join_request_show.html"
    label_columns = {
        "first_name": "Voornaam", "last_name": "Achternaam", "email": "E-mailadres", "organisation": "Organisatie",
        "motivation": "Toelichting", "status": "Status", "status_label": "Status", "created_on": "Ingediend op",
        "decided_on": "Beoordeeld op", "decision_reason": "Reden",
    }
    list_columns = ["first_name", "last_name", "email", "organisation", "status_label", "created_on"]
    show_columns = ["first_name", "last_name", "email", "organisation", "motivation", "status_label", "created_on",
                    "decided_on", "decision_reason"]
    search_columns = ["email", "status", "organisation"]
    order_columns = ["email", "status", "created_on"]
    base_order = ("created_on", "desc")
    formatters_columns = {"created_on": _datetime, "decided_on": _datetime, "motivation": _text,
                          "decision_reason": _text}

    def _decision_form(self, join_request: JoinRequest) -> DecisionForm:
        form = DecisionForm()
        roles = service.assignable_roles(join_request.organisation.type)
        form.role.choices = [(r, r) for r in roles]
        if not form.role.data:
            form.role.data = service.default_join_role(join_request.organisation.type)
        return form

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        join_request = self._item_or_404(pk)
        widgets = self._show(join_request.id)
        return self.render_template(self.show_template, pk=join_request.id, title=self.show_title, widgets=widgets,
                                    related_views=self._related_views, item=join_request,
                                    form=self._decision_form(join_request))

    @expose("/beoordelen/<pk>", methods=["POST"])
    @has_access
    def decide(self, pk):
        join_request = self._item_or_404(pk)
        form = self._decision_form(join_request)
        if form.validate_on_submit() and (form.approve.data or form.decline.data):
            try:
                if form.approve.data:
                    service.approve_join_request(join_request, g.user, form.role.data)
                    message = f"Goedgekeurd: {join_request.email} krijgt een uitnodiging per e-mail."
                else:
                    service.decline_join_request(join_request, g.user, form.reason.data)
                    message = f"Afgewezen: {join_request.email} krijgt hiervan bericht per e-mail."
            except ManagementError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
            else:
                db.session.commit()
                flash(message, "success")
                return redirect(url_for(".list"))
        else:
            for errors in form.errors.values():
                for error in errors:
                    flash(error, "danger")
        return redirect(url_for(".show", pk=join_request.id))

    @action("approve", "Goedkeuren", "De gekozen verzoeken goedkeuren? De aanvragers krijgen een uitnodiging.",
            "fa-check")
    def approve(self, items):
        return self._run(items, service.approve_join_request,
                         "{n} verzoek(en) goedgekeurd; de aanvragers krijgen een uitnodiging.", _join_label)

    @action("decline", "Afwijzen", "De gekozen verzoeken afwijzen? De aanvragers krijgen hiervan bericht.",
            "fa-times")
    def decline(self, items):
        return self._run(items, service.decline_join_request, "{n} verzoek(en) afgewezen.", _join_label)


# --- public pages ---------------------------------------------------------------

class InvitationAcceptView(BaseView):
    """The invitee chooses name and password through the link and is logged in."""

    route_base = "/uitnodiging"

    def _link_problem(self, error: LinkError):
        status = 400 if error.reason == "invalid" else 410
        return self.render_template("f003/invitation_problem.html", error=error, title="Uitnodiging"), status

    @expose("/<token>", methods=["GET", "POST"])
    def accept(self, token):
        try:
            invitation, _payload = service.invitation_for_token(token)
        except LinkError as exc:
            return self._link_problem(exc)
        existing = service.invitation_is_for_existing_account(invitation)
        if existing is not None:
            return self._join(token, invitation, existing)
        form = AcceptForm()
        form.password_email = invitation.email  # the rule refuses a password with the e-mail name in it
        if request.method == "GET":
            form.first_name.data = invitation.first_name
            form.last_name.data = invitation.last_name
        if form.validate_on_submit():
            try:
                user = service.accept(token, form.first_name.data, form.last_name.data, form.password.data)
            except LinkError as exc:
                db.session.rollback()
                return self._link_problem(exc)
            db.session.commit()
            session.clear()  # a new session after authentication (fixation)
            login_user(user, remember=False)
            flash(f"Welkom! Uw account voor {invitation.organisation.name} is klaar.", "success")
            return redirect(url_for("WelcomeView.index"))
        status = 400 if request.method == "POST" else 200
        return self.render_template("f003/accept.html", form=form, invitation=invitation,
                                    title="Uitnodiging accepteren"), status


    def _join(self, token, invitation, account):
        """The invitee has an account already: after logging in, one button adds the membership."""
        user = g.user if g.user is not None and g.user.is_authenticated else None
        if user is None:
            return self.render_template("f003/join_existing.html", invitation=invitation, user=None,
                                        login_url=url_for("ScgAuthDBView.login", next=request.path),
                                        title="Uitnodiging accepteren")
        if user.id != account.id:
            return self.render_template("f003/join_existing.html", invitation=invitation, user=user,
                                        other_account=True, title="Uitnodiging accepteren"), 403
        form = JoinForm()
        if form.validate_on_submit():
            try:
                membership = service.join(token, user)
            except LinkError as exc:
                db.session.rollback()
                return self._link_problem(exc)
            db.session.commit()
            flash(f"U bent nu lid van {membership.organisation.name} als {membership.role_name}. Kies in het menu "
                  f"onder uw naam \"Wissel naar {membership.organisation.name}\" om namens deze organisatie "
                  "te werken.", "success")
            return redirect(url_for("WelcomeView.index"))
        status = 400 if request.method == "POST" else 200
        return self.render_template("f003/join_existing.html", invitation=invitation, user=user, form=form,
                                    title="Uitnodiging accepteren"), status


class JoinRequestView(BaseView):
    """Public: someone with an address of an organisation asks to join it."""

    route_base = "/aansluiten"
    default_view = "request_join"

    @expose("/", methods=["GET", "POST"])
    def request_join(self):
        form = JoinRequestForm()
        organisations = service.joinable_organisations()
        by_id = {o.id: o for o in organisations}
        form.organisation.choices = [("", "Leid af uit mijn e-mailadres")] + [
            (o.id, _org_label(o)) for o in organisations]
        if form.validate_on_submit():
            chosen = None
            submitted = request.form.get("organisation", "")
            if submitted:
                chosen = by_id.get(form.organisation.data)
                if chosen is None:
                    form.organisation.errors.append("Kies een organisatie uit de lijst.")
            if not form.organisation.errors:
                try:
                    organisation = service.resolve_join_organisation(form.email.data, chosen)
                    service.submit_join_request(organisation, form.email.data, form.first_name.data,
                                                form.last_name.data, form.motivation.data)
                except ManagementError as exc:
                    db.session.rollback()
                    form.email.errors.append(str(exc))
                else:
                    db.session.commit()
                    return self.render_template("f003/join_sent.html", organisation=organisation,
                                                title="Verzoek verstuurd")
        status = 400 if request.method == "POST" else 200
        return self.render_template("f003/join_request.html", form=form, title="Aansluiten bij uw organisatie"), status


def too_many_requests(_limit):
    """Dutch page when the join request form is used too often from one address."""
    return current_app.make_response((render_template(
        "f003/too_many.html", appbuilder=current_app.appbuilder, base_template=current_app.appbuilder.base_template,
        title="Even geduld"), 429))
