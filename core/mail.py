"""E-mail with Dutch HTML and text templates, through an outbox so that no mail is lost.

``send`` renders the message and adds it to the ``mail_outbox`` table in the caller's
session: it is committed with the change that caused it (and never sent when that change
is rolled back). Right after the commit a job delivers it (``core.jobs``: the RQ worker,
or in-process without Redis), so no request waits on the mail server. A delivery that
fails is retried after ``MAIL_RETRY_INTERVALS`` (1 min, 5 min, 30 min, 2 h, 6 h, then
daily) with the attempts and last error on the row; after ``MAIL_MAX_ATTEMPTS`` the row is
``mislukt`` and stays for ``flask scg mail-versturen --opnieuw``. The worker runs
``deliver_due`` every ``MAIL_DELIVERY_INTERVAL`` seconds; ``flask scg mail-versturen``
does it once (from cron, or by hand).

A row is claimed with a conditional UPDATE (``wachtend`` -> ``bezig``) before it is sent
and marked ``verzonden`` after the server accepted it, so two deliverers never send the
same mail. A deliverer that dies between the two leaves the claim, which expires after
``MAIL_CLAIM_SECONDS``; only then is the mail tried again.

With MAIL_SERVER set, messages go over SMTP through Flask-Mail (with ``MAIL_TIMEOUT`` on
the socket). Without it (development), delivery writes each message as an .eml file to
MAIL_OUTBOX_DIR and logs its links, so the developer can click them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, has_app_context, render_template
from flask_mail import Message
from sqlalchemy import and_, event, or_, select, update
from sqlalchemy.orm import Session

from core.extensions import db, mail
from core.models import OutboxMail, utcnow

log = logging.getLogger(__name__)
LINK_RE = re.compile(r"https?://\S+")
WAITING, SENDING, SENT, FAILED = "wachtend", "bezig", "verzonden", "mislukt"
STATUS_LABELS = {WAITING: "Wacht op verzending", SENDING: "Wordt verstuurd", SENT: "Verstuurd", FAILED: "Mislukt"}
_PENDING = "scg_mail_pending"
_TO_DELIVER = "scg_mail_to_deliver"


def absolute_url(path: str) -> str:
    """A link for an e-mail: BASE_URL plus the path (from ``url_for``)."""
    return current_app.config["BASE_URL"] + path


def send(to: str | list[str], subject: str, template: str, **context) -> OutboxMail:
    """Render ``mail/<template>.txt`` and ``.html`` for ``to`` and put it in the outbox.

    The mail belongs to the caller's transaction: it goes out after ``db.session.commit()``
    and never when the session is rolled back.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise ValueError("an e-mail needs at least one recipient")
    context.setdefault("app_name", current_app.config["APP_NAME"])
    row = OutboxMail(
        status=WAITING, sender=current_app.config["MAIL_DEFAULT_SENDER"], recipients="\n".join(recipients),
        subject=subject, body_text=render_template(f"mail/{template}.txt", **context),
        body_html=render_template(f"mail/{template}.html", **context),
        message_id=make_msgid(domain=_msgid_domain()), attempts=0, created_on=utcnow(), next_attempt_on=utcnow(),
    )
    db.session.add(row)
    db.session.info.setdefault(_PENDING, []).append(row)
    return row


def _msgid_domain() -> str:
    sender = str(current_app.config.get("MAIL_DEFAULT_SENDER") or "")
    match = re.search(r"@([\w.-]+)", sender)
    return match.group(1) if match else "softwarecatalogus.localhost"


# --- the session hooks: deliver after commit, forget on rollback ---------------------------------

def _before_commit(session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT is released: the mails wait for the real commit (SQLAlchemy fires this for both)
    rows = session.info.pop(_PENDING, None)
    if not rows:
        return
    session.flush()
    ids = [row.id for row in rows if row in session and row.id is not None]
    if ids:
        session.info.setdefault(_TO_DELIVER, []).extend(ids)


def _after_commit(session) -> None:
    if session.in_nested_transaction():
        return  # only a SAVEPOINT: nothing is visible to the deliverer yet
    ids = session.info.pop(_TO_DELIVER, None)
    if not ids or not has_app_context():
        return
    from core import jobs

    try:
        jobs.enqueue(deliver, ids)
    except Exception:  # noqa: BLE001 - the mails are committed: the periodic delivery sends them later
        log.exception("Bezorging van e-mail %s niet gestart; de periodieke bezorging verstuurt ze", ids)


def _after_rollback(session) -> None:
    if session.in_nested_transaction():
        # a SAVEPOINT rolled back: its mails are gone, those queued before it still wait for the commit
        pending = session.info.get(_PENDING)
        if pending:
            session.info[_PENDING] = [row for row in pending if row in session]
        return
    session.info.pop(_PENDING, None)
    session.info.pop(_TO_DELIVER, None)


def pending_uncommitted(session=None) -> int:
    """How many mails this session has put in the outbox that are not committed yet."""
    session = session if session is not None else db.session
    return len(session.info.get(_PENDING) or [])


_installed: set[type] = set()


def install(session_class: type) -> None:
    """Register the outbox hooks on ``session_class`` once per process (core.listeners)."""
    if session_class in _installed:
        return
    _installed.add(session_class)
    event.listen(session_class, "before_commit", _before_commit)
    event.listen(session_class, "after_commit", _after_commit)
    event.listen(session_class, "after_rollback", _after_rollback)


def guard_uncommitted(app) -> None:
    """At the end of each app context: a mail put in the outbox and never committed is a bug
    (it would be lost without a word); log it, and fail the test that does it."""

    @app.teardown_appcontext
    def _check_outbox(exc):
        if exc is not None or not db.session.registry.has():
            return
        count = pending_uncommitted()
        if count:
            db.session.info.pop(_PENDING, None)
            log.error("%s e-mail(s) in de outbox gezet maar nooit vastgelegd (commit ontbreekt)", count)
            if app.config.get("TESTING"):
                raise AssertionError(f"{count} outbox mail(s) were never committed")


# --- delivery -------------------------------------------------------------------------------------

@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


def retry_delay(attempts: int, config=None) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    config = config if config is not None else current_app.config
    intervals = [int(s) for s in str(config.get("MAIL_RETRY_INTERVALS", "60,300,1800,7200,21600,86400")).split(",")
                 if s.strip()] or [60]
    return timedelta(seconds=intervals[min(max(attempts, 1), len(intervals)) - 1])


def deliver(ids: list[int]) -> Delivery:
    """Deliver these outbox mails if they are due and no one else is sending them (a job)."""
    report = Delivery()
    for mail_id in ids:
        outcome = deliver_one(mail_id)
        if outcome is None:
            report.skipped += 1
        elif outcome:
            report.sent += 1
        else:
            report.failed += 1
    return report


def due_ids(limit: int = 200, now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    with Session(db.engine) as session:
        return list(session.scalars(
            select(OutboxMail.id).where(_claimable(now)).order_by(OutboxMail.next_attempt_on, OutboxMail.id)
            .limit(limit)))


def deliver_due(limit: int = 200) -> Delivery:
    """Deliver every mail that is due (the worker's periodic task and ``flask scg mail-versturen``)."""
    report = deliver(due_ids(limit))
    if report.sent or report.failed:
        log.info("E-mail bezorgd: %s verstuurd, %s mislukt", report.sent, report.failed)
    return report


def _claimable(now: datetime):
    return or_(and_(OutboxMail.status == WAITING, OutboxMail.next_attempt_on <= now),
               and_(OutboxMail.status == SENDING, OutboxMail.claimed_until < now))


def deliver_one(mail_id: int) -> bool | None:
    """Claim, send and mark one mail. True: sent; False: failed (retried later); None: not ours
    (sent already, not due, or another deliverer has it)."""
    config = current_app.config
    with Session(db.engine) as session:
        now = utcnow()
        claimed = session.execute(
            update(OutboxMail).where(OutboxMail.id == mail_id, _claimable(now))
            .values(status=SENDING, attempts=OutboxMail.attempts + 1,
                    claimed_until=now + timedelta(seconds=int(config.get("MAIL_CLAIM_SECONDS", 600))))
            .execution_options(synchronize_session=False)).rowcount == 1
        session.commit()
        if not claimed:
            return None
        row = session.get(OutboxMail, mail_id)
        try:
            _transport(row)
        except Exception as exc:  # noqa: BLE001 - any failure of the server or the network: try again later
            attempts = row.attempts
            final = attempts >= int(config.get("MAIL_MAX_ATTEMPTS", 15))
            log.warning("E-mail %s (%r) niet verstuurd, poging %s: %s", mail_id, row.subject, attempts, exc)
            session.execute(
                update(OutboxMail).where(OutboxMail.id == mail_id, OutboxMail.status == SENDING)
                .values(status=FAILED if final else WAITING, claimed_until=None,
                        next_attempt_on=utcnow() + retry_delay(attempts, config),
                        last_error=f"{type(exc).__name__}: {exc}"[:2000])
                .execution_options(synchronize_session=False))
            session.commit()
            return False
        session.execute(
            update(OutboxMail).where(OutboxMail.id == mail_id, OutboxMail.status == SENDING)
            .values(status=SENT, sent_on=utcnow(), claimed_until=None)
            .execution_options(synchronize_session=False))
        session.commit()
        return True


def retry_failed() -> int:
    """Put the mails that gave up (``mislukt``) back in the queue; returns how many."""
    with Session(db.engine) as session:
        count = session.execute(
            update(OutboxMail).where(OutboxMail.status == FAILED)
            .values(status=WAITING, next_attempt_on=utcnow(), attempts=0)
            .execution_options(synchronize_session=False)).rowcount
        session.commit()
    return count


def counts() -> dict[str, int]:
    """Mails per status, for the command line and the beheer pages."""
    from sqlalchemy import func

    with Session(db.engine) as session:
        found = dict(session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
    return {status: found.get(status, 0) for status in STATUS_LABELS}


def _message(row: OutboxMail) -> Message:
    msg = Message(subject=row.subject, recipients=row.recipients.split("\n"), body=row.body_text,
                  html=row.body_html, sender=row.sender)
    msg.msgId = row.message_id
    return msg


def _transport(row: OutboxMail) -> None:
    msg = _message(row)
    if current_app.config.get("MAIL_SERVER"):
        mail.send(msg)
    else:
        _write_to_outbox(msg)


def _write_to_outbox(msg: Message) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = outbox / f"{stamp}-{msg.recipients[0].replace('@', '_at_')}.eml"
    path.write_bytes(msg.as_bytes())
    links = LINK_RE.findall(msg.body or "")
    log.warning("E-mail aan %s (%s) in %s; links: %s", msg.recipients, msg.subject, path, " ".join(links))
    return path
