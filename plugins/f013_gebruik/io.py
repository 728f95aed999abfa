"""The export of the supplier's klantoverzicht (export only: customers declare their own usage)."""

from __future__ import annotations

from core.io import Column, IOHandler
from core.roles import AANBOD_BEHEERDER

KINDS = ("Klant", "Voorstel open", "Voorstel afgewezen")


def export_customers(user, organisation_id):
    """Per own package of ``organisation_id``: customers, open and rejected proposals (``core.io`` checked the user).

    The same rows as the page: never a usage's note, nothing of another package.
    """
    from plugins.f013_gebruik.customers import overview

    for section in overview(organisation_id):
        package = section.package.name
        for c in section.customers:
            ref = c.reference if c.reference_state == "Referentie" else None
            yield {"Pakket": package, "Organisatie": c.name, "Soort": "Klant", "Status": c.status_label,
                   "Versie": c.version, "Sinds": c.since.date() if c.since else None,
                   "Referentie": ref is not None, "Contactpersoon referentie": ref.contact_name if ref else None,
                   "E-mail referentie": ref.contact_email if ref else None}
        for kind, rows in (("Voorstel open", section.open_proposals), ("Voorstel afgewezen", section.rejected)):
            for p in rows:
                yield {"Pakket": package, "Organisatie": p.name, "Soort": kind, "Status": None, "Versie": None,
                       "Sinds": (p.decided_on or p.proposed_on).date() if (p.decided_on or p.proposed_on) else None,
                       "Referentie": False, "Reden afwijzing": p.reason if kind == "Voorstel afgewezen" else None}


CUSTOMERS = IOHandler(
    name="gebruik-klanten",
    entity="Klant",
    label="Klantoverzicht",
    description="Per pakket van uw organisatie: de gemeenten die het gebruiken, open en afgewezen voorstellen.",
    columns=(
        Column("Pakket", read_only=True),
        Column("Organisatie", read_only=True, help="De gemeente of samenwerking"),
        Column("Soort", read_only=True, allowed_values=KINDS),
        Column("Status", read_only=True, help="Status van het gebruik"),
        Column("Versie", read_only=True),
        Column("Sinds", type="date", read_only=True,
               help="Klant: sinds het gebruik is vastgelegd; voorstel: gedaan of afgewezen op"),
        Column("Referentie", type="boolean", read_only=True, help="De klant is referentie voor dit pakket"),
        Column("Contactpersoon referentie", read_only=True),
        Column("E-mail referentie", read_only=True),
        Column("Reden afwijzing", read_only=True),
    ),
    roles=frozenset({AANBOD_BEHEERDER}),
    export_rows=export_customers,
    sheet="Klanten",
    group="gebruik-klanten",
)
