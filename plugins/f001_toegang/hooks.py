"""F001 Toegang verkrijgen: registration, confirmation, approval, password reset (hook implementations)."""

from __future__ import annotations

from core.plugins import hookimpl


@hookimpl
def register_models():
    from plugins.f001_toegang.models import Registration

    return [Registration]


@hookimpl
def register_views(appbuilder):
    from plugins.f001_toegang import views

    views.register(appbuilder)


@hookimpl
def welcome_steps(user, organisation):
    from plugins.f001_toegang import welcome

    return welcome.steps(user, organisation)


@hookimpl
def default_settings():
    # A confirmation link in the registration mail is valid this many seconds.
    return {"CONFIRM_LINK_MAX_AGE": 48 * 3600}


@hookimpl
def page_links(slot, user):
    """Ways in on other pages: a new password, registering a supplier."""
    from flask import url_for

    from core.slots import Link

    reset = url_for("PasswordResetView.request_reset")
    register = url_for("RegistrationView.register")
    if slot == "login":
        return [Link("Wachtwoord vergeten?", reset, order=10),
                Link("Aanmelden als leverancier", register, order=20)]
    if slot == "start" and not user.is_authenticated:
        return [Link("Aanmelden als leverancier", register, order=10, primary=True)]
    if slot == "join_request":
        return [Link("Meld uw bedrijf aan", register, lead="Leverancier en nog niet in de catalogus?")]
    if slot == "existing_account":
        return [Link("Vraag een nieuw wachtwoord aan", reset, lead="Weet u uw wachtwoord niet meer?")]
    return []
