"""Mail goes through the outbox: never lost when SMTP is down, never sent for a rolled-back
change, retried with growing intervals, sent once even by two deliverers at once.

These run without Redis: jobs run in-process (``JOBS_INPROCESS``); the Redis side is in
tests/core/test_jobs.py.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from core import jobs, mail
from core.extensions import db
from core.models import OutboxMail, utcnow
from tests.core.test_mail_timeout import SilentSmtp
from tests.f001.conftest import VALID, confirm, post_action, register, registration
from tests.support.actors import World, login
from tests.support.mailbox import Mailbox

APPROVED = "Uw aanmelding bij de Softwarecatalogus is goedgekeurd"


@pytest.fixture
def box():
    """A mail server of this test alone, which the test stops and starts."""
    server = Mailbox()
    server.start()
    yield server
    server.stop()


def outbox(**filters) -> list[OutboxMail]:
    db.session.expire_all()
    return db.session.query(OutboxMail).filter_by(**filters).order_by(OutboxMail.id).all()


def a_minute_passes():
    """Make every waiting mail due, as if its retry interval had passed."""
    db.session.execute(update(OutboxMail).where(OutboxMail.status == mail.WAITING)
                       .values(next_attempt_on=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def confirmed_registration(app, box):
    supplier = app.test_client()
    register(supplier)
    confirm(supplier, box.last_to(VALID["email"]).links[0])
    return registration()


def approvals(box) -> list:
    return [m for m in box.to(VALID["email"]) if m.subject == APPROVED]


def use_mail_port(app, port: int) -> None:
    """Point a running app at another mail server (Flask-Mail reads the port at start)."""
    app.config["MAIL_PORT"] = app.extensions["mail"].port = port


def deliver_command(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=["scg", "mail-versturen", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_approval_while_smtp_is_down_waits_in_the_outbox_and_arrives_once(make_app, box):
    app = make_app(MAIL_PORT=box.port)
    with app.app_context():
        world = World.build(app)
        reg = confirmed_registration(app, box)
        fb = app.test_client()
        login(fb, world.users["fb"])
        box.stop()

        resp = post_action(fb, reg.id, "goedkeuren")
        assert resp.status_code == 302
        assert "kon niet worden verstuurd" not in fb.get(resp.location).get_data(as_text=True)
        assert registration().organisation.status == "goedgekeurd"
        [waiting] = outbox(subject=APPROVED)
        assert waiting.status == mail.WAITING and waiting.attempts == 1
        assert "refused" in waiting.last_error
        assert waiting.next_attempt_on - waiting.created_on >= timedelta(seconds=59)  # the first interval: 1 min

        box.start()
        assert "Verstuurd: 0" in deliver_command(app)  # not due yet: the interval has not passed
        assert approvals(box) == []
        a_minute_passes()
        assert "Verstuurd: 1" in deliver_command(app)
        assert "Verstuurd: 0" in deliver_command(app)  # a second run sends nothing again
        [arrived] = approvals(box)
        assert str(arrived.message["Message-ID"]).strip() == waiting.message_id
        [sent] = outbox(subject=APPROVED)
        assert sent.status == mail.SENT and sent.sent_on is not None and sent.attempts == 2


def test_a_rolled_back_change_sends_no_mail_and_a_committed_one_does(app, mailbox):
    mail.send("weg@example.nl", "Teruggedraaid", "password_reset", user=None, link="http://x", hours=2)
    db.session.rollback()
    mail.send("blijft@example.nl", "Vastgelegd", "password_reset", user=None, link="http://x", hours=2)
    assert mailbox.to("blijft@example.nl") == []  # not before the commit
    db.session.commit()
    assert [m.subject for m in mailbox.to("blijft@example.nl")] == ["Vastgelegd"]
    assert mailbox.to("weg@example.nl") == []
    assert [m.subject for m in outbox()] == ["Vastgelegd"]


def test_mail_sent_inside_a_savepoint_arrives_after_the_real_commit(app, mailbox):
    """A bulk action sends each row's mail inside ``begin_nested()``: releasing that SAVEPOINT is no
    commit (SQLAlchemy fires the commit events for it too); the mail goes out after the real one, and a
    SAVEPOINT that rolls back takes only its own mail with it. (On PostgreSQL the deliverer's own
    connection sees nothing before the real commit: such mails used to wait for the periodic delivery.)"""
    mail.send("eerst@example.nl", "Voor het savepoint", "password_reset", user=None, link="http://x", hours=2)
    with db.session.begin_nested():
        mail.send("binnen@example.nl", "In het savepoint", "password_reset", user=None, link="http://x", hours=2)
    try:
        with db.session.begin_nested():
            mail.send("weg@example.nl", "Teruggedraaid", "password_reset", user=None, link="http://x", hours=2)
            raise RuntimeError("this row is refused")
    except RuntimeError:
        pass
    assert mailbox.messages == []  # nothing before the commit
    db.session.commit()
    assert [m.subject for m in mailbox.to("binnen@example.nl")] == ["In het savepoint"]
    assert [m.subject for m in mailbox.to("eerst@example.nl")] == ["Voor het savepoint"]
    assert mailbox.to("weg@example.nl") == []
    assert sorted(m.subject for m in outbox()) == ["In het savepoint", "Voor het savepoint"]
    assert {m.status for m in outbox()} == {mail.SENT}


def test_failures_are_retried_with_growing_intervals_then_given_up_and_can_be_retried(make_app, box):
    box.stop()
    app = make_app(MAIL_PORT=box.port, MAIL_MAX_ATTEMPTS=4)
    with app.app_context():
        mail.send("later@example.nl", "Volhouden", "password_reset", user=None, link="http://x", hours=2)
        db.session.commit()
        delays = []
        for _ in range(3):
            [row] = outbox()
            delays.append(round((row.next_attempt_on - utcnow()).total_seconds() / 60))
            a_minute_passes()
            deliver_command(app)
        [row] = outbox()
        assert delays == [1, 5, 30]
        assert row.status == mail.FAILED and row.attempts == 4 and "refused" in row.last_error
        assert "0 wachtend, 1 mislukt" in deliver_command(app)

        box.start()
        output = deliver_command(app, "--opnieuw")
        assert "1 mislukte e-mail(s) opnieuw" in output and "Verstuurd: 1" in output
        assert len(box.to("later@example.nl")) == 1
        assert outbox()[0].status == mail.SENT


def test_a_mail_server_that_never_answers_does_not_hold_the_request(make_app, box):
    """In the embedded default (no Redis) mail goes out from a background thread."""
    silent = SilentSmtp()
    app = make_app(MAIL_PORT=silent.port, MAIL_TIMEOUT=3, JOBS_INPROCESS="thread")
    with app.app_context():
        client = app.test_client()
        resp = register(client)
        assert resp.status_code == 302
        assert silent.client_gave_up is None  # the request answered while the mail server still held the mail
        jobs.wait_local()
        silent.thread.join(10)
        assert silent.client_gave_up is True  # the socket timed out: the app hung up
        [row] = outbox()
        assert row.status == mail.WAITING and row.attempts == 1 and "timed out" in row.last_error

        use_mail_port(app, box.port)
        a_minute_passes()
        deliver_command(app)
        assert len(box.to(VALID["email"])) == 1
        assert outbox()[0].status == mail.SENT


def test_two_deliverers_at_once_send_every_mail_once(make_app, box):
    box.stop()
    app = make_app(MAIL_PORT=box.port)
    with app.app_context():
        addresses = [f"klant{i}@example.nl" for i in range(12)]
        for address in addresses:
            mail.send(address, "Eén keer", "password_reset", user=None, link="http://x", hours=2)
        db.session.commit()  # delivered at once: refused, so they wait
        assert len(outbox(status=mail.WAITING)) == 12
        a_minute_passes()
        box.start()
        start = threading.Barrier(2)
        reports = []

        def deliverer():
            with app.app_context():
                start.wait()
                reports.append(mail.deliver_due())

        threads = [threading.Thread(target=deliverer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sum(r.sent for r in reports) == 12 and sum(r.failed for r in reports) == 0
        assert sorted(r for m in box.messages for r in m.recipients) == sorted(addresses)
        assert {m.status for m in outbox()} == {mail.SENT}


def test_a_claimed_mail_is_not_sent_by_another_deliverer(app, mailbox):
    """The claim is a conditional UPDATE: whoever claims second gets nothing, until the claim expires."""
    use_mail_port(app, 1)  # refused: the mail waits
    mail.send("een@example.nl", "Geclaimd", "password_reset", user=None, link="http://x", hours=2)
    db.session.commit()
    use_mail_port(app, mailbox.port)
    [row] = outbox()
    db.session.execute(update(OutboxMail).values(status=mail.SENDING, next_attempt_on=utcnow(),
                                                 claimed_until=utcnow() + timedelta(minutes=10)))
    db.session.commit()
    assert mail.deliver_one(row.id) is None
    assert mailbox.to("een@example.nl") == []
    db.session.execute(update(OutboxMail).values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()  # the deliverer that claimed it died: after the claim expires it is tried again
    assert mail.deliver_one(row.id) is True
    assert mail.deliver_one(row.id) is None
    assert len(mailbox.to("een@example.nl")) == 1


def test_without_mail_server_delivery_writes_the_file(make_app, tmp_path):
    app = make_app(MAIL_SERVER="")
    with app.app_context():
        mail.send("dev@example.nl", "Lokaal", "password_reset", user=None, link="http://x/link", hours=2)
        db.session.commit()
        [written] = list((tmp_path / "outbox").glob("*.eml"))
        assert "dev_at_example.nl" in written.name
        assert outbox()[0].status == mail.SENT
