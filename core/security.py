"""Security on FAB's SecurityManager: organisations, two-factor login, rate limits.

- A user acts for an organisation through a membership; a user of an
  organisation that is not approved cannot log in and is told why.
- TOTP two-factor authentication: optional for everyone, mandatory for the roles
  in ``TOTP_REQUIRED_ROLES`` (by default every beheerder role). The browser login
  asks for the code in a second step (or a one-time recovery code instead: the
  "Authenticator kwijt?" step, after the password too); the API login requires the
  ``totp`` field, so it is no way around it. A user of a required role without TOTP
  sets it up right after the password, before being logged in.
- Login rate limiting on the login form (every step) and the API login.
- One account, several organisations: the login (form and API) acts for the organisation
  the user last switched to (``ab_user.active_organisation_id``), with that membership's
  role (``core.accounts.sync_roles``); see ``core.builtin.active_organisation``.
"""

from __future__ import annotations

import time

from flask import current_app, flash, g, has_request_context, jsonify, redirect, request, session, url_for
from flask_appbuilder import expose
from flask_appbuilder.const import API_SECURITY_ACCESS_TOKEN_KEY, API_SECURITY_REFRESH_TOKEN_KEY
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import assoc_permissionview_role
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.base import get_safe_redirect
from flask_jwt_extended import create_access_token, create_refresh_token
from flask_login import login_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from core import accounts, audit, totp
from core.models import OrganisationStatus, ScgUser
from core.roles import FUNCTIONEEL_BEHEERDER, global_roles

TOKEN_MESSAGE = "U bent niet ingelogd, of uw token is ongeldig of verlopen."

PENDING_KEY = "scg_2fa_pending"
PENDING_MAX_AGE = 300  # seconds between password and code

LOGIN_BLOCKED = {
    OrganisationStatus.aangemeld.value: (
        "U kunt nog niet inloggen: bevestig eerst uw e-mailadres via de link in de e-mail die we u stuurden."
    ),
    OrganisationStatus.bevestigd.value: (
        "U kunt nog niet inloggen: uw aanmelding wacht op beoordeling door VNG. "
        "U krijgt een e-mail zodra die is goedgekeurd."
    ),
    OrganisationStatus.afgewezen.value: "U kunt niet inloggen: uw aanmelding is afgewezen.",
}


class LoginForm(FlaskForm):
    username = StringField("E-mailadres of gebruikersnaam",
                           validators=[DataRequired("Vul uw e-mailadres in."), Length(max=320)])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), Length(max=500)])


class TotpForm(FlaskForm):
    code = StringField(
        "Code uit uw authenticator-app",
        validators=[DataRequired("Vul de code van zes cijfers in."),
                    Regexp(r"^\s*\d{6}\s*$", message="De code bestaat uit zes cijfers.")],
    )


class RecoveryForm(FlaskForm):
    code = StringField(
        "Herstelcode",
        validators=[DataRequired("Vul een herstelcode in."), Length(max=40)],
    )


ENROL_ERROR = "Deze code klopt niet. Scan de QR-code opnieuw en probeer het nog eens."


def requires_totp(user) -> bool:
    """Whether one of the user's roles is in ``TOTP_REQUIRED_ROLES``.

    The Functioneel beheerder (FAB's admin role, who can do everything) needs it whatever
    the setting says.
    """
    required = set(current_app.config.get("TOTP_REQUIRED_ROLES") or ()) | {FUNCTIONEEL_BEHEERDER}
    return bool(required & {r.name for r in user.roles})


def recovery_codes_page(view, codes: list[str], continue_url: str):
    """The page that shows fresh recovery codes, once; not cached anywhere."""
    html = view.render_template("security/recovery_codes.html", codes=codes, continue_url=continue_url,
                                title="Uw herstelcodes", appbuilder=view.appbuilder)
    return html, 200, {"Cache-Control": "no-store"}


def login_blocked_reason(user) -> str | None:
    """Why this (correctly authenticated) user may not log in, or None."""
    if {r.name for r in user.roles} & global_roles():
        return None
    org = user.organisation
    if org is None:
        return "U kunt niet inloggen: uw account hoort (nog) niet bij een organisatie."
    if org.status != OrganisationStatus.goedgekeurd.value:
        reason = LOGIN_BLOCKED.get(org.status, "U kunt niet inloggen.")
        if org.status == OrganisationStatus.afgewezen.value and org.rejection_reason:
            reason += f" Reden: {org.rejection_reason}"
        return reason
    return None


class ScgAuthDBView(AuthDBView):
    """Login in Dutch, with the organisation check and a TOTP step."""

    login_template = "security/login.html"
    totp_template = "security/totp.html"
    totp_setup_template = "security/totp_setup.html"
    invalid_login_message = "Onjuist e-mailadres of wachtwoord. Probeer het opnieuw."
    title = "Inloggen"

    def _next_url(self) -> str:
        nxt = request.args.get("next", "")
        return get_safe_redirect(nxt) if nxt else url_for("WelcomeView.index")

    @expose("/login/", methods=["GET", "POST"])
    def login(self):
        if g.user is not None and g.user.is_authenticated:
            return redirect(self._next_url())
        form = LoginForm()
        if form.validate_on_submit():
            sm = self.appbuilder.sm
            user = sm.auth_user_db(form.username.data.strip(), form.password.data)
            if not user:
                audit.record(sm.session, "inloggen", result="mislukt",
                             details={"username": form.username.data[:320]})
                sm.session.commit()
                flash(self.invalid_login_message, "warning")
                return self.render_template(self.login_template, form=form, title=self.title,
                                            appbuilder=self.appbuilder)
            accounts.sync_roles(user)  # the roles of the organisation last acted for
            blocked = login_blocked_reason(user)
            if blocked:
                audit.record(sm.session, "inloggen", result="geweigerd", user=user,
                             details={"reden": blocked})
                sm.session.commit()
                flash(blocked, "warning")
                return self.render_template(self.login_template, form=form, title=self.title,
                                            appbuilder=self.appbuilder)
            if user.totp_enabled or requires_totp(user):
                session[PENDING_KEY] = {"user_id": user.id, "at": time.time(),
                                        "next": request.args.get("next", "")}
                target = ".totp" if user.totp_enabled else ".totp_setup"
                return redirect(url_for(target))
            return self._complete_login(user)
        return self.render_template(self.login_template, form=form, title=self.title,
                                    appbuilder=self.appbuilder)

    def _pending_user(self):
        pending = session.get(PENDING_KEY)
        if not pending or time.time() - pending.get("at", 0) > PENDING_MAX_AGE:
            session.pop(PENDING_KEY, None)
            return None
        return self.appbuilder.sm.get_user_by_id(pending["user_id"])

    def _log_in(self, user, **details) -> str:
        """Log ``user`` in (new session) and return where to go next."""
        pending = session.pop(PENDING_KEY, None) or {}
        nxt = pending.get("next") or request.args.get("next", "")
        session.clear()  # new session id after authentication (fixation)
        accounts.sync_roles(user)  # (again: the code step loaded the user afresh)
        login_user(user, remember=False)
        audit.record(self.appbuilder.sm.session, "inloggen", user=user, details=details or None)
        self.appbuilder.sm.session.commit()
        return get_safe_redirect(nxt) if nxt else url_for("WelcomeView.index")

    def _complete_login(self, user, **details):
        return redirect(self._log_in(user, **details))

    @expose("/login/code/", methods=["GET", "POST"])
    def totp(self):
        user = self._pending_user()
        if user is None:
            flash("Log opnieuw in; de tijd voor de code is verlopen.", "warning")
            return redirect(url_for(".login"))
        form = TotpForm()
        if form.validate_on_submit():
            if totp.use_code(user, form.code.data):
                return self._complete_login(user)
            audit.record(self.appbuilder.sm.session, "inloggen", result="mislukt", user=user,
                         details={"reden": "onjuiste code"})
            self.appbuilder.sm.session.commit()
            form.code.errors.append("Deze code is onjuist of verlopen. Probeer de nieuwste code.")
        return self.render_template(self.totp_template, form=form, title="Code invoeren",
                                    appbuilder=self.appbuilder)

    @expose("/login/code-instellen/", methods=["GET", "POST"])
    def totp_setup(self):
        user = self._pending_user()
        if user is None:
            flash("Log opnieuw in; de tijd voor de code is verlopen.", "warning")
            return redirect(url_for(".login"))
        form = TotpForm()
        if form.validate_on_submit():
            if totp.enrol(user, form.code.data):
                codes = totp.new_recovery_codes(user)
                self.appbuilder.sm.session.commit()
                target = self._log_in(user)
                flash("Twee-factorauthenticatie is ingesteld.", "success")
                return recovery_codes_page(self, codes, target)
            form.code.errors.append(ENROL_ERROR)
        return self.render_template(self.totp_setup_template, form=form, title="Twee-factorauthenticatie instellen",
                                    appbuilder=self.appbuilder, **totp.enrolment_context(user))


    @expose("/login/herstelcode/", methods=["GET", "POST"])
    def recovery(self):
        """ "Authenticator kwijt?": a one-time recovery code instead of the app's code.

        Only after the password (the pending login of the code step), under the same
        rate limit as every step of the login form (the limit is on this view's blueprint).
        """
        user = self._pending_user()
        if user is None or not user.totp_enabled:
            flash("Log opnieuw in; de tijd voor de code is verlopen.", "warning")
            return redirect(url_for(".login"))
        form = RecoveryForm()
        if form.validate_on_submit():
            if totp.use_recovery_code(user, form.code.data):
                left = totp.recovery_codes_left(user)
                target = self._log_in(user, methode="herstelcode", over=left)
                flash(f"U bent ingelogd met een herstelcode. U hebt nog {left} herstelcode(s). "
                      "Raakte u uw authenticator-app kwijt? Maak dan nieuwe herstelcodes op de pagina "
                      "Twee-factorauthenticatie.", "warning")
                return redirect(target)
            audit.record(self.appbuilder.sm.session, "inloggen", result="mislukt", user=user,
                         details={"reden": "onjuiste herstelcode"})
            self.appbuilder.sm.session.commit()
            form.code.errors.append("Deze herstelcode is onjuist of al gebruikt.")
        return self.render_template("security/recovery.html", form=form, title="Inloggen met een herstelcode",
                                    appbuilder=self.appbuilder)


class ScgSecurityApi(SecurityApi):
    """API login that honours the organisation check and two-factor authentication."""

    @expose("/login", methods=["POST"])
    def login(self):
        """Log in with username, password and (when two-factor is on) ``totp``.
        ---
        post:
          description: Returns a JWT access token (and a refresh token if asked).
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    username: {type: string}
                    password: {type: string}
                    totp: {type: string, description: Zes cijfers uit de authenticator-app}
                    refresh: {type: boolean}
          responses:
            200:
              description: Ingelogd
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
        """
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return self.response_400(message="Stuur JSON met username en password.")
        username, password = payload.get("username"), payload.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            return self.response_400(message="username en password zijn verplicht.")
        sm = self.appbuilder.sm
        user = sm.auth_user_db(username.strip(), password)
        if not user:
            audit.record(sm.session, "inloggen_api", result="mislukt", details={"username": username[:320]})
            sm.session.commit()
            return self.response_401()
        accounts.sync_roles(user)  # a token acts for the active organisation, with that membership's role
        blocked = login_blocked_reason(user)
        if requires_totp(user) and not user.totp_enabled:
            blocked = "Stel eerst twee-factorauthenticatie in via de website."
        if blocked:
            audit.record(sm.session, "inloggen_api", result="geweigerd", user=user, details={"reden": blocked})
            sm.session.commit()
            return self.response(401, message=blocked)
        if user.totp_enabled and not totp.use_code(user, payload.get("totp")):
            audit.record(sm.session, "inloggen_api", result="mislukt", user=user, details={"reden": "code"})
            sm.session.commit()
            return self.response(401, message="Twee-factorcode ontbreekt of is onjuist.")
        audit.record(sm.session, "inloggen_api", user=user)
        sm.session.commit()
        resp = {API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(identity=str(user.id), fresh=True)}
        if payload.get("refresh"):
            resp[API_SECURITY_REFRESH_TOKEN_KEY] = create_refresh_token(identity=str(user.id))
        return self.response(200, **resp)


class ScgSecurityManager(SecurityManager):
    """FAB's security manager with only the security pages people need.

    ``register_views`` registers the login (form and API) and nothing else of FAB's own
    security pages: no user, role, group, permission or view-menu pages, no "Mijn
    gegevens" (userinfo) and no password forms of FAB. Those show raw English
    permission strings and would let the Functioneel beheerder take away their own
    rights; users are managed on "Gebruikers" (F003) and role rights on "Rollen en
    rechten" (``core.builtin.roles_admin``). Their routes do not exist (404).
    """

    user_model = ScgUser
    authdbview = ScgAuthDBView
    security_api = ScgSecurityApi
    userstatschartview = None  # FAB's login-count chart: not needed, and it fails on bad input

    def create_jwt_manager(self, app):
        """FAB's JWT manager, answering every token problem with a Dutch 401.

        flask-jwt-extended answers a malformed token with 422 and English messages; a
        token that cannot be read is "not authenticated" (401), as the API Design Rules mean.
        """
        jwt_manager = super().create_jwt_manager(app)

        def unauthorised(*_args):
            return jsonify(message=TOKEN_MESSAGE), 401

        for loader in (jwt_manager.invalid_token_loader, jwt_manager.unauthorized_loader,
                       jwt_manager.expired_token_loader, jwt_manager.revoked_token_loader,
                       jwt_manager.needs_fresh_token_loader, jwt_manager.user_lookup_error_loader):
            loader(unauthorised)
        return jwt_manager

    def register_views(self):
        self.appbuilder.add_api(self.security_api)
        self.auth_view = self.appbuilder.add_view_no_menu(self.authdbview())
        self.user_view = None  # (FAB's userinfo page is not there: appbuilder.get_url_for_userinfo is "")
        if self.is_auth_limited:
            # The login form and the API login, each step.
            self.limiter.limit(self.auth_rate_limit, methods=["POST"])(self.auth_view.blueprint)
            self.limiter.limit(self.auth_rate_limit, methods=["POST"])(
                self.appbuilder.sm.security_api_blueprint()
            )

    def security_api_blueprint(self):
        for view in self.appbuilder.baseviews:
            if isinstance(view, ScgSecurityApi):
                return view.blueprint
        raise RuntimeError("security API not registered")

    # --- permission checks: one query per request --------------------------------------
    # FAB asks the database once per check (every menu item, link and button of a page: 16 to
    # 40 statements per page). Here a request reads the (permission, view) pairs of the roles
    # it checks once, and answers every check from that set. The set lives on the request,
    # so a change of rights counts from the next request on.

    def _request_cache(self) -> dict | None:
        if not has_request_context():
            return None
        return request.environ.setdefault("scg.security", {})

    def get_public_role(self):
        cache = self._request_cache()
        if cache is None:
            return super().get_public_role()
        if "public_role" not in cache:
            cache["public_role"] = super().get_public_role()
        return cache["public_role"]

    def role_permissions(self, role_ids) -> frozenset[tuple[str, str]]:
        """The (permission name, view name) pairs the roles ``role_ids`` hold together."""
        key = ("pairs", tuple(sorted(set(role_ids))))
        cache = self._request_cache()
        if cache is not None and key in cache:
            return cache[key]
        pvm = self.permissionview_model
        pairs = frozenset(self.session.execute(
            select(self.permission_model.name, self.viewmenu_model.name)
            .select_from(pvm)
            .join(self.permission_model, self.permission_model.id == pvm.permission_id)
            .join(self.viewmenu_model, self.viewmenu_model.id == pvm.view_menu_id)
            .join(assoc_permissionview_role, assoc_permissionview_role.c.permission_view_id == pvm.id)
            .where(assoc_permissionview_role.c.role_id.in_(key[1]))).all()) if key[1] else frozenset()
        if cache is not None:
            cache[key] = pairs
        return pairs

    def exist_permission_on_roles(self, view_name, permission_name, role_ids) -> bool:
        return (permission_name, view_name) in self.role_permissions(role_ids)

    def is_item_public(self, permission_name, view_name) -> bool:
        role = self.get_public_role()
        return role is not None and (permission_name, view_name) in self.role_permissions([role.id])

    def _get_user_permission_view_menus(self, user, permission_name, view_menus_name):
        roles = [self.get_public_role()] if user is None else self.get_user_roles(user)
        roles = [role for role in roles if role is not None]
        result = {name for role in roles if role.name in self.builtin_roles for name in view_menus_name or ()
                  if self._has_access_builtin_roles(role, permission_name, name)}
        pairs = self.role_permissions([role.id for role in roles if role.name not in self.builtin_roles])
        return result | {view for permission, view in pairs if permission == permission_name}

    def load_user(self, pk):
        """Session and JWT users whose organisation is not approved are not logged in."""
        user = super().load_user(pk)
        if user is not None and login_blocked_reason(user):
            return None
        return user
