"""FAB's own security pages (users, roles, groups, permissions), made robust.

FAB's ``action`` and ``action_post`` look an action up by the name in the URL or form
and crash when it does not exist (also for visitors, before any permission check), and
its ``download`` route serves from an UPLOAD_FOLDER this project does not use. The
subclasses keep FAB's class names, so endpoints and permissions stay the same.
"""

from __future__ import annotations

from flask import abort, request
from flask_appbuilder import expose
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.security import views as fab_views
from flask_appbuilder.validators import PasswordComplexityValidator
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo


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


class _RuleText:
    """The password rule as a field description, read when the page is drawn (it follows the config)."""

    def __str__(self) -> str:
        from core.passwords import rule_text

        return rule_text()

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


class PasswordForm(DynamicForm):
    """FAB's password form in Dutch, with the one password rule (core.passwords, FAB's complexity validator)."""

    password = PasswordField("Nieuw wachtwoord", description=_RuleText(), widget=BS3PasswordFieldWidget(),
                             validators=[DataRequired("Kies een wachtwoord."), PasswordComplexityValidator()])
    conf_password = PasswordField("Herhaal het nieuwe wachtwoord", widget=BS3PasswordFieldWidget(),
                                  validators=[EqualTo("password", message="De twee wachtwoorden zijn niet gelijk.")])


class ResetMyPasswordView(fab_views.ResetMyPasswordView):
    """Change the own password: the rule under the field, counted live (scg/password_form.html)."""

    form = PasswordForm
    form_template = "scg/password_form.html"
    form_title = "Wachtwoord wijzigen"
    message = "Uw wachtwoord is gewijzigd."


class ResetPasswordView(fab_views.ResetPasswordView):
    """The Functioneel beheerder sets someone's password: the same rule and page."""

    form = PasswordForm
    form_template = "scg/password_form.html"
    form_title = "Wachtwoord instellen"
    message = "Het wachtwoord is gewijzigd."
