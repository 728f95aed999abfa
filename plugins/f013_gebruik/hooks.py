"""The hook implementations of F013 Gebruik (plugins.f013_gebruik.hooks)."""

from __future__ import annotations

from flask import request, url_for

from core.menu import AANBOD, GEBRUIK, in_category
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER
from core.slots import Link

MENU = "Ons applicatielandschap"
CUSTOMERS_MENU = "Klantoverzicht"  # in the supplier's "Mijn aanbod", next to F004's packages


@hookimpl
def register_models():
    from plugins.f013_gebruik.models import Proposal, ProposalBlock, Reference, UsageChange

    return [UsageChange, Proposal, ProposalBlock, Reference]


@hookimpl
def register_views(appbuilder):
    from plugins.f013_gebruik.views import UsageView

    appbuilder.add_view(UsageView, MENU, label=MENU, icon="fa-th-large", **in_category(GEBRUIK))

    from plugins.f013_gebruik.customers import CustomerView
    from plugins.f013_gebruik.references import ReferenceView

    appbuilder.add_view(CustomerView, CUSTOMERS_MENU, label=CUSTOMERS_MENU, icon="fa-users", **in_category(AANBOD))
    appbuilder.add_view_no_menu(ReferenceView)


@hookimpl
def register_apis(appbuilder):
    from plugins.f013_gebruik.api import UsageApi

    appbuilder.add_api(UsageApi)


@hookimpl
def role_permissions():
    from core.permissions import crud, menu, read
    from plugins.f013_gebruik.api import UsageApi
    from plugins.f013_gebruik.customers import CustomerView
    from plugins.f013_gebruik.references import ReferenceView
    from plugins.f013_gebruik.views import UsageView

    # A usage is ended (uitgefaseerd), never deleted: its history stays. A reference is the
    # municipality's own word: its beheerder sets it; the supplier only asks (klantoverzicht).
    return {GEBRUIK_BEHEERDER: crud(UsageView, UsageApi, without={"can_delete"}) + crud(ReferenceView)
            + menu(MENU, GEBRUIK),
            GEBRUIK_RAADPLEGER: read(UsageView, UsageApi) + menu(MENU, GEBRUIK),
            AANBOD_BEHEERDER: crud(CustomerView) + menu(CUSTOMERS_MENU, AANBOD)}


@hookimpl
def io_handlers():
    from plugins.f013_gebruik.io import CUSTOMERS

    return [CUSTOMERS]


@hookimpl
def on_event(event):
    """An ended usage is no reference any more (the public package page drops it)."""
    from core.events import UsageEnded

    if isinstance(event, UsageEnded):
        from plugins.f013_gebruik.references import drop_ended

        drop_ended(event.organisation_id, event.package_id)


@hookimpl
def page_sections(slot, obj, user):
    """The package page: "Referenties", the organisations that opted in (names; contacts for peers)."""
    if slot != "package_page" or obj is None:
        return []
    from plugins.f013_gebruik.references import package_section

    section = package_section(obj, user)
    return [section] if section is not None else []


@hookimpl(trylast=True)  # after core's demo catalogue, which is trylast too but registered earlier
def seed_data(app, demo):
    if demo:
        from plugins.f013_gebruik.demo import load_demo_landscape

        load_demo_landscape()


def _may_add_usage(user) -> bool:
    from flask import current_app

    from plugins.f013_gebruik.service import LANDSCAPE_TYPES

    if not getattr(user, "is_authenticated", False):
        return False
    if not current_app.appbuilder.sm.has_access("can_add", "Usage"):
        return False
    org = getattr(user, "organisation", None)
    if org is None:  # the Functioneel beheerder picks the organisation on the form
        from core.tenancy import sees_all_organisations

        return sees_all_organisations(user)
    return org.type in LANDSCAPE_TYPES


@hookimpl
def page_links(slot, obj, user):
    """The package page: "Wij gebruiken dit pakket" (or a link to the own usage when it is there)."""
    package = obj
    if slot != "package_page" or package is None or not _may_add_usage(user):
        return []
    from plugins.f013_gebruik.service import existing_usage

    org = getattr(user, "organisation", None)
    usage = existing_usage(org.id, package.id) if org is not None else None
    if usage is not None:
        return [Link("Bekijk ons gebruik van dit pakket", url_for("UsageView.show", pk=usage.id), order=10,
                     icon="fa-th-large")]
    return [Link("Wij gebruiken dit pakket", url_for("UsageView.add", pakket=package.public_id, next=request.path),
                 order=10, icon="fa-plus", primary=True)]
