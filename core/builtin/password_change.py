"""Wachtwoord wijzigen: every logged-in person changes the own password (user menu).

The current password is asked first (a session left open on a shared computer must not
be enough), the new one follows the one rule of ``core.passwords`` with its live count.
The change is audited; the person stays logged in and returns to the start page.
"""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_appbuilder import BaseView, expose
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from core import accounts, audit
from core.extensions import db
from core.passwords import StrongPassword, as_typed
from core.plugins import hookimpl
from core.slots import Link


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Huidig wachtwoord", filters=[as_typed],
                            validators=[DataRequired(message="Vul uw huidige wachtwoord in.")])
    password = PasswordField("Nieuw wachtwoord", filters=[as_typed], validators=[
        DataRequired(message="Kies een nieuw wachtwoord."),
        Length(max=128, message="Het wachtwoord mag maximaal 128 tekens lang zijn."), StrongPassword()])
    password_confirm = PasswordField("Herhaal het nieuwe wachtwoord", filters=[as_typed], validators=[
        DataRequired(message="Herhaal het nieuwe wachtwoord."),
        EqualTo("password", message="De twee wachtwoorden zijn niet gelijk.")])


class PasswordChangeView(BaseView):
    route_base = "/account/wachtwoord"
    default_view = "change"

    @expose("/", methods=["GET", "POST"])
    def change(self):
        user = g.user
        if user is None or not user.is_authenticated:
            return redirect(url_for("ScgAuthDBView.login"))
        form = PasswordChangeForm()
        form.password_email = user.email
        if form.validate_on_submit():
            if not check_password_hash(user.password or "", form.current.data):
                form.current.errors = ["Dit is niet uw huidige wachtwoord."]
            elif form.password.data == form.current.data:
                form.password.errors = ["Kies een ander wachtwoord dan uw huidige."]
            else:
                user.password = accounts.hash_password(form.password.data)
                audit.record(db.session, "wachtwoord_gewijzigd", object_type="ScgUser", object_id=user.id, user=user)
                db.session.commit()
                flash("Uw wachtwoord is gewijzigd.", "success")
                return redirect(url_for("WelcomeView.index"))
        status = 400 if form.is_submitted() and any(field.errors for field in form) else 200
        return self.render_template("scg/password_change.html", form=form, title="Wachtwoord wijzigen"), status


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(PasswordChangeView())


@hookimpl
def page_links(slot, obj, user):
    if slot == "user_menu" and user is not None:
        return [Link("Wachtwoord wijzigen", url_for("PasswordChangeView.change"), icon="fa-key")]
    return []
