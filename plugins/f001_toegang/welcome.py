"""Welcome page: the review queue of the Functioneel beheerder; a supplier's own organisation."""

from __future__ import annotations

from flask import url_for

from core.models import OrganisationType
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER
from core.welcome import Step, count_text


def steps(user, organisation) -> list[Step]:
    roles = {role.name for role in user.roles}
    result: list[Step] = []
    if FUNCTIONEEL_BEHEERDER in roles:
        from plugins.f001_toegang.service import waiting_count

        waiting = waiting_count()
        result.append(Step("Beoordeel aanmeldingen", "Leveranciers die zich hebben aangemeld, wachten op uw "
                           "beoordeling voordat ze in de catalogus komen.", url_for("RegistrationQueueView.list"),
                           order=5, done=waiting == 0,
                           reason=count_text(waiting, "{n} aanmelding wacht", "{n} aanmeldingen wachten")
                           if waiting else "Geen aanmeldingen die wachten"))
    if (AANBOD_BEHEERDER in roles and organisation is not None
            and organisation.type == OrganisationType.leverancier.value):
        # The company profile itself is F002's step (its one profile page).
        result.append(Step(
            "Bekijk uw organisatie",
            "Zo staan de gegevens van uw organisatie in de catalogus. Uw pakketten en diensten beheert u onder "
            "'Mijn aanbod'.",
            url_for("OrganisationView.show", pk=organisation.id), order=30))
    return result
