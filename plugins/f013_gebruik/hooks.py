"""The hook implementations of F013 Gebruik (plugins.f013_gebruik.hooks)."""

from __future__ import annotations

from flask import request, url_for

from core.menu import AANBOD, BEHEER, GEBRUIK, in_category
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from core.slots import Link

MENU = "Ons applicatielandschap"
#: The supplier's sent proposals (under "Mijn aanbod") and the municipality's incoming ones (under "Ons gebruik").
PROPOSALS_MENU, INCOMING_MENU = "Voorstellen", "Voorstellen van leveranciers"
CUSTOMERS_MENU = "Klantoverzicht"  # in the supplier's "Mijn aanbod", next to F004's packages


@hookimpl
def register_models():
    from plugins.f013_gebruik.models import Proposal, ProposalBlock, Reference, UsageChange

    return [UsageChange, Proposal, ProposalBlock, Reference]


@hookimpl
def register_views(appbuilder):
    from plugins.f013_gebruik.proposal_views import IncomingProposalView, SupplierProposalView
    from plugins.f013_gebruik.views import UsageView

    appbuilder.add_view(UsageView, MENU, label=MENU, icon="fa-th-large", **in_category(GEBRUIK))
    appbuilder.add_view(IncomingProposalView, INCOMING_MENU, label=INCOMING_MENU, icon="fa-inbox",
                        **in_category(GEBRUIK))
    appbuilder.add_view(SupplierProposalView, PROPOSALS_MENU, label="Gebruik voorstellen", icon="fa-paper-plane-o",
                        **in_category(AANBOD))

    from plugins.f013_gebruik.policy_views import BLOCKS_MENU, QUEUE_MENU, ProposalBlockView, ProposalQueueView

    appbuilder.add_view(ProposalBlockView, BLOCKS_MENU, label=BLOCKS_MENU, icon="fa-ban", **in_category(GEBRUIK))
    appbuilder.add_view(ProposalQueueView, QUEUE_MENU, label=QUEUE_MENU, icon="fa-hourglass-half",
                        **in_category(BEHEER))

    from plugins.f013_gebruik.customers import CustomerView
    from plugins.f013_gebruik.references import ReferenceView

    appbuilder.add_view(CustomerView, CUSTOMERS_MENU, label=CUSTOMERS_MENU, icon="fa-users", **in_category(AANBOD))
    appbuilder.add_view_no_menu(ReferenceView)


@hookimpl
def register_apis(appbuilder):
    from plugins.f013_gebruik.api import IncomingProposalApi, SupplierProposalApi, UsageApi

    appbuilder.add_api(UsageApi)
    appbuilder.add_api(SupplierProposalApi)
    appbuilder.add_api(IncomingProposalApi)


@hookimpl
def role_permissions():
    from core.permissions import crud, menu, read
    from plugins.f013_gebruik.api import IncomingProposalApi, SupplierProposalApi, UsageApi
    from plugins.f013_gebruik.customers import CustomerView
    from plugins.f013_gebruik.policy_views import BLOCKS_MENU, QUEUE_MENU, ProposalBlockView, ProposalQueueView
    from plugins.f013_gebruik.proposal_views import IncomingProposalView, SupplierProposalView
    from plugins.f013_gebruik.references import ReferenceView
    from plugins.f013_gebruik.views import UsageView

    # A usage is ended (uitgefaseerd), never deleted: its history stays. Proposals are decided
    # (can_decide, can_accept, can_reject) or withdrawn (can_withdraw), never edited or deleted.
    # A block is lifted by deleting it. A reference is the municipality's own word: its beheerder
    # sets it; the supplier only asks (klantoverzicht).
    queue = read(ProposalQueueView) + menu(QUEUE_MENU, BEHEER)
    return {GEBRUIK_BEHEERDER: crud(UsageView, UsageApi, without={"can_delete"})
            + crud(IncomingProposalView, IncomingProposalApi) + crud(ProposalBlockView) + crud(ReferenceView)
            + menu(MENU, INCOMING_MENU, BLOCKS_MENU, GEBRUIK),
            GEBRUIK_RAADPLEGER: read(UsageView, UsageApi) + read(IncomingProposalView, IncomingProposalApi)
            + read(ProposalBlockView) + menu(MENU, INCOMING_MENU, BLOCKS_MENU, GEBRUIK),
            AANBOD_BEHEERDER: crud(SupplierProposalView, SupplierProposalApi) + crud(CustomerView)
            + menu(PROPOSALS_MENU, CUSTOMERS_MENU, AANBOD),
            VNG_RAADPLEGER: queue}  # (the Functioneel beheerder holds every permission)



@hookimpl
def welcome_steps(user, organisation):
    """A municipality's (or samenwerking's) landscape and the proposals waiting for it; the open
    proposals for VNG and the Functioneel beheerder."""
    from plugins.f013_gebruik import welcome

    return welcome.steps(user, organisation)


@hookimpl
def io_handlers():
    from plugins.f013_gebruik.io import CUSTOMERS
    from plugins.f013_gebruik.landscape_io import CUSTOMER_LIST, LANDSCAPE

    return [CUSTOMERS, LANDSCAPE, CUSTOMER_LIST]



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
        from plugins.f013_gebruik.demo import load_demo_landscape, load_demo_proposal

        load_demo_landscape()
        load_demo_proposal()


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


def _may_propose(user, package) -> bool:
    """An Aanbod-beheerder on a published package of its own organisation."""
    from flask import current_app

    from core.catalogue.access import is_public

    if not getattr(user, "is_authenticated", False):
        return False
    org = getattr(user, "organisation", None)
    if org is None or org.type != "leverancier" or package.organisation_id != org.id or not is_public(package):
        return False
    return current_app.appbuilder.sm.has_access("can_add", "SupplierProposal")


@hookimpl
def default_settings():
    from plugins.f013_gebruik.proposal_policy import DEFAULTS

    return dict(DEFAULTS)


@hookimpl
def register_commands(cli):
    import click
    from flask.cli import with_appcontext

    @cli.command("voorstellen-verlopen", help="Open gebruiksvoorstellen die te lang wachten laten verlopen "
                                               "(dagelijks uitvoeren).")
    @with_appcontext
    def expire_proposals_command():
        from plugins.f013_gebruik.proposal_policy import expire_overdue

        click.echo(f"{expire_overdue()} voorstel(len) verlopen.")


@hookimpl
def on_event(event):
    """Proposals follow merged and unpublished packages; an ended usage is no reference any more."""
    from core.events import PackagesMerged, PackageUnpublished, UsageEnded

    if isinstance(event, UsageEnded):
        from plugins.f013_gebruik.references import drop_ended

        drop_ended(event.organisation_id, event.package_id)
    elif isinstance(event, PackagesMerged):
        from plugins.f013_gebruik.proposal_policy import on_merged

        on_merged(event.survivor_id, event.duplicate_id)
    elif isinstance(event, PackageUnpublished):
        from plugins.f013_gebruik.proposal_policy import on_unpublished

        on_unpublished(event.package_id)


def _proposal_links(proposal, user) -> list[Link]:
    """The municipal decision page of a proposal: block its supplier (for who may add a block)."""
    from flask import current_app

    if proposal is None or not getattr(user, "is_authenticated", False):
        return []
    if not current_app.appbuilder.sm.has_access("can_add", "ProposalBlock"):
        return []
    from plugins.f013_gebruik.proposal_policy import is_blocked

    if is_blocked(proposal.organisation_id, proposal.supplier_id):
        return []
    return [Link(f"Geen voorstellen meer van {proposal.supplier.name}",
                 url_for("ProposalBlockView.add", leverancier=proposal.supplier_id, next=request.path),
                 order=90, icon="fa-ban")]


@hookimpl
def page_links(slot, obj, user):
    """The package page: "Wij gebruiken dit pakket" (or a link to the own usage when it is there);
    for the supplier's Aanbod-beheerder on its own published package: "Gebruik voorstellen aan een gemeente";
    for a visitor who is not logged in: "Log in als gemeente om gebruik vast te leggen" (back to the package).

    A proposal's page (``proposal_page``): "Geen voorstellen meer van <leverancier>".
    """
    if slot == "proposal_page":
        return _proposal_links(obj, user)
    package = obj
    if slot != "package_page" or package is None:
        return []
    if _may_propose(user, package):
        return [Link("Gebruik voorstellen aan een gemeente",
                     url_for("SupplierProposalView.add", pakket=package.public_id, next=request.path),
                     order=20, icon="fa-paper-plane-o")]
    if not getattr(user, "is_authenticated", False):
        return [Link("Log in als gemeente om gebruik vast te leggen",
                     url_for("ScgAuthDBView.login", next=request.path), order=10, icon="fa-sign-in",
                     lead="Gebruikt uw gemeente dit pakket?")]
    if not _may_add_usage(user):
        return []
    from plugins.f013_gebruik.service import existing_usage

    org = getattr(user, "organisation", None)
    usage = existing_usage(org.id, package.id) if org is not None else None
    if usage is not None:
        return [Link("Bekijk ons gebruik van dit pakket", url_for("UsageView.show", pk=usage.id), order=10,
                     icon="fa-th-large")]
    return [Link("Wij gebruiken dit pakket", url_for("UsageView.add", pakket=package.public_id, next=request.path),
                 order=10, icon="fa-plus", primary=True)]
