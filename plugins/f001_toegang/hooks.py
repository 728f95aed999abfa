"""F001 Toegang verkrijgen: registration, confirmation, approval, password reset."""

from flask import redirect
from flask_appbuilder import BaseView, expose

from core.plugins import hookimpl


class RegistrationView(BaseView):
    route_base = "/aanmelden"

    @expose("/")
    def register(self):
        return "aanmelden"


class PasswordResetView(BaseView):
    route_base = "/wachtwoord-vergeten"

    @expose("/")
    def request_reset(self):
        return "reset"


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(RegistrationView())
    appbuilder.add_view_no_menu(PasswordResetView())


@hookimpl
def register_models():
    from plugins.f001_toegang.models import Registration

    return [Registration]
