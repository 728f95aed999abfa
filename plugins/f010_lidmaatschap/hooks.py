"""The hook implementations of F010 Lidmaatschap (plugins.f010_lidmaatschap.hooks)."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from core.menu import ORGANISATIE, in_category
from core.permissions import crud, menu, read
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from core.slots import Section


@hookimpl
def register_models():
    from plugins.f010_lidmaatschap.models import Deelname

    return [Deelname]


@hookimpl
def register_views(appbuilder):
    from plugins.f010_lidmaatschap.views import DeelnameView, DeelnemerView

    appbuilder.add_view(DeelnameView, "Deelnames", label="Deelnames", icon="fa-handshake-o",
                        **in_category(ORGANISATIE))
    appbuilder.add_view(DeelnemerView, "Deelnemers", label="Deelnemers", icon="fa-users",
                        **in_category(ORGANISATIE))


@hookimpl
def role_permissions():
    from plugins.f010_lidmaatschap.views import DeelnameView, DeelnemerView

    join = crud(DeelnameView) + menu("Deelnames", ORGANISATIE)
    return {
        # A gemeente or supplier declares and ends its own participations.
        AANBOD_BEHEERDER: join,
        # The Gebruik-beheerder of a gemeente joins; of a samenwerking or community it reads its members.
        GEBRUIK_BEHEERDER: join + read(DeelnemerView) + menu("Deelnemers"),
        GEBRUIK_RAADPLEGER: read(DeelnameView) + menu("Deelnames", ORGANISATIE),
        VNG_RAADPLEGER: read(DeelnameView, DeelnemerView) + menu("Deelnames", "Deelnemers", ORGANISATIE),
    }


@hookimpl
def io_handlers():
    from plugins.f010_lidmaatschap.io import MEMBERS

    return [MEMBERS]


@hookimpl
def page_sections(slot, obj, user):
    if slot != "supplier_page" or obj is None:
        return []
    from plugins.f010_lidmaatschap.models import GROUP_TYPES
    from plugins.f010_lidmaatschap.service import current_groups, current_members

    sections = []
    groups = [(d.group_name, d.group_type) for d in current_groups(obj.id)]
    if groups:
        sections.append(Section("Deelnemer van", Markup(render_template("f010/_public_list.html", rows=groups)),
                                order=40))
    if obj.type in GROUP_TYPES:
        members = [(d.member_name, d.member_type) for d in current_members(obj.id)]
        sections.append(Section("Deelnemers", Markup(render_template("f010/_public_list.html", rows=members)),
                                order=41))
    return sections


@hookimpl(trylast=True)  # after the gemeenten are loaded
def seed_data(app, demo):
    if demo:
        from plugins.f010_lidmaatschap.demo import seed_demo

        seed_demo()


@hookimpl
def group_member_ids(group_id):
    """The current members of a samenwerking or community (ended participations do not count)."""
    from sqlalchemy import select

    from core.extensions import db
    from plugins.f010_lidmaatschap.models import Deelname

    return list(db.session.scalars(select(Deelname.organisation_id).where(
        Deelname.group_id == group_id, Deelname.ended_on.is_(None))))
