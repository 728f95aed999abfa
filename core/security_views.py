"""FAB's own security pages (users, roles, groups, permissions), made robust.

FAB's ``action`` and ``action_post`` look an action up by the name in the URL or form
and crash when it does not exist (also for visitors, before any permission check), and
its ``download`` route serves from an UPLOAD_FOLDER this project does not use. The
subclasses keep FAB's class names, so endpoints and permissions stay the same.
"""

from __future__ import annotations

from flask import abort, request
from flask_appbuilder import expose
from flask_appbuilder.security import views as fab_views


class SafeActions:
    """Unknown action names are a 404, not a server error; there is no download route."""

    exclude_route_methods = {"download"}

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name, pk):
        if name not in self.actions:
            abort(404)
        return super().action(name, pk)

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        if request.form.get("action") not in self.actions:
            abort(404)
        return super().action_post()


class UserDBModelView(SafeActions, fab_views.UserDBModelView):
    pass


class RoleModelView(SafeActions, fab_views.RoleModelView):
    pass


class UserGroupModelView(SafeActions, fab_views.UserGroupModelView):
    pass


class PermissionModelView(SafeActions, fab_views.PermissionModelView):
    pass


class ViewMenuModelView(SafeActions, fab_views.ViewMenuModelView):
    pass


class PermissionViewModelView(SafeActions, fab_views.PermissionViewModelView):
    pass
