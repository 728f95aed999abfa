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
