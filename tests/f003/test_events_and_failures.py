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


def test_mail_server_down_keeps_the_invitation_and_its_mail_waits(make_app, smtp):
    """Before the outbox, a mail server that was down threw the invitation away; now the
    invitation, the reset and the join request are kept and their mails wait to be retried."""
    from core import mail
    from core.models import OutboxMail

    app = make_app(MAIL_PORT=1)  # nothing listens there
    with app.app_context():
        world = World.build(app)
        eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
        beheerder = client_for(app, world.users["aanbod"])
        resp = invite(beheerder, "nieuw@ictsolutions.example", AANBOD_BEHEERDER)
        assert resp.status_code == 302
        resp = action(beheerder, "/gebruikers", "reset_password", membership_of(eva).id)
        assert "kon niet worden verstuurd" not in text(beheerder.get(resp.location))
        visitor = app.test_client()
        resp = visitor.post("/aansluiten/", data={
            "first_name": "Kees", "last_name": "Jansen", "email": "kees@ictsolutions.example", "organisation": "",
            "csrf_token": session_csrf(visitor)})
        assert resp.status_code in (200, 302) and "kon niet worden verstuurd" not in text(resp)
        db.session.expire_all()
        assert db.session.query(Invitation).count() == 1
        assert db.session.query(JoinRequest).count() == 1
        waiting = db.session.query(OutboxMail).order_by(OutboxMail.id).all()
        assert [m.subject for m in waiting] == [
            "Uitnodiging: werk mee namens ICT Solutions BV", "Nieuw wachtwoord instellen",
            "Verzoek om aan te sluiten bij ICT Solutions BV"]
        assert waiting[0].recipients == "nieuw@ictsolutions.example"
        assert all(m.status == mail.WAITING and m.attempts == 1 and "refused" in m.last_error for m in waiting)
        assert smtp.to("nieuw@ictsolutions.example") == []
