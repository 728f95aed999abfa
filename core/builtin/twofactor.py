"""Two-factor authentication settings for the logged-in user, and the enrolment guard.

Optional for everyone; mandatory for the roles in ``TOTP_REQUIRED_ROLES``. A logged-in
user of such a role without TOTP (for instance just after accepting an invitation, or
after being given a beheerder role) can open no page but this one (and log out) until
it is set up; the API answers 403.
"""

from __future__ import annotations

from flask import current_app, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.utils.base import get_safe_redirect
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired

from core import totp
from core.extensions import db
from core.plugins import hookimpl
from core.security import ENROL_ERROR, TotpForm, recovery_codes_page, requires_totp

# (Switching organisation too: a membership whose role needs no two-factor is a way back.)
ENROLMENT_EXEMPT = {"TwoFactorView.index", "ScgAuthDBView.logout", "ActiveOrganisationView.switch", "static",
                    "appbuilder.static"}
ENROL_FIRST = "Voor uw rol is twee-factorauthenticatie verplicht. Stel het eerst in; daarna kunt u verder."


class PasswordForm(FlaskForm):
    password = PasswordField("Uw wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])


class RecoveryCodesForm(FlaskForm):
    codes_password = PasswordField("Uw wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])


class TwoFactorView(BaseView):
    route_base = "/account/twee-factor"
    default_view = "index"

    def _next(self) -> str:
        nxt = request.args.get("next", "")
        return get_safe_redirect(nxt) if nxt else url_for(".index")

    @expose("/", methods=["GET", "POST"])
    def index(self):
        if g.user is None or not g.user.is_authenticated:
            return redirect(url_for("ScgAuthDBView.login", next=url_for("TwoFactorView.index")))
        user = g.user
        if user.totp_enabled:
            form = PasswordForm()
            if form.validate_on_submit():
                if requires_totp(user):
                    flash("Voor uw rol is twee-factorauthenticatie verplicht.", "warning")
                elif not check_password_hash(user.password or "", form.password.data):
                    form.password.errors.append("Dit wachtwoord is onjuist.")
                else:
                    user.totp_enabled = False
                    user.totp_secret = None
                    totp.drop_recovery_codes(user)
                    db.session.commit()
                    flash("Twee-factorauthenticatie is uitgezet.", "success")
                    return redirect(url_for(".index"))
            return self.render_template("security/twofactor.html", enabled=True, form=form,
                                        codes_form=RecoveryCodesForm(formdata=None), mandatory=requires_totp(user),
                                        codes_left=totp.recovery_codes_left(user))
        form = TotpForm()
        if form.validate_on_submit():
            if totp.enrol(user, form.code.data):
                codes = totp.new_recovery_codes(user)
                db.session.commit()
                flash("Twee-factorauthenticatie staat aan.", "success")
                return recovery_codes_page(self, codes, self._next())
            form.code.errors.append(ENROL_ERROR)
        return self.render_template("security/twofactor.html", enabled=False, form=form,
                                    mandatory=requires_totp(user), **totp.enrolment_context(user))

    @expose("/herstelcodes/", methods=["POST"])
    def recovery_codes(self):
        """New recovery codes (the old ones stop working), after the password."""
        if g.user is None or not g.user.is_authenticated:
            return redirect(url_for("ScgAuthDBView.login", next=url_for("TwoFactorView.index")))
        user = g.user
        form = RecoveryCodesForm()
        if not user.totp_enabled:
            return redirect(url_for(".index"))
        if form.validate_on_submit() and check_password_hash(user.password or "", form.codes_password.data):
            codes = totp.new_recovery_codes(user)
            db.session.commit()
            return recovery_codes_page(self, codes, url_for(".index"))
        if form.codes_password.data:
            form.codes_password.errors = [*form.codes_password.errors, "Dit wachtwoord is onjuist."]
        return self.render_template("security/twofactor.html", enabled=True, form=PasswordForm(formdata=None),
                                    codes_form=form, mandatory=requires_totp(user),
                                    codes_left=totp.recovery_codes_left(user)), 400


def enrolment_guard():
    """Send a logged-in user who must use TOTP but has not set it up to the enrolment page."""
    if request.endpoint in ENROLMENT_EXEMPT or not current_user.is_authenticated:
        return None
    user = current_user
    if user.totp_enabled or not requires_totp(user):
        return None
    if request.path.startswith("/api/"):
        return jsonify(message="Stel eerst twee-factorauthenticatie in via de website."), 403
    flash(ENROL_FIRST, "warning")
    nxt = request.full_path if request.method == "GET" else ""
    return redirect(url_for("TwoFactorView.index", next=nxt.rstrip("?") or None))


@hookimpl
def register_models():
    from core.models import TotpRecoveryCode

    return [TotpRecoveryCode]


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(TwoFactorView())
    current_app.before_request(enrolment_guard)
