"""Tenancy: organisation-owned data is only ever read or changed by its organisation.

Every view and REST API of organisation-owned data subclasses ``TenantModelView``
or ``TenantModelRestApi``. Besides FAB's ``base_filters`` (list, show, edit,
delete, API get/put/delete) they close the holes FAB leaves open:

- single and bulk actions (``action``/``action_post``) fetch rows through the
  tenant filter, so a forged row id is skipped, never acted upon;
- add and POST set the organisation to the user's own; a submitted
  organisation id of another organisation is refused;
- edit and PUT can not move a row to another organisation;
- every related object a row points at (a dropdown choice, an id in a POST)
  must belong to the user's organisation when its model is organisation-owned;
  dropdown choices and the API's ``/_info`` only list those;
- mutations over GET are refused (CSRF), as FAB does once CSRFProtect is on.

Shared relations: some relations point at data that is not the user's own but that
anyone may choose under a rule of its own (e.g. a supplier's service is offered on
*public* packages of any supplier). A view lists them in ``shared_relations``,
mapping the relationship name to a zero-argument callable that returns an SQL
condition on the related model (evaluated per request, so it may depend on the
user)::

    shared_relations = {"packages": public_package_clause}

For those relations, and only those, the rule replaces the own-organisation rule:
dropdown choices and the API's ``/_info`` list the rows matching the condition, and
``check_related`` (add, edit, POST, PUT) refuses a newly chosen row that does not
match it, with the usual message. The rule holds for every user, also for roles
that see all organisations (return ``sqlalchemy.true()`` for them if they may
choose anything). Rows a record already points at are not re-checked, so a record
keeps working when a row it points at later stops matching (e.g. an unpublished
package).

Parent rows: a row that belongs to another row (a module or version to its package) or
whose form names its organisation (a package's "Leverancier" field) declares that
relation as ``tenant_parent``::

    tenant_parent = "package"       # or "organisation" for the form's relation field

On add and edit the row's organisation is set to the parent's before the checks
above, so a parent of another organisation is refused like a forged organisation id
(users that see all organisations may pick any parent and the row follows it).

Acting for other organisations: some rows are kept by one organisation for another (a
samenwerking registers usage for its member gemeenten). A view declares that with
``acting_for``, an :class:`ActingFor` naming the column that records the acting
organisation and a callable giving, for an organisation id, the ids of the
organisations it may act for *now*::

    acting_for = ActingFor("registered_by_id", samenwerking_members)

Then, besides its own rows, a user sees and changes (edit, actions, PUT, delete when
permitted) exactly the rows it registered for an organisation it may act for now: the
row's acting column is the user's organisation and the row's organisation is in
``members(own id)``. Rows the other organisation keeps itself stay invisible, and when
the user's organisation may no longer act for it (a membership ended) its rows
disappear from view and from every write, while they stay with their owner. On add and
POST the row's organisation may be the own one (the acting column is cleared) or one it
acts for (the acting column is set to the own organisation); the choices of the row's
organisation list both. Nobody but users that see all organisations may set or change
the acting column itself. The owner keeps full rights on such a row as on any own row.

Users with a role that sees all organisations (Functioneel beheerder,
VNG-raadpleger) are not filtered; what they may change is still decided by
their permissions. A user without an organisation sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app, flash, redirect, request
from flask_appbuilder import ModelRestApi, ModelView, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import has_access
from sqlalchemy import and_, false, or_, select
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import BadRequest

from core.api_queries import SafeQueryMixin
from core.extensions import db
from core.models import Membership
from core.parents import ParentPageMixin, RowMessage
from core.roles import global_roles

NO_ORGANISATION = -1  # matches no row: used for users without an organisation


class TenantViolation(BadRequest):
    """Raised when a change would touch another organisation's data."""

    def __init__(self, message: str = "U heeft geen toegang tot gegevens van een andere organisatie."):
        super().__init__(description=message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def current_user():
    user = current_app.appbuilder.sm.current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def sees_all_organisations(user=None) -> bool:
    user = user if user is not None else current_user()
    if user is None:
        return False
    names = {role.name for role in user.roles}
    return bool(names & global_roles())


def current_organisation_id(user=None) -> int | None:
    user = user if user is not None else current_user()
    if user is None:
        return None
    org = getattr(user, "organisation", None)
    return org.id if org is not None else None


def tenant_column_of(model) -> str | None:
    """The column naming a model's owning organisation, or None if not owned."""
    return getattr(model, "__tenant_column__", None) or (
        "organisation_id" if "organisation_id" in sa_inspect(model).columns else None
    )


class TenantFilter(BaseFilter):
    """FAB filter: only rows of the current user's organisation (all for global roles)."""

    name = "Eigen organisatie"
    arg_name = None

    def apply(self, query, value):
        if sees_all_organisations():
            return query
        org_id = current_organisation_id()
        column = getattr(self.model, self.column_name)
        return query.filter(column == (org_id if org_id is not None else NO_ORGANISATION))


@dataclass(frozen=True)
class ActingFor:
    """A view's rule that an organisation also keeps rows for others (see the module docstring).

    ``column``: the model's column naming the acting organisation (e.g. ``registered_by_id``);
    ``members``: organisation id -> ids of the organisations it may act for now.
    """

    column: str
    members: Callable[[int], frozenset[int] | set[int] | list[int]]

    def ids_for(self, org_id: int | None) -> frozenset[int]:
        return frozenset(self.members(org_id)) if org_id is not None else frozenset()


class ActingForFilter(TenantFilter):
    """FAB filter: the own rows plus the rows registered for an organisation the user acts for now.

    Its value is the view's :class:`ActingFor`; without organisations to act for it is :class:`TenantFilter`.
    """

    name = "Eigen organisatie en namens"

    def apply(self, query, value):
        org_id = current_organisation_id()
        members = value.ids_for(org_id)
        if sees_all_organisations() or not members:
            return super().apply(query, value)
        column = getattr(self.model, self.column_name)
        acting = getattr(self.model, value.column)
        return query.filter(or_(column == org_id, and_(acting == org_id, column.in_(members))))


class ActingOrganisationFilter(BaseFilter):
    """FAB filter on the choices of a row's organisation: the own one and those the user acts for now."""

    name = "Eigen organisatie en namens"
    arg_name = None

    def apply(self, query, value):
        if sees_all_organisations():
            return query
        org_id = current_organisation_id()
        if org_id is None:
            return query.filter(false())
        return query.filter(self.model.id.in_({org_id} | value.ids_for(org_id)))


class MemberFilter(BaseFilter):
    """FAB filter on users: only active members of the current user's organisation (all for global roles)."""

    name = "Leden van eigen organisatie"
    arg_name = None

    def apply(self, query, value):
        if sees_all_organisations():
            return query
        org_id = current_organisation_id()
        return query.filter(self.model.memberships.any(and_(
            Membership.organisation_id == (org_id if org_id is not None else NO_ORGANISATION),
            Membership.active.is_(True),
        )))


class SharedRelationFilter(BaseFilter):
    """FAB filter on a shared relation's choices: rows matching the relation's rule.

    Its value is the zero-argument callable from ``shared_relations``.
    """

    name = "Toegestane keuzes"
    arg_name = None

    def apply(self, query, value):
        return query.filter(value())


def related_filter_of(model) -> tuple[str, type[BaseFilter]] | None:
    """How choices of ``model`` in a related field are limited to the user's organisation.

    Organisations: the own one; users: members of the own organisation; other
    organisation-owned models: rows of the own organisation. None: not owned.
    """
    table = getattr(model, "__tablename__", None)
    if table == "organisation":
        return "id", TenantFilter
    if table == "ab_user":
        return "id", MemberFilter
    column = tenant_column_of(model)
    return (column, TenantFilter) if column else None


class TenantMixin:
    """Shared tenancy logic for TenantModelView and TenantModelRestApi."""

    #: Column on the view's model that names the owning organisation.
    tenant_column: str = "organisation_id"

    #: Relations whose choices follow a rule of their own instead of "own organisation":
    #: relationship name -> zero-argument callable giving an SQL condition on the related
    #: model (see the module docstring).
    shared_relations: dict = {}

    #: Relation whose organisation a new or edited row takes: a parent row ("package") or
    #: the organisation chosen in the form ("organisation"). None: the row has no parent.
    tenant_parent: str | None = None

    #: Rows the user's organisation keeps for other organisations (see the module docstring),
    #: or None: only own rows.
    acting_for: ActingFor | None = None

    # FAB's names for the filters on related-field choices: ModelView, then ModelRestApi.
    REL_FILTER_ATTRS = ("add_form_query_rel_fields", "edit_form_query_rel_fields", "search_form_query_rel_fields",
                        "add_query_rel_fields", "edit_query_rel_fields")

    def _install_tenant_filters(self) -> None:
        model = self.datamodel.obj
        if self.tenant_parent is not None and self.tenant_parent not in sa_inspect(model).relationships:
            raise ValueError(f"{type(self).__name__}.tenant_parent: {model.__name__} has no relationship "
                             f"{self.tenant_parent!r}")
        if self.acting_for is not None and self.acting_for.column not in sa_inspect(model).columns:
            raise ValueError(f"{type(self).__name__}.acting_for: {model.__name__} has no column "
                             f"{self.acting_for.column!r}")
        base = list(self.base_filters or [])
        if self.acting_for is not None:
            base.insert(0, [self.tenant_column, ActingForFilter, self.acting_for])
        else:
            base.insert(0, [self.tenant_column, TenantFilter, None])
        self.base_filters = base
        for attr in self.REL_FILTER_ATTRS:
            if not hasattr(self, attr):
                continue
            rel_filters = {k: list(v) for k, v in (getattr(self, attr) or {}).items()}
            for rel in sa_inspect(model).relationships:
                if rel.key in self.shared_relations:
                    pk = sa_inspect(rel.mapper.class_).primary_key[0].key
                    rel_filters.setdefault(rel.key, []).insert(
                        0, [pk, SharedRelationFilter, self.shared_relations[rel.key]])
                    continue
                if self.acting_for is not None and self._relation_kind(rel) == "tenant" \
                        and getattr(rel.mapper.class_, "__tablename__", None) == "organisation":
                    rel_filters.setdefault(rel.key, []).insert(0, ["id", ActingOrganisationFilter,
                                                                   self.acting_for])
                    continue
                owned = related_filter_of(rel.mapper.class_)
                if owned:
                    rel_filters.setdefault(rel.key, []).insert(0, [owned[0], owned[1], None])
            setattr(self, attr, rel_filters)

    def _relation_kind(self, rel) -> str | None:
        """"tenant" for the relation over the tenant column, "acting" for the acting column's, else None."""
        names = {c.key for c in rel.local_columns}
        if self.tenant_column in names:
            return "tenant"
        if self.acting_for is not None and self.acting_for.column in names:
            return "acting"
        return None

    # --- checks on a single row -----------------------------------------
    def _owner_id(self, item):
        return getattr(item, self.tenant_column)

    def check_shared_related(self, item) -> None:
        """Every row newly chosen in a shared relation must match that relation's rule."""
        state = sa_inspect(item)
        for key, condition in self.shared_relations.items():
            added = [t for t in state.attrs[key].history.added or [] if t is not None]
            if not added:
                continue
            model = type(added[0])
            pk = sa_inspect(model).primary_key[0]
            ids = {sa_inspect(t).identity[0] if sa_inspect(t).identity else None for t in added}
            if None in ids:  # a row that is not stored yet cannot match a stored rule
                raise TenantViolation("U kunt alleen gegevens van uw eigen organisatie kiezen.")
            with db.session.no_autoflush:
                allowed = set(db.session.scalars(select(pk).where(pk.in_(ids), condition())))
            if ids - allowed:
                raise TenantViolation("U kunt alleen gegevens van uw eigen organisatie kiezen.")

    def check_related(self, item) -> None:
        """Every organisation-owned object (or user) ``item`` points at must be the user's own.

        Shared relations follow their own rule instead (``check_shared_related``).
        """
        self.check_shared_related(item)
        if sees_all_organisations():
            return
        org_id = current_organisation_id()
        acting_ids = self.acting_for.ids_for(org_id) if self.acting_for is not None else frozenset()
        for rel in sa_inspect(type(item)).relationships:
            if rel.key in self.shared_relations:
                continue
            kind = self._relation_kind(rel) if self.acting_for is not None else None
            if kind == "acting":
                continue  # set by the tenancy checks themselves, never chosen
            target_model = rel.mapper.class_
            owned = related_filter_of(target_model)
            if not owned:
                continue
            if owned[1] is MemberFilter:
                # Users: only a newly chosen one must be a member (a row may keep its creator).
                targets = sa_inspect(item).attrs[rel.key].history.added or []
            else:
                value = getattr(item, rel.key)
                targets = value if isinstance(value, (list, set, tuple)) else [value]
            for target in targets:
                if target is None:
                    continue
                if owned[1] is MemberFilter:
                    # (not counting ``item`` itself when it is the membership being changed)
                    mine = any(m is not item and m.active and m.organisation_id == org_id
                               for m in target.memberships)
                else:
                    mine = getattr(target, owned[0]) == org_id or (
                        kind == "tenant" and getattr(target, owned[0]) in acting_ids)
                if not mine:
                    raise TenantViolation("U kunt alleen gegevens van uw eigen organisatie kiezen.")

    def follow_parent(self, item) -> None:
        """Give ``item`` the organisation of its ``tenant_parent`` (when it has one)."""
        if self.tenant_parent is None or self.tenant_column == "id":
            return
        parent = getattr(item, self.tenant_parent, None)
        owned = related_filter_of(type(parent)) if parent is not None else None
        if owned is None or owned[1] is not TenantFilter:
            return
        parent_org = getattr(parent, owned[0])
        if parent_org is not None and parent_org != self._owner_id(item):
            setattr(item, self.tenant_column, parent_org)

    def tenant_pre_add(self, item) -> None:
        self.follow_parent(item)
        if sees_all_organisations():
            if self.tenant_column != "id" and self._owner_id(item) is None:
                raise TenantViolation("Kies de organisatie waar dit bij hoort.")
            self.check_shared_related(item)
            return
        org_id = current_organisation_id()
        if org_id is None:
            raise TenantViolation("U hoort niet bij een organisatie en kunt hier niets toevoegen.")
        submitted = self._owner_id(item)
        if self.acting_for is not None and submitted not in (None, org_id) \
                and submitted in self.acting_for.ids_for(org_id):
            setattr(item, self.acting_for.column, org_id)  # kept for a member, registered by us
            self.check_related(item)
            return
        if submitted not in (None, org_id):
            raise TenantViolation()
        if self.tenant_column != "id":
            setattr(item, self.tenant_column, org_id)
        if self.acting_for is not None:
            setattr(item, self.acting_for.column, None)
        self.check_related(item)

    def tenant_pre_update(self, item) -> None:
        self.follow_parent(item)
        if sees_all_organisations():
            self.check_shared_related(item)
            return
        org_id = current_organisation_id()
        history = sa_inspect(item).attrs[self.tenant_column].history
        original = history.deleted[0] if history.deleted else self._owner_id(item)
        if self._owner_id(item) != original:
            raise TenantViolation()
        if self.acting_for is not None:
            acting = sa_inspect(item).attrs[self.acting_for.column].history
            if acting.deleted or (acting.added and acting.added != [None]):
                raise TenantViolation()  # who registered a row is never changed by a user
        if original != org_id and not self._acts_for(item, original, org_id):
            raise TenantViolation()
        self.check_related(item)

    def tenant_pre_delete(self, item) -> None:
        if sees_all_organisations():
            return
        org_id = current_organisation_id()
        if self._owner_id(item) != org_id and not self._acts_for(item, self._owner_id(item), org_id):
            raise TenantViolation()

    def _acts_for(self, item, owner_id, org_id) -> bool:
        """Whether ``org_id`` registered ``item`` for ``owner_id`` and may act for it now."""
        if self.acting_for is None or org_id is None:
            return False
        acting = sa_inspect(item).attrs[self.acting_for.column].history
        registered_by = acting.deleted[0] if acting.deleted else getattr(item, self.acting_for.column)
        return registered_by == org_id and owner_id in self.acting_for.ids_for(org_id)

    def get_tenant_item(self, pk):
        """The row with ``pk`` if it is visible to the user, else None."""
        return self.datamodel.get(pk, self._base_filters)


class TenantModelView(TenantMixin, ParentPageMixin, ModelView):
    """ModelView for organisation-owned data. Override ``pre_*`` hooks with super().

    Every save, delete and refusal returns to the row's parent page (``core.parents``),
    never to FAB's page history. FAB's ``download`` route (files from UPLOAD_FOLDER,
    unchecked) does not exist here: files are served by ``core.files`` with their access checks.
    """

    exclude_route_methods = {"download"}
    add_row_message = RowMessage("De gegevens zijn toegevoegd.")
    edit_row_message = RowMessage("De wijzigingen zijn opgeslagen.")
    delete_row_message = RowMessage("De gegevens zijn verwijderd.")

    def __init__(self, **kwargs):
        self._install_tenant_filters()
        super().__init__(**kwargs)

    def pre_add(self, item):
        self.tenant_pre_add(item)
        self.remember_saved(item)

    def pre_update(self, item):
        self.tenant_pre_update(item)
        self.remember_saved(item)

    def pre_delete(self, item):
        self.tenant_pre_delete(item)
        self.remember_saved(item, deleting=True)

    def may_see_parent(self, row) -> bool:
        """A parent row named on a page must be the user's own (or one it acts for)."""
        if sees_all_organisations():
            return True
        owned = related_filter_of(type(row))
        if owned is None:
            return True
        if owned[1] is not TenantFilter:
            return False
        org_id = current_organisation_id()
        owner = getattr(row, owned[0])
        acting = self.acting_for.ids_for(org_id) if self.acting_for is not None else frozenset()
        return org_id is not None and (owner == org_id or owner in acting)

    def _refused(self, message: str, category: str = "danger"):
        flash(message, category)
        return redirect(self.return_url())

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name, pk):
        """A single-row action, on a row the user may see, never over GET."""
        if not self.is_get_mutation_allowed() or request.method == "GET":
            return self._refused("Deze actie kan alleen via een formulier worden uitgevoerd.")
        if name not in self.actions:
            return self._refused("Onbekende actie.")
        permission_name = self.get_action_permission_name(name)
        if not self.appbuilder.sm.has_access(permission_name, self.class_permission_name):
            return self._refused("U heeft geen rechten voor deze actie.")
        item = self.get_tenant_item(self._deserialize_pk_if_composite(pk))
        if item is None:
            return self._refused("Dit item bestaat niet of u heeft er geen toegang toe.")
        return self.actions[name].func(item)

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        """A bulk action over the selected rows the user may see; others are ignored."""
        name = request.form.get("action", "")
        if name not in self.actions:
            return self._refused("Onbekende actie.")
        permission_name = self.get_action_permission_name(name)
        if not self.appbuilder.sm.has_access(permission_name, self.class_permission_name):
            return self._refused("U heeft geen rechten voor deze actie.")
        items = []
        for pk in request.form.getlist("rowid"):
            item = self.get_tenant_item(self._deserialize_pk_if_composite(pk))
            if item is not None:
                items.append(item)
        if not items:
            return self._refused("Geen geldige rijen geselecteerd.", "warning")
        return self.actions[name].func(items)


class TenantModelRestApi(SafeQueryMixin, TenantMixin, ModelRestApi):
    """ModelRestApi for organisation-owned data (JWT only: no browser-cookie CSRF path)."""

    allow_browser_login = False

    def __init__(self):
        self._install_tenant_filters()
        super().__init__()

    def pre_add(self, item):
        self.tenant_pre_add(item)

    def pre_update(self, item):
        self.tenant_pre_update(item)

    def pre_delete(self, item):
        self.tenant_pre_delete(item)


__all__ = [
    "ActingFor",
    "TenantFilter",
    "TenantModelRestApi",
    "TenantModelView",
    "TenantViolation",
    "current_organisation_id",
    "current_user",
    "has_access",
    "sees_all_organisations",
]
