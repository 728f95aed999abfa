"""F013 proposal policy: blocks, the re-propose period, expiry and VNG's queue, merged or unpublished packages.

Proposals are made directly as rows (the propose/decide flow is another module); what is
tested here is what a municipality, a supplier and VNG notice of the policy.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import g
from flask_login import login_user
from sqlalchemy import event, select

from core.catalogue.models import Package
from core.events import ProposalDecided
from core.extensions import db
from core.models import AuditLog, Membership, utcnow
from core.plugins import hookimpl
from core.slots import slot_links
from plugins.f013_gebruik.models import Proposal, ProposalBlock
from plugins.f013_gebruik.proposal_policy import check_may_propose, expire_overdue
from plugins.f013_gebruik.service import UsageRejected
from tests.f013.conftest import logged_in, make_package, make_usage
from tests.support.actors import World, csrf_token, make_org, make_user

BLOCKS = "/geblokkeerde-leveranciers"
QUEUE = "/gebruiksvoorstellen-wachtrij/list/"


class EventRecorder:
    def __init__(self):
        self.events = []

    @hookimpl
    def on_event(self, event):
        self.events.append(event)

    def decided(self):
        return [e for e in self.events if isinstance(e, ProposalDecided)]


@pytest.fixture
def recorder():
    return EventRecorder()


@pytest.fixture
def setup(make_app, recorder):
    app = make_app(plugins=[recorder])
    with app.app_context():
        world = World.build(app)
        yield app, world


def propose(org, supplier, package, days_ago: float = 0, state: str = "open", decided_days_ago: float | None = None,
            note: str | None = None) -> Proposal:
    now = utcnow()
    row = Proposal(organisation_id=org.id, supplier_id=supplier.id, package_id=package.id, state=state, note=note,
                   proposed_on=now - dt.timedelta(days=days_ago),
                   decided_on=None if decided_days_ago is None else now - dt.timedelta(days=decided_days_ago))
    db.session.add(row)
    db.session.commit()
    return row


def state_of(proposal) -> tuple[str, str | None]:
    row = db.session.execute(select(Proposal.state, Proposal.reason).where(Proposal.id == proposal.id)).one()
    return row.state, row.reason


def refusal(org, supplier, package) -> str | None:
    try:
        check_may_propose(org, supplier, package)
    except UsageRejected as exc:
        return exc.message
    return None


def text(resp) -> str:
    return re.sub(r"\s+", " ", resp.get_data(as_text=True))


# --- blocks -------------------------------------------------------------------
def test_a_blocked_supplier_is_refused_with_a_message_that_says_no_more(setup):
    app, world = setup
    package = make_package(world.supplier, "Zaakwijzer")
    db.session.add(ProposalBlock(organisation_id=world.gemeente.id, supplier_id=world.supplier.id))
    db.session.commit()

    assert refusal(world.gemeente, world.supplier, package) == (
        "Deze gemeente ontvangt geen voorstellen van uw organisatie.")
    # Only that supplier, only at that municipality.
    assert refusal(world.other_gemeente, world.supplier, package) is None
    other_package = make_package(world.other_supplier, "Belastingen Plus")
    assert refusal(world.gemeente, world.other_supplier, other_package) is None


def _block(client, supplier_id, org_id, path=f"{BLOCKS}/add", form_page=f"{BLOCKS}/add"):
    return client.post(path, data={"csrf_token": csrf_token(client, form_page), "organisation": str(org_id),
                                   "supplier": str(supplier_id)})


def test_blocking_rejects_the_suppliers_open_proposals_to_that_municipality_only(setup, recorder):
    app, world = setup
    zaak = make_package(world.supplier, "Zaakwijzer")
    archief = make_package(world.supplier, "Archiefkast")
    rival = make_package(world.other_supplier, "Belastingen Plus")
    mine = [propose(world.gemeente, world.supplier, zaak), propose(world.gemeente, world.supplier, archief)]
    elsewhere = propose(world.other_gemeente, world.supplier, zaak)
    other_supplier = propose(world.gemeente, world.other_supplier, rival)
    client = logged_in(app, world.users["gebruik"])

    resp = _block(client, world.supplier.id, world.gemeente.id)

    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"{BLOCKS}/list/")
    page = text(client.get(f"{BLOCKS}/list/"))
    assert "U ontvangt geen voorstellen meer van deze leverancier." in page
    assert "2 open voorstellen van ICT Solutions BV zijn afgewezen." in page
    assert "ICT Solutions BV" in page
    for proposal in mine:
        assert state_of(proposal) == ("afgewezen", "De gemeente ontvangt geen voorstellen meer van uw organisatie.")
        assert db.session.get(Proposal, proposal.id).decided_by_id == world.users["gebruik"].id
    assert state_of(elsewhere)[0] == "open" and state_of(other_supplier)[0] == "open"
    assert sorted(e.proposal_id for e in recorder.decided() if e.outcome == "afgewezen") == sorted(
        p.id for p in mine)
    assert refusal(world.gemeente, world.supplier, make_package(world.supplier, "Nieuw")) is not None


def test_lifting_a_block_lets_the_supplier_propose_again_but_the_rejections_count(setup):
    app, world = setup
    zaak = make_package(world.supplier, "Zaakwijzer")
    propose(world.gemeente, world.supplier, zaak)
    client = logged_in(app, world.users["gebruik"])
    _block(client, world.supplier.id, world.gemeente.id)
    block = db.session.scalar(select(ProposalBlock))

    resp = client.post(f"{BLOCKS}/delete/{block.id}", data={"csrf_token": csrf_token(client, f"{BLOCKS}/add")})

    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"{BLOCKS}/list/")
    assert "De blokkade is opgeheven" in text(client.get(f"{BLOCKS}/list/"))
    assert db.session.scalar(select(ProposalBlock)) is None
    assert refusal(world.gemeente, world.supplier, make_package(world.supplier, "Archiefkast")) is None
    # The proposal the block rejected starts the re-propose period like any rejection.
    assert "opnieuw voorstellen" in refusal(world.gemeente, world.supplier, zaak)


@pytest.mark.parametrize("what", ["gemeente", "niet goedgekeurd", "dubbel"])
def test_a_block_of_no_approved_supplier_or_a_second_block_is_refused_and_stores_nothing(setup, what):
    app, world = setup
    client = logged_in(app, world.users["gebruik"])
    if what == "gemeente":
        target = world.other_gemeente
    elif what == "niet goedgekeurd":
        target = make_org("Nog Niet BV", "leverancier", status="aangemeld")
    else:
        target = world.supplier
        db.session.add(ProposalBlock(organisation_id=world.gemeente.id, supplier_id=world.supplier.id))
        db.session.commit()
    before = db.session.query(ProposalBlock).count()

    resp = _block(client, target.id, world.gemeente.id)

    page = text(client.get(resp.headers["Location"])) if resp.status_code == 302 else text(resp)
    assert resp.status_code in (200, 302)
    assert db.session.query(ProposalBlock).count() == before
    if what == "dubbel":
        assert "U ontvangt al geen voorstellen van ICT Solutions BV." in page
    else:
        # Not among the choices (approved suppliers only): pick one from the list.
        assert re.search(r'<a href="#supplier"[^>]*>Leverancier: Kies uit de lijst de leverancier van wie u '
                         r'geen voorstellen meer wilt ontvangen\.</a>', page)
        assert "Dit veld is vereist" not in page


def test_a_municipality_cannot_block_for_another_and_the_raadpleger_cannot_block(setup):
    app, world = setup
    client = logged_in(app, world.users["gebruik"])
    _block(client, world.supplier.id, world.other_gemeente.id)
    raadpleger = logged_in(app, world.users["raadpleger"])
    resp = _block(raadpleger, world.supplier.id, world.gemeente.id, form_page="/account/twee-factor/")

    assert db.session.query(ProposalBlock).count() == 0
    assert resp.status_code in (302, 403)
    assert "Leverancier blokkeren" not in text(raadpleger.get(f"{BLOCKS}/list/"))


def test_the_functioneel_beheerder_blocks_for_a_municipality(setup):
    app, world = setup
    client = logged_in(app, world.users["fb"])
    _block(client, world.other_supplier.id, world.other_gemeente.id)
    block = db.session.scalar(select(ProposalBlock))
    assert (block.organisation_id, block.supplier_id) == (world.other_gemeente.id, world.other_supplier.id)
    assert block.created_by_id == world.users["fb"].id


def test_the_proposal_page_offers_to_block_its_supplier_prefilled_and_returning(setup):
    app, world = setup
    proposal = propose(world.gemeente, world.supplier, make_package(world.supplier, "Zaakwijzer"))

    def links(user):
        with app.test_request_context("/voorstel/1"):
            login_user(user)
            g.user = user
            return [(link.text, link.url) for link in slot_links("proposal_page", db.session.get(Proposal,
                                                                                                  proposal.id))]

    [(label, url)] = links(world.users["gebruik"])
    assert label == "Geen voorstellen meer van ICT Solutions BV"
    assert links(world.users["raadpleger"]) == []
    assert links(world.users["aanbod"]) == []

    client = logged_in(app, world.users["gebruik"])
    form = text(client.get(url))
    assert re.search(rf'<option selected value="{world.supplier.id}">ICT Solutions BV</option>', form)
    assert re.search(rf'<option selected value="{world.gemeente.id}">Voorbeeldstad</option>', form)
    resp = _block(client, world.supplier.id, world.gemeente.id, path=url)
    assert resp.headers["Location"].endswith("/voorstel/1")
    assert links(world.users["gebruik"]) == []  # already blocked


# --- re-propose period ------------------------------------------------------------
def test_after_a_rejection_the_same_package_waits_for_the_period_with_the_date_in_the_message(setup):
    app, world = setup
    zaak = make_package(world.supplier, "Zaakwijzer")
    rejected = propose(world.gemeente, world.supplier, zaak, days_ago=20, state="afgewezen", decided_days_ago=10)
    allowed = (rejected.decided_on + dt.timedelta(days=90)).strftime("%d-%m-%Y")

    assert refusal(world.gemeente, world.supplier, zaak) == (
        f"Voorbeeldstad heeft dit voorstel op {rejected.decided_on:%d-%m-%Y} afgewezen. "
        f"U kunt Zaakwijzer vanaf {allowed} opnieuw voorstellen.")
    # Another package, another municipality, another supplier: no wait.
    assert refusal(world.gemeente, world.supplier, make_package(world.supplier, "Archiefkast")) is None
    assert refusal(world.other_gemeente, world.supplier, zaak) is None
    assert refusal(world.gemeente, world.other_supplier, zaak) is None


@pytest.mark.parametrize("state, decided, refused", [
    ("afgewezen", 91, False), ("afgewezen", 89, True),
    ("verlopen", 1, False), ("ingetrokken", 1, False), ("vervallen", 1, False)])
def test_only_a_recent_rejection_makes_the_supplier_wait(setup, state, decided, refused):
    app, world = setup
    zaak = make_package(world.supplier, "Zaakwijzer")
    propose(world.gemeente, world.supplier, zaak, days_ago=100, state=state, decided_days_ago=decided)
    assert (refusal(world.gemeente, world.supplier, zaak) is not None) is refused


def test_the_re_propose_period_is_a_setting(make_app):
    app = make_app(F013_REPROPOSE_AFTER_DAYS=5)
    with app.app_context():
        world = World.build(app)
        zaak = make_package(world.supplier, "Zaakwijzer")
        propose(world.gemeente, world.supplier, zaak, days_ago=10, state="afgewezen", decided_days_ago=6)
        assert refusal(world.gemeente, world.supplier, zaak) is None
        propose(world.gemeente, world.supplier, zaak, days_ago=10, state="afgewezen", decided_days_ago=4)
        assert refusal(world.gemeente, world.supplier, zaak) is not None


# --- expiry and the VNG queue ----------------------------------------------------
def test_overdue_proposals_expire_with_event_audit_and_mail(setup, recorder, mailbox):
    app, world = setup
    zaak = make_package(world.supplier, "Zaakwijzer")
    old = propose(world.gemeente, world.supplier, zaak, days_ago=61)
    young = propose(world.other_gemeente, world.supplier, zaak, days_ago=59)

    assert expire_overdue() == 1

    state, reason = state_of(old)
    assert state == "verlopen" and reason == "De gemeente heeft niet binnen 60 dagen gereageerd."
    assert state_of(young)[0] == "open"
    [decided] = recorder.decided()
    assert (decided.proposal_id, decided.outcome, decided.organisation_id) == (old.id, "verlopen", world.gemeente.id)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "voorstel_verlopen",
                                                    AuditLog.object_id == str(old.id))) is not None
    mail = mailbox.last_to(world.users["aanbod"].email)
    assert "Voorbeeldstad" in mail.subject and "Zaakwijzer" in mail.part("plain")
    assert expire_overdue() == 0  # once


def test_the_expiry_period_is_a_setting_and_the_command_runs_it(make_app):
    app = make_app(F013_PROPOSAL_EXPIRY_DAYS=3)
    with app.app_context():
        world = World.build(app)
        zaak = make_package(world.supplier, "Zaakwijzer")
        old = propose(world.gemeente, world.supplier, zaak, days_ago=4)
        result = app.test_cli_runner().invoke(args=["scg", "voorstellen-verlopen"])
        assert result.exit_code == 0 and "1 voorstel(len) verlopen." in result.output
        db.session.expire_all()
        assert state_of(old)[0] == "verlopen"


def test_vng_sees_the_unanswered_proposals_oldest_first_and_never_an_overdue_one(setup):
    app, world = setup
    zonder = make_org("Stilstad", "gemeente", cbs_code="9993")  # no users: its proposals wait
    zaak = make_package(world.supplier, "Zaakwijzer")
    rival = make_package(world.other_supplier, "Belastingen Plus")
    waiting = propose(zonder, world.supplier, zaak, days_ago=40, note="wacht-op-stilstad")
    newer = propose(world.gemeente, world.other_supplier, rival, days_ago=2, note="nieuw-voorstel")
    overdue = propose(world.other_gemeente, world.supplier, zaak, days_ago=70, note="te-oud")
    propose(world.gemeente, world.supplier, zaak, days_ago=5, state="afgewezen", decided_days_ago=1,
            note="al-beslist")
    client = logged_in(app, world.users["vng"])

    page = text(client.get(QUEUE))

    assert "te-oud" not in page and "al-beslist" not in page
    assert state_of(overdue)[0] == "verlopen"
    assert page.index("wacht-op-stilstad") < page.index("nieuw-voorstel")
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    [stil] = [r for r in rows if "wacht-op-stilstad" in r]
    cells = [re.sub(r"<a [^>]*>(.*)</a>", r"\1", c) for c in re.findall(r"<td>(.*?)</td>", stil)]  # date opens it
    expires = (waiting.proposed_on + dt.timedelta(days=60)).strftime("%d-%m-%Y")
    assert cells == [waiting.proposed_on.strftime("%d-%m-%Y"), "40", "Stilstad", "Nee, nog niet", "ICT Solutions BV",
                     "Zaakwijzer", expires, "wacht-op-stilstad"]
    [voorbeeld] = [r for r in rows if "nieuw-voorstel" in r]
    assert "<td>Voorbeeldstad</td> <td>Ja</td>" in voorbeeld
    assert state_of(waiting)[0] == "open" and state_of(newer)[0] == "open"


def test_a_municipality_whose_last_beheerder_left_shows_as_without_user(setup):
    app, world = setup
    propose(world.other_gemeente, world.supplier, make_package(world.supplier, "Zaakwijzer"), note="x-andersdorp")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == world.users["gebruik_other"].id))
    membership.active = False
    db.session.commit()
    page = text(logged_in(app, world.users["fb"]).get(QUEUE))
    assert "<td>Andersdorp</td> <td>Nee, nog niet</td>" in page


def test_the_queue_costs_the_same_queries_for_two_or_ten_proposals(setup):
    app, world = setup
    client = logged_in(app, world.users["vng"])

    def count():
        statements = []

        def listener(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(QUEUE).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    def add(n):
        for i in range(n):
            org = make_org(f"Gemeente {i}-{n}", "gemeente")
            make_user(f"gb{i}-{n}@gemeente.example", "Gebruik-beheerder", org)
            propose(org, world.supplier, make_package(world.supplier, f"Pakket {i}-{n}"), days_ago=i)

    add(2)
    count()  # (warm)
    two = count()
    add(8)
    assert count() == two


def test_suppliers_and_municipalities_do_not_see_the_queue(setup):
    app, world = setup
    propose(world.gemeente, world.supplier, make_package(world.supplier, "Zaakwijzer"), note="geheim-voorstel")
    for key in ("aanbod", "gebruik", "raadpleger"):
        resp = logged_in(app, world.users[key]).get(QUEUE)
        assert "geheim-voorstel" not in text(resp)


# --- the catalogue changes while a proposal is open --------------------------------
def test_unpublishing_a_package_lapses_its_open_proposals(setup, recorder):
    from plugins.f004_aanbod.service import unpublish

    app, world = setup
    zaak = make_package(world.supplier, "Zaakwijzer")
    open_one = propose(world.gemeente, world.supplier, zaak)
    rejected = propose(world.other_gemeente, world.supplier, zaak, state="afgewezen", decided_days_ago=1)

    with app.test_request_context():
        unpublish(db.session.get(Package, zaak.id), world.users["fb"], "Verouderd")

    assert state_of(open_one) == ("vervallen", "Het pakket is niet meer gepubliceerd.")
    assert state_of(rejected)[0] == "afgewezen"
    assert [(e.proposal_id, e.outcome) for e in recorder.decided()] == [(open_one.id, "vervallen")]


def test_merging_moves_open_proposals_to_the_survivor_unless_that_would_double_up(setup, recorder):
    from core.catalogue.merge import merge

    app, world = setup
    survivor = make_package(world.supplier, "Zaakwijzer")
    duplicate = make_package(world.supplier, "Zaakwijzer (dubbel)")
    third = make_org("Derdestad", "gemeente", cbs_code="9994")
    moves = propose(world.gemeente, world.supplier, duplicate)
    make_usage(world.other_gemeente, survivor)
    uses_survivor = propose(world.other_gemeente, world.supplier, duplicate)
    already_open = propose(third, world.supplier, survivor)
    doubles = propose(third, world.supplier, duplicate)
    history = propose(world.gemeente, world.supplier, duplicate, state="afgewezen", decided_days_ago=3)

    merge(survivor.id, duplicate.id, actor=world.users["fb"])
    db.session.commit()
    db.session.expire_all()

    assert db.session.get(Package, duplicate.id) is None
    moved = db.session.get(Proposal, moves.id)
    assert (moved.state, moved.package_id) == ("open", survivor.id)
    for proposal in (uses_survivor, doubles):
        state, reason = state_of(proposal)
        assert state == "vervallen" and "samengevoegd met Zaakwijzer" in reason
    assert state_of(already_open)[0] == "open"
    # The rejection moved along: the re-propose period still holds on the survivor.
    assert db.session.get(Proposal, history.id).package_id == survivor.id
    assert refusal(world.gemeente, world.supplier, survivor) is not None
    assert sorted(e.proposal_id for e in recorder.decided()) == sorted([uses_survivor.id, doubles.id])
