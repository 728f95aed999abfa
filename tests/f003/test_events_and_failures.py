"""Domain events other plugins rely on, and mail that cannot be delivered."""

from __future__ import annotations

from core.events import UserDeactivated, UserInvited, UserJoined, UserReactivated
from core.extensions import db
from core.models import Membership
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER
from plugins.f003_gebruikers.models import Invitation, JoinRequest
from tests.f003.conftest import accept, action, client_for, invitation_link, invite, membership_of, session_csrf, text
from tests.support.actors import World, make_user


class EventRecorder:
    def __init__(self):
        self.events = []

    @hookimpl
    def on_event(self, event):
        self.events.append(event)


def test_invite_join_deactivate_reactivate_emit_events(make_app, mailbox):
    recorder = EventRecorder()
    app = make_app(plugins=[recorder])
    with app.app_context():
        world = World.build(app)
        beheerder = client_for(app, world.users["aanbod"])
        invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
        accept(app.test_client(), invitation_link(mailbox, "eva@ictsolutions.example"))
        db.session.expire_all()
        eva = db.session.query(Invitation).one().accepted_user_id
        membership = db.session.query(Membership).filter_by(user_id=eva).one()
        action(beheerder, "/gebruikers", "deactivate", membership.id)
        action(beheerder, "/gebruikers", "reactivate", membership.id)
    kinds = [type(e) for e in recorder.events]
    assert kinds == [UserInvited, UserJoined, UserDeactivated, UserReactivated]
    invited, joined, deactivated, _ = recorder.events
    assert invited.email == "eva@ictsolutions.example" and invited.organisation_id == world.supplier.id
    assert invited.actor_id == world.users["aanbod"].id
    assert joined.user_id == eva == deactivated.user_id


def test_accepting_an_invitation_answers_an_open_join_request(app, world, mailbox):
    db.session.add(JoinRequest(organisation_id=world.supplier.id, email="eva@ictsolutions.example",
                               first_name="Eva", last_name="V", status="open"))
    db.session.commit()
    invite(client_for(app, world.users["aanbod"]), "eva@ictsolutions.example", AANBOD_BEHEERDER)
    accept(app.test_client(), invitation_link(mailbox, "eva@ictsolutions.example"))
    db.session.expire_all()
    assert db.session.query(JoinRequest).one().status == "goedgekeurd"


def test_undeliverable_mail_is_a_message_not_an_error(make_app, smtp):
    app = make_app(MAIL_PORT=1)  # nothing listens there
    with app.app_context():
        world = World.build(app)
        eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
        beheerder = client_for(app, world.users["aanbod"])
        resp = invite(beheerder, "nieuw@ictsolutions.example", AANBOD_BEHEERDER)
        assert resp.status_code == 400
        assert "De e-mail kon niet worden verstuurd" in text(resp)
        db.session.expire_all()
        assert db.session.query(Invitation).count() == 0
        resp = action(beheerder, "/gebruikers", "reset_password", membership_of(eva).id)
        assert "De e-mail kon niet worden verstuurd" in text(beheerder.get(resp.location))
        visitor = app.test_client()
        resp = visitor.post("/aansluiten/", data={
            "first_name": "Kees", "last_name": "Jansen", "email": "kees@ictsolutions.example", "organisation": "",
            "csrf_token": session_csrf(visitor)})
        assert resp.status_code == 400 and "De e-mail kon niet worden verstuurd" in text(resp)
        db.session.expire_all()
        assert db.session.query(JoinRequest).count() == 0
