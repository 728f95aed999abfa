"""The public start page and the welcome page with the next steps of the journey."""

from __future__ import annotations

from flask import current_app, g, redirect, url_for
from flask_appbuilder import BaseView, IndexView, expose

from core.plugins import hookimpl
from core.welcome import Step


class ScgIndexView(IndexView):
    index_template = "scg/index.html"


class WelcomeView(BaseView):
    route_base = "/welkom"
    default_view = "index"

    @expose("/")
    def index(self):
        if g.user is None or not g.user.is_authenticated:
            return redirect(url_for("ScgAuthDBView.login"))
        org = g.user.organisation
        pm = current_app.extensions["scg_plugins"]
        steps = [s for result in pm.hook.welcome_steps(user=g.user, organisation=org) for s in (result or [])]
        steps.sort(key=lambda s: (s.order, s.title))
        return self.render_template("scg/welcome.html", organisation=org, steps=steps,
                                    tasks=[s for s in steps if s.done is not None],
                                    places=[s for s in steps if s.done is None])


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(WelcomeView())


@hookimpl
def welcome_steps(user, organisation):
    done = bool(user.totp_enabled)
    return [Step("Beveilig uw account",
                 "Zet twee-factorauthenticatie aan, zodat alleen u met uw wachtwoord kunt inloggen.",
                 url_for("TwoFactorView.index"), order=90, done=done,
                 reason="Twee-factorauthenticatie staat aan" if done else "Twee-factorauthenticatie staat uit")]
