"""The export of a samenwerking's or community's member list (export only: members declare themselves)."""

from __future__ import annotations

from core.io import Column, IOHandler
from core.roles import GEBRUIK_BEHEERDER
from plugins.f010_lidmaatschap.service import contact_of, current_members


def export_members(user, organisation_id):
    """The current members of the group ``organisation_id`` (``core.io`` decided the user may export it)."""
    if organisation_id is None:
        return []
    return [{"Deelnemer": d.member_name, "Soort": d.member_type, "Deelnemer sinds": d.since,
             "Contactpersoon": contact_of(d.organisation)} for d in current_members(organisation_id)]


MEMBERS = IOHandler(
    name="lidmaatschap-deelnemers",
    entity="Deelname",
    label="Deelnemers",
    description="De gemeenten en leveranciers die deelnemen aan uw samenwerking of community.",
    columns=(
        Column("Deelnemer", required=True, help="Naam van de deelnemende organisatie"),
        Column("Soort", read_only=True, allowed_values=("Gemeente", "Leverancier")),
        Column("Deelnemer sinds", type="date", help="Sinds wanneer de organisatie deelneemt"),
        Column("Contactpersoon", read_only=True, help="Contactpersoon van de deelnemer"),
    ),
    roles=frozenset({GEBRUIK_BEHEERDER}),
    export_rows=export_members,
    sheet="Deelnemers",
    group="lidmaatschap",
)
