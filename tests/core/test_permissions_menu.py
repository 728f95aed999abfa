"""core.permissions derives grants from view classes as FAB does; core.menu gives each category one icon."""

from __future__ import annotations

import pytest
from flask_appbuilder import BaseView, expose, has_access

from core.menu import CATEGORY_ICONS, in_category
from core.permissions import crud, menu, permissions_of, read, view_menu_of


def test_permissions_of_every_registered_view_and_api_are_what_fab_registered(make_app):
    app = make_app()
    views = app.appbuilder.baseviews
    assert len(views) > 30
    for view in views:
        assert view_menu_of(type(view)) == view.class_permission_name, type(view).__name__
        assert permissions_of(type(view)) == set(view.base_permissions), type(view).__name__


class _Probe(BaseView):
    route_base = "/probe"
    class_permission_name = "Probe"
    method_permission_name = {"overview": "list", "detail": "show", "change": "edit"}
    exclude_route_methods = {"gone"}

    @expose("/")
    @has_access
    def overview(self):
        return ""

    @expose("/<pk>")
    @has_access
    def detail(self, pk):
        return ""

    @expose("/<pk>/edit")
    @has_access
    def change(self, pk):
        return ""

    @expose("/gone")
    @has_access
    def gone(self):
        return ""


def test_crud_read_and_menu():
    assert crud(_Probe) == [("can_edit", "Probe"), ("can_list", "Probe"), ("can_show", "Probe")]
    assert crud(_Probe, without={"can_edit"}) == [("can_list", "Probe"), ("can_show", "Probe")]
    assert read(_Probe) == [("can_list", "Probe"), ("can_show", "Probe")]
    assert crud(None) == [] and menu("A", "B") == [("menu_access", "A"), ("menu_access", "B")]


def test_every_category_in_the_menu_has_its_declared_icon(make_app):
    app = make_app()
    with app.app_context():
        categories = {item.name: item.icon for item in app.appbuilder.menu.get_list() if item.childs}
    assert "Security" not in categories  # (FAB's own security pages are not registered)
    assert categories == CATEGORY_ICONS


def test_an_undeclared_category_is_refused():
    assert in_category("Beheer") == {"category": "Beheer", "category_label": "Beheer", "category_icon": "fa-cogs"}
    with pytest.raises(KeyError, match="core.menu.CATEGORY_ICONS"):
        in_category("Nieuw")
