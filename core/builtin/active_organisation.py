"""One account, several organisations: switch the organisation the user acts for.

A person who works for a samenwerking and a gemeente, or for two suppliers, has one
login and one membership per organisation, each with its own role. The user menu
shows "Actief namens: <organisatie>" and the other organisations (only for a user with
more than one active membership); choosing one posts here (CSRF-protected). Every
tenancy check reads ``user.organisation`` and every permission check ``user.roles``;
``core.accounts.switch_organisation`` makes both follow, and the choice is kept in
``ab_user.active_organisation_id``, so the next login and API tokens act for it too.

After switching the user returns to the page it came from when that is a list or
other page without an object of its own and the new role may open it; an object page
(``/show/12``, ``/edit/12``...) belongs to the previous organisation and would answer
404, and a page of the previous role 403, so the user goes to the start page instead.
A membership whose role requires two-factor authentication, switched into without it,
leads to the enrolment page (the enrolment guard would send every page there anyway).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.const import PERMISSION_PREFIX
from flask_appbuilder.utils.base import is_safe_redirect_url
from werkzeug.exceptions import HTTPException

from core import accounts
from core.extensions import db
from core.plugins import hookimpl
from core.security import requires_totp

#: A path naming one object: a number as one of its segments.
OBJECT_PATH = re.compile(r"/\d+(/|$)")


def return_path(nxt: str | None) -> str:
    """Where to go after switching: ``nxt`` when it is safe, no object page and open to the new role.

    Anything else (an object of the previous organisation, a page the new role may not open,
    another site) is the start page.
    """
    start = url_for("WelcomeView.index")
    if not nxt or not is_safe_redirect_url(nxt):
        return start
    parts = urlsplit(nxt)
    if not parts.path.startswith("/") or OBJECT_PATH.search(parts.path) or not may_open(parts.path):
        return start
    return parts.path + (f"?{parts.query}" if parts.query else "")


def may_open(path: str) -> bool:
    """Whether the current user may open the page at ``path``, by FAB's own permission of its view method."""
    try:
        endpoint, _args = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:  # no page of ours (a redirect included)
        return False
    blueprint, _, method = endpoint.partition(".")
    view = next((v for v in current_app.appbuilder.baseviews
                 if getattr(v, "blueprint", None) is not None and v.blueprint.name == blueprint), None)
    func = getattr(view, method, None) if view is not None else None
    if func is None or not hasattr(func, "_permission_name"):
        return func is not None or view is None  # not FAB-protected (e.g. a blueprint page of a plugin)
    permission = (view.method_permission_name or {}).get(method) or func._permission_name
    permission = f"{PERMISSION_PREFIX}{permission.removeprefix(PERMISSION_PREFIX)}"
    return permission in view.base_permissions and current_app.appbuilder.sm.has_access(
        permission, view.class_permission_name)


class ActiveOrganisationView(BaseView):
    route_base = "/account/organisatie"
    default_view = "switch"

    @expose("/wisselen", methods=["POST"])
    def switch(self):
        if g.user is None or not g.user.is_authenticated:
            return redirect(url_for("ScgAuthDBView.login"))
        user = g.user
        nxt = request.form.get("next") or request.referrer
        try:
            membership = accounts.switch_organisation(user, request.form.get("organisation_id"))
        except accounts.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(return_path(nxt)), 303
        db.session.commit()
        target = return_path(nxt)  # with the new role
        flash(f"U werkt nu namens {membership.organisation.name} ({membership.role_name}).", "success")
        if requires_totp(user) and not user.totp_enabled:
            flash("Voor uw rol bij deze organisatie is twee-factorauthenticatie verplicht. Stel het eerst in; "
                  "daarna kunt u verder.", "warning")
            return redirect(url_for("TwoFactorView.index", next=target)), 303
        return redirect(target), 303


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(ActiveOrganisationView())
