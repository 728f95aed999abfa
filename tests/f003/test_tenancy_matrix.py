"""F003 through the shared tenancy matrix: every role x every way in x own/other organisation.

What the matrix's generic operations mean here:

- *Gebruikers* (memberships): the beheerders read their own organisation's members,
  the VNG-raadpleger and the Functioneel beheerder read all. The edit page changes only
  the role; the matrix's generic edit (a free-text marker in ``role_name``) does not fit
  it, so the edit cells of those who may change roles (beheerders on their own members,
  the Functioneel beheerder on all) are left out here and covered in ``test_members.py``;
  every other edit cell must be refused. A PUT of a marker as ``role_name`` is no role
  and is refused for everybody. Nobody deletes or creates a membership through a page or
  the API. The deactivate/reactivate/reset actions are in ``test_members.py`` and
  ``test_security.py``.
- *Uitnodigingen*: beheerders read and add for their own organisation only, the
  Functioneel beheerder for every organisation; invitations are never edited or deleted.
- *Aansluitverzoeken*: beheerders read their own, the Functioneel beheerder all;
  approve/decline are actions, tested in ``test_join_requests.py`` and ``test_security.py``.
"""

from __future__ import annotations

import pytest

from core import accounts
from core.extensions import db
from core.models import Membership, ScgUser, utcnow
from plugins.f003_gebruikers.models import Invitation, JoinRequest
from plugins.f003_gebruikers.service import assignable_roles
from tests.support import tenancy_matrix as tm


def member_row(org, marker):
    user = accounts.create_user(email=f"{marker.lower()}@leden.example", first_name=marker, last_name="Lid",
                                password=None, organisation=org, role_name=assignable_roles(org.type)[0])
    return db.session.query(Membership).filter_by(user_id=user.id).one()


def invitation_row(org, marker):
    row = Invitation(organisation_id=org.id, email=f"{marker.lower()}@uitgenodigd.example", first_name=marker,
                     role_name=assignable_roles(org.type)[0], status="open", send_count=1,
                     created_on=utcnow(), last_sent_on=utcnow())
    db.session.add(row)
    return row


def join_request_row(org, marker):
    row = JoinRequest(organisation_id=org.id, email=f"{marker.lower()}@aanvraag.example", first_name=marker,
                      last_name="Aanvrager", status="open", created_on=utcnow())
    db.session.add(row)
    return row


BEHEERDERS_READ = {
    tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN),
    tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN),
    tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL),
}

MEMBERS = tm.TenancySpec(
    name="gebruikers",
    model=Membership,
    view="/gebruikers",
    api="/api/v1/gebruikers",
    marker_field="role_name",
    make_row=member_row,
    rights=dict(BEHEERDERS_READ, **{tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL)}),
    watch=(ScgUser,),
)

INVITATIONS = tm.TenancySpec(
    name="uitnodigingen",
    model=Invitation,
    view="/uitnodigingen",
    marker_field="first_name",
    make_row=invitation_row,
    add_form=lambda org, marker: {"email": f"{marker.lower()}@uitgenodigd.example", "first_name": marker,
                                  "role": assignable_roles(org.type)[0], "organisation": str(org.id)},
    rights={
        tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, add=tm.OWN),
        tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN, add=tm.OWN),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL, add=tm.ALL),
    },
)

JOIN_REQUESTS = tm.TenancySpec(
    name="aansluitverzoeken",
    model=JoinRequest,
    view="/aansluitverzoeken",
    marker_field="first_name",
    make_row=join_request_row,
    rights=BEHEERDERS_READ,
    owner_types=("leverancier", "gemeente"),
)

ROLE_EDITORS = {(tm.AANBOD_BEHEERDER, "own"), (tm.GEBRUIK_BEHEERDER, "own"), (tm.FUNCTIONEEL_BEHEERDER, "other")}


def member_cells():
    def fits(param):
        cell = param.values[0]
        return not (cell.op in ("edit_get", "edit_post") and (cell.actor, cell.target) in ROLE_EDITORS)

    return [param for param in MEMBERS.cells() if fits(param)]


matrix_env = tm.environment()


@pytest.mark.parametrize("cell", member_cells())
def test_members_tenancy(matrix_env, cell):
    tm.check(matrix_env, MEMBERS, cell)


@pytest.mark.parametrize("cell", INVITATIONS.cells())
def test_invitations_tenancy(matrix_env, cell):
    tm.check(matrix_env, INVITATIONS, cell)


@pytest.mark.parametrize("cell", JOIN_REQUESTS.cells())
def test_join_requests_tenancy(matrix_env, cell):
    tm.check(matrix_env, JOIN_REQUESTS, cell)
