"""Two-factor authentication settings for the logged-in user (optional for all)."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_appbuilder import BaseView, expose
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired

from core.extensions import db
from core.plugins import hookimpl
from core import totp
from core.security import ENROL_ERROR, TotpForm, requires_totp


class DisableForm(FlaskForm):
    password = PasswordField("Uw wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])


class TwoFactorView(BaseView):
    route_base = "/account/twee-factor"
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    def index(self):
        if g.user is None or not g.user.is_authenticated:
            return redirect(url_for("ScgAuthDBView.login", next=url_for("TwoFactorView.index")))
        user = g.user
        if user.totp_enabled:
            form = DisableForm()
            if form.validate_on_submit():
                from werkzeug.security import check_password_hash

                if requires_totp(user):
                    flash("Voor uw rol is twee-factorauthenticatie verplicht.", "warning")
                elif not check_password_hash(user.password or "", form.password.data):
                    form.password.errors.append("Dit wachtwoord is onjuist.")
                else:
                    user.totp_enabled = False
                    user.totp_secret = None
                    db.session.commit()
                    flash("Twee-factorauthenticatie is uitgezet.", "success")
                    return redirect(url_for(".index"))
            return self.render_template("security/twofactor.html", enabled=True, form=form,
                                        mandatory=requires_totp(user))
        form = TotpForm()
        if form.validate_on_submit():
            if totp.enrol(user, form.code.data):
                db.session.commit()
                flash("Twee-factorauthenticatie staat aan.", "success")
                return redirect(url_for(".index"))
            form.code.errors.append(ENROL_ERROR)
        return self.render_template("security/twofactor.html", enabled=False, form=form,
                                    mandatory=requires_totp(user), **totp.enrolment_context(user))


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(TwoFactorView())
