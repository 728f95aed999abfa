"""Welcome page steps of F013: the landscape, proposals to decide, the open proposals queue."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from core.catalogue.models import Usage
from core.extensions import db
from core.roles import FUNCTIONEEL_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from core.welcome import Step, count_text
from plugins.f013_gebruik.models import OPEN, Proposal
from plugins.f013_gebruik.service import LANDSCAPE_TYPES


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _landscape_steps(roles: set[str], organisation) -> list[Step]:
    usages = _count(select(func.count(Usage.id)).where(Usage.organisation_id == organisation.id))
    in_landscape = (count_text(usages, "{n} pakket in uw applicatielandschap", "{n} pakketten in uw "
                               "applicatielandschap") if usages else "Nog geen pakket in uw applicatielandschap")
    if GEBRUIK_BEHEERDER not in roles:
        return [Step("Bekijk het applicatielandschap", f"Welke pakketten {organisation.name} gebruikt, met versie "
                     "en status.", url_for("UsageView.list"), order=10, reason=in_landscape)]
    waiting = _count(select(func.count(Proposal.id)).where(Proposal.organisation_id == organisation.id,
                                                           Proposal.state == OPEN))
    return [
        Step("Leg vast welke pakketten u gebruikt", "Zoek een pakket in de catalogus of voeg het toe aan uw "
             "applicatielandschap, met versie en status.",
             url_for("UsageView.list") if usages else url_for("UsageView.add"), order=10, done=usages > 0,
             reason=in_landscape),
        Step("Beslis over voorstellen van leveranciers", "Een leverancier stelt voor dat u een pakket gebruikt; "
             "het telt pas mee als u het accepteert.", url_for("IncomingProposalView.list"), order=20,
             done=waiting == 0,
             reason=count_text(waiting, "{n} voorstel wacht op uw besluit", "{n} voorstellen wachten op uw besluit")
             if waiting else "Geen voorstellen die wachten"),
    ]


def steps(user, organisation) -> list[Step]:
    roles = {role.name for role in user.roles}
    if roles & {FUNCTIONEEL_BEHEERDER, VNG_RAADPLEGER}:
        waiting = _count(select(func.count(Proposal.id)).where(Proposal.state == OPEN))
        return [Step("Bekijk de openstaande gebruiksvoorstellen", "Voorstellen van leveranciers waarover een "
                     "gemeente nog niet heeft beslist; u ziet ook of de gemeente een beheerder heeft.",
                     url_for("ProposalQueueView.list"), order=8,
                     reason=count_text(waiting, "{n} voorstel staat open", "{n} voorstellen staan open")
                     if waiting else "Geen open voorstellen")]
    if organisation is None or organisation.type not in LANDSCAPE_TYPES:
        return []
    if not roles & {GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER}:
        return []
    return _landscape_steps(roles, organisation)
