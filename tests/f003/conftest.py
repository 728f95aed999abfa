"""Helpers for the F003 tests: inviting, links from e-mail."""

from __future__ import annotations

from urllib.parse import urlsplit

from core.extensions import db
from core.models import Membership
from tests.support.actors import CSRF_RE, PASSWORD, csrf_token, login

NEW_PASSWORD = "Nieuw-Wachtwoord-34x"


def client_for(app, user=None):
    client = app.test_client()
    if user is not None:
        login(client, user)
    return client


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fresh(model, pk):
    """The row as the database has it now (requests run in their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, pk)


def membership_of(user) -> Membership:
    db.session.expire_all()
    return db.session.query(Membership).filter_by(user_id=user.id).one()


def invite(client, email, role="", organisation=None, **extra):
    data = {"email": email, "role": role, "csrf_token": csrf_token(client, "/uitnodigingen/add"), **extra}
    if organisation is not None:
        data["organisation"] = str(getattr(organisation, "id", organisation))
    return client.post("/uitnodigingen/add", data={k: v for k, v in data.items() if v is not None})


def invitation_link(mailbox, email) -> str:
    message = mailbox.last_to(email)
    links = [link for link in message.links if "/uitnodiging/" in link]
    assert links, f"no invitation link in: {message.text}"
    return path_of(links[0])


def accept(client, path, first_name="Eva", last_name="de Vries", password=NEW_PASSWORD, confirm=None):
    token = session_csrf(client)
    return client.post(path, data={"first_name": first_name, "last_name": last_name, "password": password,
                                   "confirm": password if confirm is None else confirm, "csrf_token": token})


def session_csrf(client) -> str:
    """The CSRF token of this client's session, from a page with a Flask-WTF form."""
    for path in ("/account/twee-factor/", "/aansluiten/", "/login/"):
        resp = client.get(path)
        match = CSRF_RE.search(resp.get_data(as_text=True))
        if resp.status_code == 200 and match:
            return match.group(1)
    raise AssertionError("no page with a CSRF token")


def action(client, view, name, pk):
    """A single-row FAB action, posted like the show page does."""
    return client.post(f"{view}/action/{name}/{pk}", data={"csrf_token": session_csrf(client)})


def bulk(client, view, name, pks):
    token = session_csrf(client)
    return client.post(f"{view}/action_post", data={"action": name, "rowid": [str(p) for p in pks],
                                                     "csrf_token": token})


def text(resp) -> str:
    return resp.get_data(as_text=True)


__all__ = ["NEW_PASSWORD", "PASSWORD", "accept", "action", "bulk", "client_for", "fresh", "invitation_link",
           "invite", "membership_of", "path_of", "session_csrf", "text"]
