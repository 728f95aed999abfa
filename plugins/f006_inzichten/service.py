"""The rules of F006 Inzichten (no request handling): counting views, interest, notifications.

Views: a view of a public package page (core's ``PackageViewed``) costs one statement. A
gemeente or samenwerking is attributed: ``INSERT ... ON CONFLICT DO NOTHING`` into the daily
table keyed on (package, organisation, day), so repeated views that day count once. Every
other visitor who counts adds one to the package's daily total (an upsert). The supplier's
own staff, VNG staff (and the Functioneel beheerder) and bots (by User-Agent) are not counted.
No person is stored, only organisations and days.

Notifications go to every active member of the organisation they are about, in the app and
by e-mail as each user chose (at once, a daily or weekly digest, or never).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from flask import current_app, has_request_context, url_for
from sqlalchemy import delete, exists, func, select, update

from core import mail
from core.catalogue.models import Package
from core.extensions import db
from core.models import Membership, Organisation, ScgUser, utcnow
from plugins.f006_inzichten.models import (
    DEFAULT_FREQUENCY,
    FREQUENCIES,
    Interest,
    Notification,
    NotificationSetting,
    ProposalFact,
    SearchDay,
    ViewDay,
    ViewTotal,
)

log = logging.getLogger(__name__)

#: Organisation types whose views are attributed to the organisation.
ATTRIBUTED_TYPES = ("gemeente", "samenwerking")
#: User-Agents of crawlers, link previews, monitors and scripts: never counted.
BOT_RE = re.compile(r"bot|crawl|spider|slurp|scrap|curl|wget|python-|httpx|go-http|java/|okhttp|"
                    r"facebookexternalhit|preview|monitor|uptime|pingdom|lighthouse|headlesschrome-bot", re.I)

#: Kinds of notification (value, Dutch label).
KINDS = (("interesse", "Interesse getoond"), ("nieuwe_bezoeker", "Nieuwe gemeente bekeek een pakket"),
         ("voorstel", "Voorstel beslist"), ("document", "Document beoordeeld"),
         ("certificering", "Certificering verloopt"))
OUTCOMES = {"geaccepteerd": "geaccepteerd", "afgewezen": "afgewezen", "verlopen": "is verlopen",
            "vervallen": "is vervallen"}


def path(endpoint: str, **values) -> str:
    """``url_for`` also outside a request (a CLI command emits F013's expiry events)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def is_bot(user_agent: str | None) -> bool:
    """An empty User-Agent or one of a known crawler, script or monitor."""
    return not (user_agent or "").strip() or bool(BOT_RE.search(user_agent))


def _insert(model):
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def counts(event) -> str | None:
    """How a view counts: "organisation" (attributed), "total" (anonymous in the totals) or None."""
    if is_bot(event.user_agent) or event.viewer_sees_all or event.viewer_organisation_type == "vng":
        return None
    if event.viewer_organisation_id is not None and event.viewer_organisation_id == event.organisation_id:
        return None  # the supplier's own staff
    if event.viewer_organisation_id is not None and event.viewer_organisation_type in ATTRIBUTED_TYPES:
        return "organisation"
    return "total"


def record_view(event) -> None:
    """One statement per counted view (three for an organisation's first view of the day: the day's count
    and whether it is its first view ever); a notification when a municipality looks for the first time."""
    how = counts(event)
    if how == "total":
        table = ViewTotal.__table__
        stmt = _insert(ViewTotal).values(package_id=event.package_id, day=event.day, hits=1, organisations=0)
        db.session.execute(stmt.on_conflict_do_update(index_elements=["package_id", "day"],
                                                      set_={"hits": table.c.hits + 1}))
    elif how == "organisation":
        stmt = _insert(ViewDay).values(package_id=event.package_id, viewer_id=event.viewer_organisation_id,
                                       day=event.day)
        # RETURNING tells whether the row is new (rowcount is not reliable for every driver)
        result = db.session.execute(stmt.on_conflict_do_nothing(index_elements=["package_id", "viewer_id", "day"])
                                    .returning(ViewDay.__table__.c.id))
        if result.first() is None:
            return  # this organisation counted already today: one statement
        table = ViewTotal.__table__
        stmt = _insert(ViewTotal).values(package_id=event.package_id, day=event.day, hits=0, organisations=1)
        db.session.execute(stmt.on_conflict_do_update(index_elements=["package_id", "day"],
                                                      set_={"organisations": table.c.organisations + 1}))
        if _first_view(event):
            package = db.session.get(Package, event.package_id)
            viewer = db.session.get(Organisation, event.viewer_organisation_id)
            notify(event.organisation_id, "nieuwe_bezoeker",
                   f"{viewer.name} heeft uw pakket {package.name} bekeken.",
                   path("InsightsView.package", public_id=package.public_id))


def record_search(event) -> None:
    """Searches of gemeenten and samenwerkingen: one row per term, organisation and day (one statement)."""
    if is_bot(event.user_agent) or event.viewer_sees_all or event.viewer_organisation_id is None \
            or event.viewer_organisation_type not in ATTRIBUTED_TYPES:
        return
    from core.catalogue.search import normalise

    rows = [{"term": term[:200], "kind": kind, "viewer_id": event.viewer_organisation_id, "day": event.day}
            for term, kind in ([(normalise(event.query), "zoekterm")] if normalise(event.query) else [])
            + [(f, "filter") for f in event.filters]]
    if rows:
        db.session.execute(_insert(SearchDay).values(rows).on_conflict_do_nothing(
            index_elements=["term", "viewer_id", "day"]))


def _first_view(event) -> bool:
    """No earlier day on which this organisation viewed this package (once per day at most)."""
    return not db.session.scalar(select(exists().where(
        ViewDay.package_id == event.package_id, ViewDay.viewer_id == event.viewer_organisation_id,
        ViewDay.day < event.day)))


# --- interest ----------------------------------------------------------------------------
def interest_of(organisation_id: int | None, package_id: int) -> Interest | None:
    if organisation_id is None:
        return None
    return db.session.scalar(select(Interest).filter_by(organisation_id=organisation_id, package_id=package_id))


def interest_shown(item: Interest) -> None:
    """Tell the supplier (called when the interest is added, in its transaction)."""
    package = item.package
    organisation = item.organisation or db.session.get(Organisation, item.organisation_id)
    notify(package.organisation_id, "interesse",
           f"{organisation.name} heeft interesse getoond in uw pakket {package.name}.",
           path("ReceivedInterestView.list"))


# --- notifications -----------------------------------------------------------------------
def frequency_of(user_id: int) -> str:
    return db.session.scalar(select(NotificationSetting.frequency).where(
        NotificationSetting.user_id == user_id)) or DEFAULT_FREQUENCY


def set_frequency(user_id: int, frequency: str) -> None:
    if frequency not in dict(FREQUENCIES):
        raise ValueError("Kies hoe vaak u e-mail wilt ontvangen.")
    setting = db.session.get(NotificationSetting, user_id)
    if setting is None:
        db.session.add(NotificationSetting(user_id=user_id, frequency=frequency))
    else:
        setting.frequency = frequency


def recipients(organisation_id: int) -> list[ScgUser]:
    """The active people of an organisation (active membership, active account)."""
    return list(db.session.scalars(
        select(ScgUser).join(Membership, Membership.user_id == ScgUser.id)
        .where(Membership.organisation_id == organisation_id, Membership.active.is_(True),
               ScgUser.active.is_(True)).order_by(ScgUser.id)))


def notify(organisation_id: int, kind: str, text: str, url: str | None, mailed_elsewhere: bool = False
           ) -> list[Notification]:
    """A notification for every active member of ``organisation_id``; mailed at once to who chose so.

    ``mailed_elsewhere``: the functionality that decided already e-mails about it (a document review
    by F004, a proposal decision by F013): then no second e-mail at once (the digests still list it).
    """
    made = []
    for user in recipients(organisation_id):
        note = Notification(user_id=user.id, organisation_id=organisation_id, kind=kind, text=text[:500], url=url)
        db.session.add(note)
        made.append(note)
        if mailed_elsewhere:
            continue
        if frequency_of(user.id) == "direct" and _mail(user, [note], "Nieuwe melding: " + text[:120]):
            note.mailed_on = utcnow()
    db.session.flush()
    return made


def _mail(user, notes: list[Notification], subject: str) -> bool:
    """Send; a failing mail server is logged and reported as False, never a 500."""
    try:
        mail.send(user.email, subject, "f006_notifications", user=user, notes=notes,
                  link=mail.absolute_url(path("NotificationView.list")),
                  settings=mail.absolute_url(path("NotificationSettingsView.index")),
                  absolute=mail.absolute_url)
    except Exception:  # noqa: BLE001 - the change goes on; a mail problem must not break the request
        log.exception("E-mail %r aan %s kon niet worden verstuurd", subject, user.email)
        return False
    return True


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_on.is_(None))) or 0


def mark_read(user_id: int, ids=None) -> int:
    """Mark the user's unread notifications (all, or those in ``ids``) as read; how many."""
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_on.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    return db.session.execute(stmt.values(read_on=utcnow())).rowcount


def send_digests(frequency: str) -> int:
    """One e-mail per user who chose ``frequency`` with the notifications not mailed yet; how many mails."""
    if frequency not in ("dagelijks", "wekelijks"):
        raise ValueError("Kies dagelijks of wekelijks.")
    user_ids = db.session.scalars(
        select(Notification.user_id).join(NotificationSetting, NotificationSetting.user_id == Notification.user_id)
        .where(NotificationSetting.frequency == frequency, Notification.mailed_on.is_(None)).distinct()).all()
    sent = 0
    title = "Uw dagelijkse overzicht" if frequency == "dagelijks" else "Uw wekelijkse overzicht"
    for user_id in user_ids:
        user = db.session.get(ScgUser, user_id)
        notes = list(db.session.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.mailed_on.is_(None)).order_by(Notification.created_on)))
        if not user.active or not notes:
            continue
        if _mail(user, notes, f"{title}: {len(notes)} melding(en)"):
            now = utcnow()
            for note in notes:
                note.mailed_on = now
            sent += 1
    db.session.commit()
    return sent


# --- other events ------------------------------------------------------------------------
def proposal_made(event) -> None:
    if db.session.get(ProposalFact, event.proposal_id) is None:
        db.session.add(ProposalFact(proposal_id=event.proposal_id, supplier_id=event.supplier_id,
                                    package_id=event.package_id, organisation_id=event.organisation_id,
                                    state="open", proposed_on=event.day))


def proposal_closed(event, state: str) -> None:
    fact = db.session.get(ProposalFact, event.proposal_id)
    if fact is None:  # made before this plugin was installed
        fact = ProposalFact(proposal_id=event.proposal_id, supplier_id=event.supplier_id,
                            package_id=event.package_id, organisation_id=event.organisation_id,
                            proposed_on=event.day)
        db.session.add(fact)
    fact.state, fact.decided_on = state, event.day


def proposal_decided(event) -> None:
    proposal_closed(event, event.outcome)
    package = db.session.get(Package, event.package_id)
    municipality = db.session.get(Organisation, event.organisation_id)
    if package is None or municipality is None:
        return
    outcome = OUTCOMES.get(event.outcome, event.outcome)
    if event.outcome in ("geaccepteerd", "afgewezen"):
        text = f"{municipality.name} heeft uw voorstel voor {package.name} {outcome}."
    else:
        text = f"Uw voorstel aan {municipality.name} voor {package.name} {outcome}."
    notify(event.supplier_id, "voorstel", text, path("InsightsView.package", public_id=package.public_id),
           mailed_elsewhere=True)


def document_reviewed(event, approved: bool) -> None:
    package = db.session.get(Package, event.package_id)
    if package is None:
        return
    if approved:
        text = f"Een document van {package.name} is goedgekeurd en is nu zichtbaar."
    else:
        text = f"Een document van {package.name} is afgewezen: {event.reason}"
    notify(event.organisation_id, "document", text, path("InsightsView.package", public_id=package.public_id),
           mailed_elsewhere=True)


def packages_merged(survivor_id: int, duplicate_id: int) -> None:
    """Views, interest and proposal facts of the duplicate move to the survivor (rows it has already go)."""
    for row in db.session.scalars(select(ViewDay).where(ViewDay.package_id == duplicate_id)).all():
        if db.session.scalar(select(exists().where(ViewDay.package_id == survivor_id,
                                                   ViewDay.viewer_id == row.viewer_id, ViewDay.day == row.day))):
            db.session.delete(row)
        else:
            row.package_id = survivor_id
    for row in db.session.scalars(select(ViewTotal).where(ViewTotal.package_id == duplicate_id)).all():
        target = db.session.scalar(select(ViewTotal).filter_by(package_id=survivor_id, day=row.day))
        if target is not None:
            target.hits += row.hits
            target.organisations += row.organisations
            db.session.delete(row)
        else:
            row.package_id = survivor_id
    for row in db.session.scalars(select(Interest).where(Interest.package_id == duplicate_id)).all():
        if interest_of(row.organisation_id, survivor_id) is not None:
            db.session.delete(row)
        else:
            row.package_id = survivor_id
    db.session.execute(update(ProposalFact).where(ProposalFact.package_id == duplicate_id)
                       .values(package_id=survivor_id))
    db.session.flush()


def package_taken_over(package_id: int, organisation_id: int) -> None:
    db.session.execute(update(Interest).where(Interest.package_id == package_id)
                       .values(supplier_id=organisation_id))


def certification_expiring(event) -> None:
    """Tell the organisation once that a certification is about to end, and once that it ended."""
    ended = event.valid_until < dt.date.today()
    when = event.valid_until.strftime("%d-%m-%Y")
    text = (f"Uw certificering {event.name} is verlopen op {when}." if ended
            else f"Uw certificering {event.name} verloopt op {when}.")
    told = db.session.scalar(select(exists().where(Notification.organisation_id == event.organisation_id,
                                                   Notification.kind == "certificering", Notification.text == text)))
    if not told:
        url = path("CertificationView.list") if "CertificationView.list" in current_app.view_functions else None
        notify(event.organisation_id, "certificering", text[:500], url)


def concept_linked(concept_id: int, organisation_id: int) -> None:
    """A concept supplier registered: interest and proposal facts kept under ``supplier_id`` follow it."""
    for model in (Interest, ProposalFact):
        db.session.execute(update(model).where(model.supplier_id == concept_id).values(supplier_id=organisation_id))


# --- privacy: retention --------------------------------------------------------------------
def purge(months: int, today: dt.date | None = None) -> int:
    """Delete view statistics older than ``months`` months; how many rows went."""
    today = today or dt.date.today()
    cutoff = cutoff_day(months, today)
    gone = db.session.execute(delete(ViewDay).where(ViewDay.day < cutoff)).rowcount
    gone += db.session.execute(delete(ViewTotal).where(ViewTotal.day < cutoff)).rowcount
    gone += db.session.execute(delete(SearchDay).where(SearchDay.day < cutoff)).rowcount
    db.session.commit()
    return gone


def cutoff_day(months: int, today: dt.date) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))
