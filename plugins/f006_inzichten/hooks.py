"""The hook implementations of F006 Inzichten (plugins.f006_inzichten.hooks).

Fed by core events only (``PackageViewed`` from the package page, F013's proposal events,
F004's document reviews, merges and takeovers): F006 imports no other plugin.
"""

from __future__ import annotations

from flask import request, url_for

from core.menu import AANBOD, BEHEER, GEBRUIK, in_category
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, BEZOEKER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from core.slots import Link

INSIGHTS_MENU = "Inzichten"
RECEIVED_MENU = "Interesse van gemeenten"
INTEREST_MENU = "Onze interesse"
VNG_MENU = "Inzichten voor VNG"


@hookimpl
def register_models():
    from plugins.f006_inzichten.models import (
        Interest,
        Notification,
        NotificationSetting,
        ProposalFact,
        SearchDay,
        ViewDay,
        ViewTotal,
    )

    return [ViewDay, ViewTotal, Interest, Notification, NotificationSetting, ProposalFact, SearchDay]


@hookimpl
def default_settings():
    # View statistics older than this many months are deleted by `flask scg inzichten-opschonen`.
    # Counts of visitors that are not attributed below this number are not shown.
    # A search term is shown to suppliers only when this many different organisations used it.
    return {"INZICHTEN_BEWAARTERMIJN_MAANDEN": 24, "INZICHTEN_KLEIN_AANTAL": 3, "INZICHTEN_MIN_ORGANISATIES": 5}


@hookimpl
def register_views(appbuilder):
    from plugins.f006_inzichten.pages import (
        InsightsView,
        NotificationSettingsView,
        PrivacyView,
        StatisticsView,
        VngDashboardView,
    )
    from plugins.f006_inzichten.views import InterestView, NotificationView, ReceivedInterestView

    appbuilder.add_view(InsightsView, INSIGHTS_MENU, label=INSIGHTS_MENU, icon="fa-line-chart",
                        **in_category(AANBOD))
    appbuilder.add_view(ReceivedInterestView, RECEIVED_MENU, label=RECEIVED_MENU, icon="fa-star",
                        **in_category(AANBOD))
    appbuilder.add_view(InterestView, INTEREST_MENU, label=INTEREST_MENU, icon="fa-star-o", **in_category(GEBRUIK))
    appbuilder.add_view_no_menu(NotificationView)
    appbuilder.add_view_no_menu(NotificationSettingsView)
    appbuilder.add_view_no_menu(PrivacyView)
    appbuilder.add_view_no_menu(StatisticsView)
    appbuilder.add_view(VngDashboardView, VNG_MENU, label=VNG_MENU, icon="fa-tachometer", **in_category(BEHEER))


@hookimpl
def role_permissions():
    from core.permissions import crud, menu, read
    from core.roles import all_roles
    from plugins.f006_inzichten.pages import InsightsView, NotificationSettingsView, VngDashboardView
    from plugins.f006_inzichten.views import InterestView, NotificationView, ReceivedInterestView

    # Notifications and their e-mail setting belong to every person of a supplier, gemeente or samenwerking
    # (not to VNG's read-only role, which changes nothing, nor to visitors).
    personal = crud(NotificationView) + crud(NotificationSettingsView)
    grants = {role.name: list(personal) for role in all_roles().values()
              if role.name not in (BEZOEKER, VNG_RAADPLEGER) and not role.sees_all_organisations}
    grants[AANBOD_BEHEERDER] = grants.get(AANBOD_BEHEERDER, []) + crud(InsightsView) + read(ReceivedInterestView) \
        + menu(INSIGHTS_MENU, RECEIVED_MENU, AANBOD)
    grants[GEBRUIK_BEHEERDER] = grants.get(GEBRUIK_BEHEERDER, []) + crud(InterestView) + menu(INTEREST_MENU, GEBRUIK)
    grants[GEBRUIK_RAADPLEGER] = grants.get(GEBRUIK_RAADPLEGER, []) + read(InterestView) \
        + menu(INTEREST_MENU, GEBRUIK)
    grants[VNG_RAADPLEGER] = read(VngDashboardView) + menu(VNG_MENU, BEHEER)
    return grants


@hookimpl
def on_event(event):
    from core import events

    if isinstance(event, events.PackageViewed):
        from plugins.f006_inzichten.service import record_view

        record_view(event)
        return
    if isinstance(event, events.CatalogueSearched):
        from plugins.f006_inzichten.service import record_search

        record_search(event)
        return
    from plugins.f006_inzichten import service

    if isinstance(event, events.ProposalMade):
        service.proposal_made(event)
    elif isinstance(event, events.ProposalDecided):
        service.proposal_decided(event)
    elif isinstance(event, events.ProposalWithdrawn):
        service.proposal_closed(event, "ingetrokken")
    elif isinstance(event, events.DocumentApproved):
        service.document_reviewed(event, approved=True)
    elif isinstance(event, events.DocumentRejected):
        service.document_reviewed(event, approved=False)
    elif isinstance(event, events.PackagesMerged):
        service.packages_merged(event.survivor_id, event.duplicate_id)
    elif isinstance(event, events.PackageTakenOver):
        service.package_taken_over(event.package_id, event.organisation_id)
    elif isinstance(event, events.CertificationExpiring):
        service.certification_expiring(event)
    elif isinstance(event, events.ConceptSupplierLinked):
        service.concept_linked(event.concept_id, event.organisation_id)


def _may_show_interest(user) -> bool:
    from flask import current_app

    from plugins.f006_inzichten.service import ATTRIBUTED_TYPES

    org = getattr(user, "organisation", None)
    return (getattr(user, "is_authenticated", False) and org is not None and org.type in ATTRIBUTED_TYPES
            and current_app.appbuilder.sm.has_access("can_add", "Interest"))


def _has_notifications(user) -> bool:
    from flask import current_app

    return bool(getattr(user, "is_authenticated", False) and getattr(user, "organisation", None) is not None
                and current_app.appbuilder.sm.has_access("can_list", "Notification"))


@hookimpl
def page_links(slot, obj, user):
    """The navigation bar: "Meldingen (n)"; the user menu: the e-mail setting; the package page:
    "Interesse tonen" for a gemeente's Gebruik-beheerder (or the interest already shown); the
    supplier's own package: its insights."""
    if slot in ("navbar", "user_menu") and not _has_notifications(user):
        return []
    if slot == "navbar":
        from plugins.f006_inzichten.service import unread_count

        unread = unread_count(user.id)
        return [Link(f"Meldingen ({unread})" if unread else "Meldingen", url_for("NotificationView.list"),
                     icon="fa-bell", primary=bool(unread))]
    if slot == "user_menu":
        return [Link("Meldingen per e-mail", url_for("NotificationSettingsView.index"), icon="fa-envelope", order=50)]
    if slot == "start_browse":
        return [Link("De catalogus in cijfers", url_for("StatisticsView.index"), order=30, icon="fa-bar-chart")]
    if slot != "package_page" or obj is None:
        return []
    from flask import current_app

    org = getattr(user, "organisation", None)
    if org is not None and org.id == obj.organisation_id \
            and current_app.appbuilder.sm.has_access("can_show", "Insights"):
        return [Link("Inzichten van dit pakket", url_for("InsightsView.package", public_id=obj.public_id), order=30,
                     icon="fa-line-chart")]
    if not _may_show_interest(user):
        return []
    from plugins.f006_inzichten.service import interest_of

    shown = interest_of(org.id, obj.id)
    if shown is not None:
        return [Link("Onze interesse bekijken", url_for("InterestView.show", pk=shown.id), order=15, icon="fa-star")]
    return [Link("Interesse tonen", url_for("InterestView.add", pakket=obj.public_id, next=request.path), order=15,
                 icon="fa-star-o")]


@hookimpl
def page_sections(slot, obj, user):
    return []


@hookimpl
def register_commands(cli):
    import click
    from flask.cli import with_appcontext

    @cli.command("inzichten-overzichten", help="Meldingen als dagelijks of wekelijks overzicht e-mailen.")
    @click.argument("frequentie", type=click.Choice(["dagelijks", "wekelijks"]))
    @with_appcontext
    def digests_command(frequentie):
        from plugins.f006_inzichten.service import send_digests

        click.echo(f"{send_digests(frequentie)} overzicht(en) verstuurd.")

    @cli.command("inzichten-opschonen", help="Bezoekstatistieken ouder dan de bewaartermijn verwijderen.")
    @with_appcontext
    def purge_command():
        from flask import current_app

        from plugins.f006_inzichten.service import purge

        months = current_app.config["INZICHTEN_BEWAARTERMIJN_MAANDEN"]
        click.echo(f"{purge(months)} rij(en) ouder dan {months} maanden verwijderd.")
