"""Next steps on the welcome page: for a newly approved supplier and for the functioneel beheerder."""

from __future__ import annotations

from flask import url_for

from core.models import OrganisationType
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER
from core.welcome import Step


def steps(user, organisation) -> list[Step]:
    roles = {role.name for role in user.roles}
    result: list[Step] = []
    if FUNCTIONEEL_BEHEERDER in roles:
        from plugins.f001_toegang.service import waiting_count

        waiting = waiting_count()
        text = ("Er wacht 1 aanmelding van een leverancier op uw beoordeling." if waiting == 1 else
                f"Er wachten {waiting} aanmeldingen van leveranciers op uw beoordeling.")
        result.append(Step("Beoordeel aanmeldingen", text, url_for("RegistrationQueueView.list"), order=5))
    if (AANBOD_BEHEERDER in roles and organisation is not None
            and organisation.type == OrganisationType.leverancier.value):
        result.append(Step(
            "Vul uw bedrijfsprofiel aan",
            "Controleer de gegevens van uw aanmelding en vul website, contactgegevens en omschrijving aan. "
            "Gemeenten zien deze gegevens bij al uw pakketten.",
            url_for("OrganisationView.edit", pk=organisation.id), order=10))
        result.append(Step(
            "Bekijk uw organisatie",
            "Zo staan de gegevens van uw organisatie in de catalogus. Uw pakketten en diensten beheert u onder "
            "'Mijn aanbod'.",
            url_for("OrganisationView.show", pk=organisation.id), order=30))
    return result
