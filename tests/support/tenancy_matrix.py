"""The tenancy test matrix: every role x every way in x own/other organisation.

Organisation-owned data may only be read or changed by its own organisation
(docs: ``shared/docs/domain.md``, Roles). A plugin proves that for each of its
views and APIs by filling in a :class:`TenancySpec` and letting this module
generate one pytest case per cell::

    from tests.support import tenancy_matrix as tm

    SPEC = tm.TenancySpec(
        name="pakketten",
        model=Package,
        view="/pakketten",                       # FAB ModelView route_base (or None)
        api="/api/v1/pakketten",                 # FAB ModelRestApi base (or None)
        make_row=lambda org, marker: make_package(org, name=marker),
        add_form=lambda org, marker: {"name": marker, "organisation": org.id},
        api_add=lambda org, marker: {"name": marker, "organisation": org.id},
        rights={
            tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN, delete=tm.OWN, add=tm.OWN),
            tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
            tm.FUNCTIONEEL_BEHEERDER: tm.Rights.everything(),
        },
        owner_types=("leverancier",),
    )

    matrix_env = tm.environment()          # module-scoped fixture: app, people, logins

    @pytest.mark.parametrize("cell", SPEC.cells())
    def test_pakketten_tenancy(matrix_env, cell):
        tm.check(matrix_env, SPEC, cell)

Operations (each a cell per actor and per target row, "own" or "other"):
``list``, ``show``, ``edit_get``, ``edit_post``, ``delete_post``, ``delete_get``
(always refused), per action ``action:NAME`` (POST), ``action_get:NAME`` (always
refused) and ``action_post:NAME`` (bulk, the foreign row next to an own one),
``add`` (a form claiming the target organisation), ``api_list``, ``api_get``,
``api_put``, ``api_delete``, ``api_post`` and ``api_info``; with ``related``:
``choices`` (dropdowns on add/edit), ``edit_forged_related``,
``add_forged_related``, ``api_put_forged_related`` and ``api_post_forged_related``
(an own row pointing at another organisation's object). For the organisation
itself (``tenant_column="id"``) an add has the single target "new".

How a cell is judged:

- *allowed*: the operation works and its effect is visible (the row's marker is
  in the page or JSON, the edit is in the database, the row is gone, the action
  took effect, the new row belongs to the organisation it claimed);
- *denied*: the answer is a redirect (to the login page or back), 400, 401, 403,
  404 or 405, or a page without the row, never a server error; nothing in the
  watched tables changed; and the marker of the other organisation's row is not
  in the body. A list that hides a foreign row must still show the own one.

The actors are people of the ``World`` in ``tests/support/actors.py`` plus an
anonymous visitor and a user whose membership ended after logging in (so that
a live session and a live JWT without organisation are tried too). One app and
its people are built per test module; before each cell the database is put back
to that state, so cells are independent and run in any order (also with -n).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
from flask_appbuilder import Model
from sqlalchemy import delete as sa_delete
from sqlalchemy import insert, select
from sqlalchemy import inspect as sa_inspect

from core.extensions import db
from core.models import Membership, Organisation
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from tests.support.actors import CSRF_RE, World, api_token, login, make_user
from tests.support.clients import IsolatedClient

OWN = "own"
ALL = "all"
ANONYMOUS = "Anoniem"
NO_ORGANISATION = "Zonder organisatie"

__all__ = [
    "AANBOD_BEHEERDER", "ALL", "ANONYMOUS", "Action", "Cell", "FUNCTIONEEL_BEHEERDER", "GEBRUIK_BEHEERDER",
    "GEBRUIK_RAADPLEGER", "IsolatedClient", "MatrixEnv", "NO_ORGANISATION", "OWN", "Related", "Rights", "TenancySpec",
    "VNG_RAADPLEGER", "build_env", "check", "environment",
]


# --------------------------------------------------------------------------- spec
@dataclass(frozen=True)
class Rights:
    """What one role may do: ``None`` (nothing), ``OWN`` (own organisation) or ``ALL``."""

    read: str | None = None
    edit: str | None = None
    delete: str | None = None
    add: str | None = None

    @classmethod
    def everything(cls) -> "Rights":
        return cls(read=ALL, edit=ALL, delete=ALL, add=ALL)

    def covers(self, what: str, target: str) -> bool:
        scope = getattr(self, what)
        if target == "new":
            return scope in (OWN, ALL)
        return scope == ALL or (scope == OWN and target == "own")


@dataclass(frozen=True)
class Action:
    """A FAB action (``@action``) of the view.

    ``right`` is which right it needs (``"edit"`` or ``"delete"``); ``applied(pk)``
    tells, inside an app context, whether the action took effect on that row.
    ``multiple`` is False for actions that FAB offers only on a single row.
    """

    name: str
    applied: Callable[[Any], bool]
    right: str = "edit"
    multiple: bool = True


@dataclass(frozen=True)
class Related:
    """An organisation-owned object the rows point at (a dropdown, an id in JSON).

    ``make(org, marker)`` creates one for ``org`` whose text shows ``marker``;
    ``field`` is the form field (relationship name), ``api_field`` the JSON key.
    """

    make: Callable[[Organisation, str], Any]
    field: str
    api_field: str | None = None


@dataclass
class TenancySpec:
    """Declarative description of one view/API of organisation-owned data."""

    name: str
    model: type
    make_row: Callable[[Organisation, str], Any]
    rights: dict[str, Rights]
    view: str | None = None
    api: str | None = None
    tenant_column: str = "organisation_id"
    #: Column that carries the marker; it must be shown in list, show and edit.
    marker_field: str = "name"
    #: Extra browser form data for an edit (besides the marker field).
    edit_form: Callable[[Any], dict] = field(default=lambda row: {})
    #: Extra JSON for a PUT (besides the marker field).
    api_edit: Callable[[Any], dict] = field(default=lambda row: {})
    #: Browser form data that claims a new row for ``org``; None: no add cells.
    add_form: Callable[[Organisation, str], dict] | None = None
    #: JSON that claims a new row for ``org``; None: no POST cells.
    api_add: Callable[[Organisation, str], dict] | None = None
    #: Organisation types that own rows of this kind (None: every type).
    owner_types: tuple[str, ...] | None = None
    actions: tuple[Action, ...] = ()
    related: Related | None = None
    #: More models whose tables must not change when a cell is denied.
    watch: tuple[type, ...] = ()

    def rights_of(self, actor: str) -> Rights:
        if actor == NO_ORGANISATION:  # no more rights than a visitor
            return self.rights.get(ANONYMOUS, Rights())
        return self.rights.get(actor, Rights())

    def cells(self) -> list["Cell"]:
        """Every (actor, operation, target) this spec can be checked on, as pytest params."""
        cells = []
        for actor in ACTORS.values():
            owns = actor.own is not None and self._owner_type_ok(ORG_TYPES[actor.own])
            targets = (["own"] if owns else []) + ["other"]
            ops = self._view_ops(targets, owns) + self._api_ops(targets, owns)
            for op, op_targets in ops:
                cells += [pytest.param(Cell(actor.key, op, t), id=f"{actor.slug}-{op}-{t}") for t in op_targets]
        return cells

    def _view_ops(self, targets: list[str], owns: bool) -> list[tuple[str, list[str]]]:
        """The browser operations (with their targets) of an actor who does or does not own rows."""
        if not self.view:
            return []
        ops = [(op, targets) for op in ("list", "show", "edit_get", "edit_post", "delete_post", "delete_get")]
        for act in self.actions:
            ops += [(f"action:{act.name}", targets), (f"action_get:{act.name}", targets)]
            if act.multiple:
                ops.append((f"action_post:{act.name}", targets))
        if self.add_form:
            ops.append(("add", self._add_targets(owns)))
        if self.related and owns:
            ops += [("choices", ["other"]), ("edit_forged_related", ["other"])]
            if self.add_form:
                ops.append(("add_forged_related", ["other"]))
        return ops

    def _api_ops(self, targets: list[str], owns: bool) -> list[tuple[str, list[str]]]:
        """The REST API operations (with their targets) of an actor who does or does not own rows."""
        if not self.api:
            return []
        ops = [(op, targets) for op in ("api_list", "api_get", "api_put", "api_delete")]
        ops.append(("api_info", ["other"]))
        if self.api_add:
            ops.append(("api_post", self._add_targets(owns)))
        if self.related and owns and self.related.api_field:
            ops.append(("api_put_forged_related", ["other"]))
            if self.api_add:
                ops.append(("api_post_forged_related", ["other"]))
        return ops

    def _add_targets(self, owns: bool) -> list[str]:
        if self.tenant_column == "id":  # a new row is a new organisation
            return ["new"]
        return (["own"] if owns else []) + ["other"]

    def _owner_type_ok(self, org_type: str) -> bool:
        return self.owner_types is None or org_type in self.owner_types


@dataclass(frozen=True)
class Cell:
    actor: str  # a role name, ANONYMOUS or NO_ORGANISATION
    op: str
    target: str  # "own", "other" (another organisation's row) or "new"

    def __str__(self) -> str:
        return f"{ACTORS[self.actor].slug}-{self.op}-{self.target}"


# --------------------------------------------------------------------------- actors
@dataclass(frozen=True)
class Actor:
    key: str
    slug: str
    world_user: str | None  # key in World.users
    own: str | None  # attribute of MatrixEnv.orgs


ACTORS = {a.key: a for a in (
    Actor(AANBOD_BEHEERDER, "aanbod-beheerder", "aanbod", "supplier"),
    Actor(GEBRUIK_BEHEERDER, "gebruik-beheerder", "gebruik", "gemeente"),
    Actor(GEBRUIK_RAADPLEGER, "gebruik-raadpleger", "raadpleger", "gemeente"),
    Actor(VNG_RAADPLEGER, "vng-raadpleger", "vng", "vng"),
    Actor(FUNCTIONEEL_BEHEERDER, "functioneel-beheerder", "fb", None),
    Actor(ANONYMOUS, "anoniem", None, None),
    Actor(NO_ORGANISATION, "zonder-organisatie", "zonder", None),
)}
ORG_TYPES = {"supplier": "leverancier", "other_supplier": "leverancier", "gemeente": "gemeente",
             "other_gemeente": "gemeente", "vng": "vng"}
OTHER_OF = {"supplier": "other_supplier", "other_supplier": "supplier", "gemeente": "other_gemeente",
            "other_gemeente": "gemeente"}
# The former organisation of the NO_ORGANISATION user is "supplier": its rows are "other" for him.
OTHER_PREFERENCE = ("supplier", "gemeente", "other_supplier", "other_gemeente", "vng")


# --------------------------------------------------------------------------- environment
class MatrixEnv:
    """One app with the World's people logged in, and a way back to the start state."""

    JWT_MAX_AGE = 600  # seconds; JWT_ACCESS_TOKEN_EXPIRES is 15 minutes

    def __init__(self, app):
        self.app = app
        self.clients: dict[str, Any] = {}
        self.csrf: dict[str, str] = {}
        self.tokens: dict[str, tuple[str, float]] = {}
        self.org_ids: dict[str, int] = {}
        self.user_ids: dict[str, int] = {}
        self._snapshot: list[tuple[Any, list[dict]]] = []

    # -- building -------------------------------------------------------
    def build(self) -> "MatrixEnv":
        self.app.test_client_class = IsolatedClient
        with self.app.app_context():
            world = World.build(self.app)
            vng = db.session.query(Organisation).filter_by(type="vng").one()
            zonder = make_user("vroeger@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
            self.org_ids = {"supplier": world.supplier.id, "other_supplier": world.other_supplier.id,
                            "gemeente": world.gemeente.id, "other_gemeente": world.other_gemeente.id,
                            "vng": vng.id}
            users = dict(world.users, zonder=zonder)
            for actor in ACTORS.values():
                client = self.app.test_client()
                self.clients[actor.key] = client
                if actor.world_user is None:
                    continue
                user = users[actor.world_user]
                self.user_ids[actor.key] = user.id
                login(client, user)
                self.tokens[actor.key] = (api_token(client, user), time.time())
            # The membership ends after login: his session and JWT live on, without organisation.
            membership = db.session.query(Membership).filter_by(user_id=zonder.id).one()
            membership.active = False
            db.session.commit()
            for actor in ACTORS.values():
                self.csrf[actor.key] = self._fetch_csrf(self.clients[actor.key])
            self._take_snapshot()
        return self

    def _fetch_csrf(self, client) -> str:
        """The CSRF token of this client's session, from a real form where there is one."""
        for path in ("/account/twee-factor/", "/login/"):
            resp = client.get(path)
            match = CSRF_RE.search(resp.get_data(as_text=True))
            if resp.status_code == 200 and match:
                return match.group(1)
        # (a Functioneel beheerder has no form on those pages) sign the session's raw
        # token the way Flask-WTF does.
        from itsdangerous import URLSafeTimedSerializer

        with client.session_transaction() as sess:
            raw = sess.setdefault("csrf_token", uuid.uuid4().hex)
        secret = self.app.config.get("WTF_CSRF_SECRET_KEY") or self.app.config["SECRET_KEY"]
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def _tables(self):
        existing = set(sa_inspect(db.engine).get_table_names())
        return [t for t in Model.metadata.sorted_tables if t.name in existing and t.name != "audit_log"]

    def _take_snapshot(self) -> None:
        with db.engine.connect() as conn:
            self._snapshot = [(t, [dict(r._mapping) for r in conn.execute(select(t))]) for t in self._tables()]

    def reset(self) -> None:
        """Put every table (except the append-only audit log) back to the built state."""
        with self.app.app_context():
            db.session.remove()
            with db.engine.begin() as conn:
                for table, _ in reversed(self._snapshot):
                    conn.execute(sa_delete(table))
                # Foreign keys that point forward in the table order (the ab_user <-> organisation
                # cycle, self references) are filled in after every row exists.
                order = {t.name: i for i, (t, _) in enumerate(self._snapshot)}
                later: list[tuple[Any, list[str], list[dict]]] = []
                for index, (table, rows) in enumerate(self._snapshot):
                    if not rows:
                        continue
                    forward = sorted(
                        {
                            fk.parent.name
                            for fk in table.foreign_keys
                            if order.get(fk.column.table.name, -1) >= index and fk.parent.nullable
                        }
                    )
                    conn.execute(insert(table), [{**r, **dict.fromkeys(forward)} for r in rows] if forward else rows)
                    if forward:
                        later.append((table, forward, rows))
                for table, columns, rows in later:
                    keys = [c.name for c in table.primary_key.columns]
                    for row in rows:
                        if any(row[c] is not None for c in columns):
                            where = [table.c[k] == row[k] for k in keys]
                            conn.execute(table.update().where(*where).values({c: row[c] for c in columns}))

    # -- using ----------------------------------------------------------
    def org(self, key: str) -> Organisation:
        return db.session.get(Organisation, self.org_ids[key])

    def orgs_for(self, spec: TenancySpec, actor_key: str) -> tuple[str | None, str]:
        """Keys of the actor's own organisation (if it can own such rows) and of another one."""
        actor = ACTORS[actor_key]
        own = actor.own if actor.own and spec._owner_type_ok(ORG_TYPES[actor.own]) else None
        candidates = ([OTHER_OF[own]] if own in OTHER_OF else []) + list(OTHER_PREFERENCE)
        other = next(k for k in candidates if k != own and spec._owner_type_ok(ORG_TYPES[k]))
        return own, other

    def client(self, actor_key: str):
        return self.clients[actor_key]

    def api_headers(self, actor_key: str) -> dict:
        if actor_key not in self.tokens:
            return {}
        token, issued = self.tokens[actor_key]
        if time.time() - issued > self.JWT_MAX_AGE:
            with self.app.app_context():
                from flask_jwt_extended import create_access_token

                token = create_access_token(identity=str(self.user_ids[actor_key]), fresh=True)
            self.tokens[actor_key] = (token, time.time())
        return {"Authorization": f"Bearer {token}"}


def build_env(make_app_fn: Callable[..., Any], plugins=(), **config) -> MatrixEnv:
    """A MatrixEnv on an app from ``make_app_fn(plugins=..., **config)``."""
    return MatrixEnv(make_app_fn(plugins=plugins, **config)).build()


def environment(plugins=(), name: str = "matrix_env", **config):
    """A module-scoped pytest fixture that yields a built :class:`MatrixEnv`.

    Assign it in a test module: ``matrix_env = tenancy_matrix.environment()``.
    """

    @pytest.fixture(scope="module", name=name)
    def _fixture(request, tmp_path_factory, smtp):
        from core.app import create_app
        from tests.support.databases import backend

        if backend() == "postgres":
            url = request.getfixturevalue("pg_databases").create()
        else:
            import shutil

            folder = tmp_path_factory.mktemp("matrix")
            shutil.copyfile(request.getfixturevalue("sqlite_template"), folder / "matrix.db")
            url = f"sqlite:///{folder / 'matrix.db'}"
        settings = {
            "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key-not-for-production",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "BASE_URL": "http://localhost",
            "MAIL_OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
            "RATELIMIT_ENABLED": False, "AUTH_RATE_LIMITED": False, "TESTING": True,
            "WTF_CSRF_ENABLED": True, "SERVER_NAME": None,
            # a fast hash for the test people (scrypt costs ~0.2 s per user and login)
            "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
        settings.update(config)
        env = MatrixEnv(create_app(settings, plugins=plugins)).build()
        yield env
        with env.app.app_context():
            db.session.remove()
            db.engine.dispose()

    return _fixture


# --------------------------------------------------------------------------- checking
def new_marker() -> str:
    return f"Mrk{uuid.uuid4().hex[:12]}"


def _pk(row) -> Any:
    identity = sa_inspect(row).identity
    return identity[0] if identity and len(identity) == 1 else identity


class _Run:
    """Everything one cell needs, inside the app context."""

    def __init__(self, env: MatrixEnv, spec: TenancySpec, cell: Cell):
        self.env, self.spec, self.cell = env, spec, cell
        self.rights = spec.rights_of(cell.actor)
        self.own_key, self.other_key = env.orgs_for(spec, cell.actor)
        self.client = env.client(cell.actor)
        self.csrf = env.csrf[cell.actor]
        self.table = spec.model.__table__
        self.watched = [self.table] + [m.__table__ for m in spec.watch]
        self.what = f"[{spec.name}] {cell}"

    # -- data -----------------------------------------------------------
    def make_row(self, org_key: str) -> tuple[Any, str]:
        marker = new_marker()
        row = self.spec.make_row(self.env.org(org_key), marker)
        db.session.commit()
        return _pk(row), marker

    def make_related(self, org_key: str) -> tuple[Any, str]:
        marker = new_marker()
        obj = self.spec.related.make(self.env.org(org_key), marker)
        db.session.commit()
        return _pk(obj), marker

    def target_org_key(self) -> str:
        return self.own_key if self.cell.target == "own" else self.other_key

    def snapshot(self) -> list:
        db.session.remove()
        pk_cols = lambda t: list(t.primary_key.columns)  # noqa: E731
        with db.engine.connect() as conn:
            return [(t.name, conn.execute(select(t).order_by(*pk_cols(t))).all()) for t in self.watched]

    def applied(self, action: Action, pk) -> bool:
        db.session.remove()
        return bool(action.applied(pk))

    def row_state(self, pk) -> Any:
        db.session.remove()
        pk_col = list(self.table.primary_key.columns)[0]
        with db.engine.connect() as conn:
            return conn.execute(select(self.table).where(pk_col == pk)).first()

    def marker_row(self, marker: str):
        db.session.remove()
        with db.engine.connect() as conn:
            return conn.execute(select(self.table).where(self.table.c[self.spec.marker_field] == marker)).first()

    # -- assertions -----------------------------------------------------
    def body(self, resp) -> str:
        return resp.get_data(as_text=True)

    def assert_ok_status(self, resp, allowed: bool) -> None:
        assert resp.status_code < 500, f"{self.what}: server error {resp.status_code}"
        if not allowed:
            assert resp.status_code in (200, 302, 400, 401, 403, 404, 405), (
                f"{self.what}: unexpected status {resp.status_code} for a refused request")

    def assert_absent(self, resp, *markers: str) -> None:
        text = self.body(resp)
        for marker in markers:
            assert marker not in text, f"{self.what}: foreign data {marker} in the response ({resp.status_code})"

    def assert_unchanged(self, before, after) -> None:
        assert before == after, f"{self.what}: the database changed although the request was refused"

    def url(self, path: str) -> str:
        return self.spec.view.rstrip("/") + path

    def api_url(self, path: str = "/") -> str:
        return self.spec.api.rstrip("/") + path

    def list_args(self) -> str:
        for view in self.env.app.appbuilder.baseviews:
            if getattr(view, "route_base", None) == self.spec.view.rstrip("/"):
                return f"?psize_{view.__class__.__name__}=100"
        return ""


def check(env: MatrixEnv, spec: TenancySpec, cell: Cell) -> None:
    """Run one cell and assert its expected outcome (raises AssertionError on a hole)."""
    env.reset()
    with env.app.app_context():
        run = _Run(env, spec, cell)
        op, _, action_name = cell.op.partition(":")
        handler = globals()[f"_op_{op}"]
        if action_name:
            action = next(a for a in spec.actions if a.name == action_name)
            handler(run, action)
        else:
            handler(run)
        db.session.remove()


def _reader_page(run: _Run, resp, marker: str, allowed: bool, own_marker: str | None = None) -> None:
    run.assert_ok_status(resp, allowed)
    if allowed:
        assert resp.status_code == 200, f"{run.what}: expected 200, got {resp.status_code}"
        assert marker in run.body(resp), f"{run.what}: the row is not shown"
    else:
        run.assert_absent(resp, marker)
        if own_marker is not None:
            assert resp.status_code == 200 and own_marker in run.body(resp), (
                f"{run.what}: the own row is not listed next to the hidden foreign row")


def _with_own_row(run: _Run) -> str | None:
    """For 'other' cells of actors who may read their own rows: an own row that must show."""
    if run.cell.target == "other" and run.own_key and run.rights.covers("read", "own"):
        return run.make_row(run.own_key)[1]
    return None


# -- browser operations -------------------------------------------------------------
def _op_list(run: _Run) -> None:
    own_marker = _with_own_row(run)
    _, marker = run.make_row(run.target_org_key())
    resp = run.client.get(run.url("/list/") + run.list_args())
    _reader_page(run, resp, marker, run.rights.covers("read", run.cell.target), own_marker)


def _op_show(run: _Run) -> None:
    pk, marker = run.make_row(run.target_org_key())
    resp = run.client.get(run.url(f"/show/{pk}"))
    _reader_page(run, resp, marker, run.rights.covers("read", run.cell.target))


def _op_edit_get(run: _Run) -> None:
    pk, marker = run.make_row(run.target_org_key())
    resp = run.client.get(run.url(f"/edit/{pk}"))
    _reader_page(run, resp, marker, run.rights.covers("edit", run.cell.target))


def _edit_post(run: _Run, pk, row_marker: str, extra: dict | None = None, expect: bool | None = None) -> None:
    new = new_marker()
    row = db.session.get(run.spec.model, pk)
    data = dict(run.spec.edit_form(row), **{run.spec.marker_field: new, "csrf_token": run.csrf}, **(extra or {}))
    db.session.remove()
    allowed = run.rights.covers("edit", run.cell.target) if expect is None else expect
    before = run.snapshot()
    resp = run.client.post(run.url(f"/edit/{pk}"), data=data)
    run.assert_ok_status(resp, allowed)
    if allowed:
        state = run.row_state(pk)
        assert state is not None and getattr(state, run.spec.marker_field) == new, (
            f"{run.what}: the edit was not saved ({resp.status_code})")
    else:
        run.assert_unchanged(before, run.snapshot())
        if run.cell.target != "own":
            run.assert_absent(resp, row_marker)


def _op_edit_post(run: _Run) -> None:
    pk, marker = run.make_row(run.target_org_key())
    _edit_post(run, pk, marker)


def _delete(run: _Run, method: str) -> None:
    pk, marker = run.make_row(run.target_org_key())
    allowed = method == "post" and run.rights.covers("delete", run.cell.target)
    before = run.snapshot()
    if method == "post":
        resp = run.client.post(run.url(f"/delete/{pk}"), data={"csrf_token": run.csrf})
    else:
        resp = run.client.get(run.url(f"/delete/{pk}"))
    run.assert_ok_status(resp, allowed)
    if allowed:
        assert run.row_state(pk) is None, f"{run.what}: the row was not deleted ({resp.status_code})"
    else:
        run.assert_unchanged(before, run.snapshot())
        if run.cell.target != "own":
            run.assert_absent(resp, marker)


def _op_delete_post(run: _Run) -> None:
    _delete(run, "post")


def _op_delete_get(run: _Run) -> None:
    _delete(run, "get")


def _op_action(run: _Run, action: Action) -> None:
    pk, marker = run.make_row(run.target_org_key())
    allowed = run.rights.covers(action.right, run.cell.target)
    before = run.snapshot()
    resp = run.client.post(run.url(f"/action/{action.name}/{pk}"), data={"csrf_token": run.csrf})
    run.assert_ok_status(resp, allowed)
    if allowed:
        assert run.applied(action, pk), f"{run.what}: the action had no effect ({resp.status_code})"
    else:
        run.assert_unchanged(before, run.snapshot())
        if run.cell.target != "own":
            run.assert_absent(resp, marker)


def _op_action_get(run: _Run, action: Action) -> None:
    pk, marker = run.make_row(run.target_org_key())
    before = run.snapshot()
    resp = run.client.get(run.url(f"/action/{action.name}/{pk}"))
    run.assert_ok_status(resp, False)
    run.assert_unchanged(before, run.snapshot())
    if run.cell.target != "own":
        run.assert_absent(resp, marker)


def _op_action_post(run: _Run, action: Action) -> None:
    """Bulk action on the target row, next to an own row when the actor has one."""
    pk, marker = run.make_row(run.target_org_key())
    own_pk = None
    if run.cell.target == "other" and run.own_key:
        own_pk = run.make_row(run.own_key)[0]
    rowids = [str(pk)] + ([str(own_pk)] if own_pk is not None else [])
    allowed = run.rights.covers(action.right, run.cell.target)
    state_before = run.row_state(pk)
    before = run.snapshot()
    resp = run.client.post(run.url("/action_post"),
                           data={"action": action.name, "rowid": rowids, "csrf_token": run.csrf})
    run.assert_ok_status(resp, allowed)
    if allowed:
        assert run.applied(action, pk), f"{run.what}: the bulk action had no effect ({resp.status_code})"
    else:
        assert run.row_state(pk) == state_before and not run.applied(action, pk), (
            f"{run.what}: the bulk action changed a row it may not touch")
        if own_pk is None:
            run.assert_unchanged(before, run.snapshot())
        if run.cell.target != "own":
            run.assert_absent(resp, marker)
    if own_pk is not None:
        own_allowed = run.rights.covers(action.right, "own")
        assert run.applied(action, own_pk) == own_allowed, (
            f"{run.what}: the own row next to the foreign one was {'not ' if own_allowed else ''}acted on")


def _add(run: _Run, via_api: bool, org_key: str | None = None, extra: dict | None = None,
         expect: bool | None = None) -> None:
    target = run.cell.target
    lenient = org_key is None  # a plain add may put a forged row in the own organisation instead
    if org_key is None:
        org_key = run.own_key if target in ("own", "new") and run.own_key else run.other_key
    marker = new_marker()
    builder = run.spec.api_add if via_api else run.spec.add_form
    data = dict(builder(run.env.org(org_key), marker), **(extra or {}))
    db.session.remove()
    allowed = run.rights.covers("add", target) if expect is None else expect
    before = run.snapshot()
    if via_api:
        resp = run.client.post(run.api_url("/"), json=data, headers=run.env.api_headers(run.cell.actor))
    else:
        resp = run.client.post(run.url("/add"), data=dict(data, csrf_token=run.csrf))
    run.assert_ok_status(resp, allowed)
    created = run.marker_row(marker)
    if allowed:
        assert created is not None, f"{run.what}: the row was not added ({resp.status_code}: {run.body(resp)[:300]})"
        if run.spec.tenant_column != "id":
            owner = getattr(created, run.spec.tenant_column)
            assert owner == run.env.org_ids[org_key], f"{run.what}: the row was added for organisation {owner}"
    else:
        assert created is None or (
            lenient and run.spec.tenant_column != "id" and target == "other"
            and getattr(created, run.spec.tenant_column) != run.env.org_ids[run.other_key]
        ), f"{run.what}: a refused add created a row"
        if created is None:
            run.assert_unchanged(before, run.snapshot())


def _op_add(run: _Run) -> None:
    _add(run, via_api=False)


def _op_choices(run: _Run) -> None:
    """Dropdowns on the add and edit form list only the own organisation's objects."""
    _, own_related = run.make_related(run.own_key)
    _, foreign_related = run.make_related(run.other_key)
    own_pk, _ = run.make_row(run.own_key)
    pages = [(f"/edit/{own_pk}", run.rights.covers("edit", "own"))]
    if run.spec.add_form:
        pages.append(("/add", run.rights.covers("add", "own")))
    for path, may_use in pages:
        resp = run.client.get(run.url(path))
        run.assert_ok_status(resp, may_use)
        if not run.rights.covers("read", "other"):
            run.assert_absent(resp, foreign_related)
        if may_use:
            assert own_related in run.body(resp), f"{run.what}: {path} does not offer the own choice"


def _op_edit_forged_related(run: _Run) -> None:
    foreign_pk, _ = run.make_related(run.other_key)
    pk, marker = run.make_row(run.own_key)
    may = run.rights.covers("edit", "own") and run.rights.edit == ALL
    _edit_post(run, pk, marker, extra={run.spec.related.field: str(foreign_pk)}, expect=may)


def _op_add_forged_related(run: _Run) -> None:
    foreign_pk, _ = run.make_related(run.other_key)
    may = run.rights.add == ALL
    _add(run, via_api=False, org_key=run.own_key, extra={run.spec.related.field: str(foreign_pk)}, expect=may)


# -- API operations -----------------------------------------------------------------
def _api_get(run: _Run, path: str):
    return run.client.get(run.api_url(path), headers=run.env.api_headers(run.cell.actor))


def _op_api_list(run: _Run) -> None:
    own_marker = _with_own_row(run)
    _, marker = run.make_row(run.target_org_key())
    resp = _api_get(run, "/?q=(page_size:100)")
    _reader_page(run, resp, marker, run.rights.covers("read", run.cell.target), own_marker)


def _op_api_get(run: _Run) -> None:
    pk, marker = run.make_row(run.target_org_key())
    resp = _api_get(run, f"/{pk}")
    _reader_page(run, resp, marker, run.rights.covers("read", run.cell.target))


def _api_put(run: _Run, pk, row_marker: str, extra: dict | None = None, expect: bool | None = None) -> None:
    new = new_marker()
    row = db.session.get(run.spec.model, pk)
    data = dict(run.spec.api_edit(row), **{run.spec.marker_field: new}, **(extra or {}))
    db.session.remove()
    allowed = run.rights.covers("edit", run.cell.target) if expect is None else expect
    before = run.snapshot()
    resp = run.client.put(run.api_url(f"/{pk}"), json=data, headers=run.env.api_headers(run.cell.actor))
    run.assert_ok_status(resp, allowed)
    if allowed:
        assert resp.status_code == 200, f"{run.what}: PUT answered {resp.status_code}: {run.body(resp)[:300]}"
        state = run.row_state(pk)
        assert getattr(state, run.spec.marker_field) == new, f"{run.what}: the PUT was not saved"
    else:
        run.assert_unchanged(before, run.snapshot())
        if run.cell.target != "own":
            run.assert_absent(resp, row_marker)


def _op_api_put(run: _Run) -> None:
    pk, marker = run.make_row(run.target_org_key())
    _api_put(run, pk, marker)


def _op_api_delete(run: _Run) -> None:
    pk, marker = run.make_row(run.target_org_key())
    allowed = run.rights.covers("delete", run.cell.target)
    before = run.snapshot()
    resp = run.client.delete(run.api_url(f"/{pk}"), headers=run.env.api_headers(run.cell.actor))
    run.assert_ok_status(resp, allowed)
    if allowed:
        assert resp.status_code == 200 and run.row_state(pk) is None, (
            f"{run.what}: DELETE answered {resp.status_code} and the row is "
            f"{'gone' if run.row_state(pk) is None else 'still there'}")
    else:
        run.assert_unchanged(before, run.snapshot())
        run.assert_absent(resp, marker)


def _op_api_post(run: _Run) -> None:
    _add(run, via_api=True)


def _op_api_info(run: _Run) -> None:
    """``/_info`` (the choices for related fields) shows no other organisation's data."""
    _, foreign_row = run.make_row(run.other_key)
    markers = [foreign_row]
    own_related = None
    if run.spec.related:
        markers.append(run.make_related(run.other_key)[1])
        if run.own_key:
            own_related = run.make_related(run.own_key)[1]
    resp = _api_get(run, "/_info")
    run.assert_ok_status(resp, run.rights.read is not None)
    if not run.rights.covers("read", "other"):
        run.assert_absent(resp, *markers)
    may_use = run.rights.add is not None or run.rights.edit is not None
    if own_related and may_use:
        assert own_related in run.body(resp), f"{run.what}: _info does not offer the own choice"


def _op_api_put_forged_related(run: _Run) -> None:
    foreign_pk, _ = run.make_related(run.other_key)
    pk, marker = run.make_row(run.own_key)
    _api_put(run, pk, marker, extra={run.spec.related.api_field: foreign_pk}, expect=run.rights.edit == ALL)


def _op_api_post_forged_related(run: _Run) -> None:
    foreign_pk, _ = run.make_related(run.other_key)
    _add(run, via_api=True, org_key=run.own_key, extra={run.spec.related.api_field: foreign_pk},
         expect=run.rights.add == ALL)
