"""F003 Gebruikersbeheer: colleagues, invitations, roles, join requests."""

from flask_appbuilder import BaseView, expose

from core.plugins import hookimpl


class JoinRequestView(BaseView):
    route_base = "/aansluiten"

    @expose("/")
    def request_join(self):
        return "aansluiten"


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(JoinRequestView())


@hookimpl
def register_models():
    from plugins.f003_gebruikers.models import Invitation, JoinRequest

    return [Invitation, JoinRequest]
