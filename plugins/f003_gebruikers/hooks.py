"""F003 Gebruikersbeheer: colleagues, invitations, roles, join requests."""

from __future__ import annotations

from flask import current_app, url_for

from core.formatting import sentence
from core.menu import ORGANISATIE, in_category
from core.permissions import crud, menu, read
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER, GEBRUIK_BEHEERDER, VNG_RAADPLEGER
from core.slots import Link
from core.welcome import Step, count_text

CATEGORY = ORGANISATIE
USERS_MENU, INVITATIONS_MENU, JOIN_MENU = "Gebruikers", "Uitnodigingen", "Aansluitverzoeken"


@hookimpl
def register_models():
    from plugins.f003_gebruikers.models import Invitation, JoinRequest

    return [Invitation, JoinRequest]


@hookimpl
def register_views(appbuilder):
    from plugins.f003_gebruikers.views import (
        InvitationAcceptView,
        InvitationView,
        JoinRequestAdminView,
        JoinRequestView,
        UserView,
        too_many_requests,
    )

    common = in_category(CATEGORY)
    appbuilder.add_view(UserView, USERS_MENU, label="Gebruikers", icon="fa-users", **common)
    appbuilder.add_view(InvitationView, INVITATIONS_MENU, label="Uitnodigingen", icon="fa-envelope", **common)
    appbuilder.add_view(JoinRequestAdminView, JOIN_MENU, label="Aansluitverzoeken", icon="fa-user-plus", **common)
    appbuilder.add_view_no_menu(InvitationAcceptView())
    join_view = appbuilder.add_view_no_menu(JoinRequestView())
    rate = current_app.config.get("JOIN_REQUEST_RATE_LIMIT") or current_app.config.get(
        "REGISTRATION_RATE_LIMIT", "5 per hour")
    # Flask-Limiter itself honours RATELIMIT_ENABLED.
    appbuilder.sm.limiter.limit(rate, methods=["POST"], on_breach=too_many_requests)(join_view.blueprint)


@hookimpl
def register_apis(appbuilder):
    from plugins.f003_gebruikers.api import MembershipApi

    appbuilder.add_api(MembershipApi)


@hookimpl
def role_permissions():
    from plugins.f003_gebruikers.api import MembershipApi
    from plugins.f003_gebruikers.views import InvitationView, JoinRequestAdminView, UserView

    manage = (crud(UserView, InvitationView, JoinRequestAdminView, MembershipApi)
              + menu(USERS_MENU, INVITATIONS_MENU, JOIN_MENU, CATEGORY))
    return {
        AANBOD_BEHEERDER: manage,
        GEBRUIK_BEHEERDER: manage,
        VNG_RAADPLEGER: read(UserView, MembershipApi) + menu(USERS_MENU, CATEGORY),
    }


@hookimpl
def welcome_steps(user, organisation):
    """Colleagues for a beheerder; the join requests waiting; all accounts for the Functioneel beheerder."""
    from sqlalchemy import func, select

    from core.extensions import db
    from core.models import Membership
    from plugins.f003_gebruikers.models import JoinRequest

    roles = {role.name for role in user.roles}
    steps = []
    if FUNCTIONEEL_BEHEERDER in roles:
        steps.append(Step("Gebruikers van organisaties beheren",
                          "Nodig de eerste gebruikers van gemeenten en samenwerkingen uit en beheer alle accounts.",
                          url_for("InvitationView.add"), order=40))
    elif organisation is not None and roles & {AANBOD_BEHEERDER, GEBRUIK_BEHEERDER}:
        members = db.session.scalar(select(func.count(Membership.id)).where(
            Membership.organisation_id == organisation.id, Membership.active.is_(True))) or 0
        steps.append(Step("Nodig collega's uit",
                          f"Geef collega's van {organisation.name} toegang, met een rol die bij hun werk past.",
                          url_for("UserView.list"), order=40, done=members > 1,
                          reason=f"{members} gebruikers" if members > 1 else "U bent nog de enige gebruiker"))
        waiting = db.session.query(JoinRequest).filter(JoinRequest.organisation_id == organisation.id,
                                                       JoinRequest.status == "open").count()
        if waiting:
            steps.append(Step("Beoordeel aansluitverzoeken",
                              sentence(f"Collega's vroegen om toegang tot {organisation.name}."),
                              url_for("JoinRequestAdminView.list"), order=30, done=False,
                              reason=count_text(waiting, "{n} verzoek wacht", "{n} verzoeken wachten")))
    return steps


@hookimpl
def default_settings():
    return {
        # An invitation link is valid this many seconds.
        "INVITE_LINK_MAX_AGE": 7 * 24 * 3600,
        # Join requests per client (Flask-Limiter syntax); empty: REGISTRATION_RATE_LIMIT of config.py.
        "JOIN_REQUEST_RATE_LIMIT": "",
    }


@hookimpl
def page_links(slot, user):
    """Under the login form: ask to join an organisation that is already in the catalogue."""
    if slot == "login":
        return [Link("Aansluiten bij uw organisatie", url_for("JoinRequestView.request_join"), order=30)]
    return []
