""""Rollen en rechten": the Functioneel beheerder sees and changes per role what it may, in Dutch.

The code's grants are the defaults; a change is a ``RoleGrantOverride`` (``core.role_rights``,
``core.roles_sync``), applied at once and at every later sync, recorded in the audit log
("recht_gewijzigd", "rechten_standaard"). The guard of ``core.role_rights.changeable``
decides what may change; tenancy filters stay in force whatever a role is granted.
Only the Functioneel beheerder holds this page's permissions (FAB's admin role); the
guard gives them to no other role.
"""

from __future__ import annotations

from collections import defaultdict

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_wtf import FlaskForm

from core import audit, role_rights
from core.extensions import db
from core.formatting import local_time
from core.menu import BEHEER, in_category
from core.models import RoleGrantOverride, ScgUser
from core.plugins import hookimpl
from core.roles import FUNCTIONEEL_BEHEERDER, all_roles
from core.roles_sync import collect_grants, sync_roles, wanted_grants

#: Order of the verbs within a subject: reading first, then changing.
VERB_ORDER = ["menu_access", "can_list", "can_show", "can_get", "can_info", "can_add", "can_post", "can_edit",
              "can_put", "can_delete"]


class CsrfForm(FlaskForm):
    """Only the CSRF token: the rights are the form's checkboxes (``recht``)."""


def _sort_key(right: role_rights.Right):
    order = VERB_ORDER.index(right.permission) if right.permission in VERB_ORDER else len(VERB_ORDER)
    return (right.subject.lower(), order, right.verb)


class RoleRightsView(BaseView):
    route_base = "/beheer/rollen"
    default_view = "index"
    class_permission_name = "RoleRights"
    base_permissions = ["can_list", "can_edit"]
    method_permission_name = {"index": "list", "role": "list", "save": "edit", "reset": "edit"}
    rights_label = "Rollen en rechten"

    # --- helpers ---------------------------------------------------------------
    def _state(self):
        pm = current_app.extensions["scg_plugins"]
        return role_rights.catalogue(self.appbuilder), collect_grants(pm), wanted_grants(self.appbuilder, pm)

    @staticmethod
    def _spec_or_404(name: str):
        spec = all_roles().get(name)
        if spec is None:
            abort(404)
        return spec

    def _back(self, name: str):
        return redirect(url_for(".role", name=name))

    def _sync(self):
        sync_roles(self.appbuilder, current_app.extensions["scg_plugins"])

    # --- pages -----------------------------------------------------------------
    @expose("/", methods=["GET"])
    @has_access
    def index(self):
        _rights, defaults, wanted = self._state()
        changed = defaultdict(int)
        for row in db.session.query(RoleGrantOverride):
            changed[row.role_name] += 1
        roles = [{"spec": spec, "count": len(wanted.get(spec.name, ())), "changed": changed.get(spec.name, 0),
                  "admin": spec.name == FUNCTIONEEL_BEHEERDER} for spec in all_roles().values()]
        return self.render_template("scg/roles.html", roles=roles, title="Rollen en rechten")

    @expose("/<string:name>", methods=["GET"])
    @has_access
    def role(self, name):
        spec = self._spec_or_404(name)
        rights, defaults, wanted = self._state()
        held = wanted.get(name, set())
        overrides = {(row.permission, row.view_menu): row
                     for row in db.session.query(RoleGrantOverride).filter_by(role_name=name)}
        users = {u.id: u for u in db.session.query(ScgUser).filter(
            ScgUser.id.in_({row.changed_by_id for row in overrides.values() if row.changed_by_id}))}
        groups = defaultdict(list)
        admin = name == FUNCTIONEEL_BEHEERDER
        for right in rights.values():
            can_change = not admin and role_rights.changeable(name, right, defaults) is None
            has = admin or right.pair in held
            if not can_change and not has:
                continue  # rights this role can never get are not shown
            row = overrides.get(right.pair)
            changed = None
            if row is not None and has != (right.pair in defaults.get(name, set())):
                who = users.get(row.changed_by_id)
                changed = f"{who.get_full_name() if who else 'onbekend'}, {local_time(row.changed_on)}"
            groups[right.group].append({"right": right, "held": has, "changeable": can_change,
                                        "default": admin or right.pair in defaults.get(name, set()),
                                        "changed": changed})
        grouped = [(group, sorted(items, key=lambda i: _sort_key(i["right"])))
                   for group, items in sorted(groups.items(), key=lambda kv: kv[0].lower())]
        changes = (db.session.query(RoleGrantOverride).filter_by(role_name=name).count())
        return self.render_template("scg/role_rights.html", spec=spec, groups=grouped, admin=admin,
                                    form=CsrfForm(), changes=changes, title=f"Rechten van {name}")

    @expose("/<string:name>/opslaan", methods=["POST"])
    @has_access
    def save(self, name):
        self._spec_or_404(name)
        if not CsrfForm().validate_on_submit():
            flash("De pagina was verlopen. Er is niets gewijzigd; probeer het opnieuw.", "danger")
            return self._back(name)
        rights, defaults, wanted = self._state()
        if name == FUNCTIONEEL_BEHEERDER:
            flash(role_rights.changeable(name, None, defaults) + " Er is niets gewijzigd.", "danger")
            return self._back(name)
        chosen, refused = set(), []
        for key in request.form.getlist("recht"):
            pair = tuple(key.split("|", 1)) if "|" in key else None
            reason = role_rights.changeable(name, rights.get(pair), defaults)
            if reason:
                refused.append(reason)
            chosen.add(pair)
        if refused:
            flash(refused[0] + " Er is niets gewijzigd.", "danger")
            return self._back(name)
        held = wanted.get(name, set())
        changed = [right for right in rights.values()
                   if role_rights.changeable(name, right, defaults) is None and (right.pair in chosen) != (
                       right.pair in held)]
        for right in sorted(changed, key=_sort_key):
            self._store(name, right, right.pair in chosen, right.pair in defaults.get(name, set()))
        db.session.commit()
        self._sync()
        if changed:
            flash(f"{len(changed)} recht(en) van {name} gewijzigd.", "success")
        else:
            flash("Er was niets gewijzigd.", "info")
        return self._back(name)

    @staticmethod
    def _store(name: str, right, granted: bool, default: bool) -> None:
        row = (db.session.query(RoleGrantOverride)
               .filter_by(role_name=name, permission=right.permission, view_menu=right.view_menu).one_or_none())
        if granted == default:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(RoleGrantOverride(role_name=name, permission=right.permission, view_menu=right.view_menu,
                                             granted=granted, changed_by_id=g.user.id))
        else:
            row.granted, row.changed_by_id = granted, g.user.id
        audit.record(db.session, "recht_gewijzigd", object_type="Rol", object_id=name,
                     details={"rol": name, "recht": right.label, "functionaliteit": right.group,
                              "toegekend": granted, "standaard": granted == default,
                              "permission": right.permission, "view_menu": right.view_menu})

    @expose("/<string:name>/standaard", methods=["POST"])
    @has_access
    def reset(self, name):
        self._spec_or_404(name)
        if not CsrfForm().validate_on_submit():
            flash("De pagina was verlopen. Er is niets gewijzigd; probeer het opnieuw.", "danger")
            return self._back(name)
        rights = role_rights.catalogue(self.appbuilder)
        rows = db.session.query(RoleGrantOverride).filter_by(role_name=name).all()
        if not rows:
            flash(f"De rechten van {name} waren al de standaardrechten.", "info")
            return self._back(name)
        labels = []
        for row in rows:
            right = rights.get((row.permission, row.view_menu))
            labels.append(right.label if right else f"{row.permission} {row.view_menu}")
            db.session.delete(row)
        audit.record(db.session, "rechten_standaard", object_type="Rol", object_id=name,
                     details={"rol": name, "teruggezet": sorted(labels)})
        db.session.commit()
        self._sync()
        flash(f"De rechten van {name} zijn terug naar de standaard ({len(rows)} wijziging(en) ongedaan gemaakt).",
              "success")
        return self._back(name)


@hookimpl
def register_models():
    return [RoleGrantOverride]


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view(RoleRightsView, "Rollen en rechten", label="Rollen en rechten", icon="fa-key",
                        **in_category(BEHEER))
