"""Grants for ``role_permissions``, derived from the view and API classes.

A plugin grants a role the permissions of its pages and APIs as (permission,
view_menu) tuples. Writing those by hand repeats what FAB already knows from the
classes; these helpers compute them the way FAB does when it registers a class:

- the view menu is ``class_permission_name`` (else the class name);
- the permissions are ``base_permissions`` when the class declares them, else one
  per exposed method that is routed (``include_route_methods`` /
  ``exclude_route_methods``), named by ``method_permission_name`` or the method's
  own permission name; a page adds one per action.

::

    from core.permissions import crud, menu, read

    def role_permissions():
        from plugins.f005_diensten.api import ServiceApi
        from plugins.f005_diensten.views import ServiceView

        return {AANBOD_BEHEERDER: crud(ServiceView, ServiceApi) + menu("Mijn diensten", "Mijn aanbod"),
                VNG_RAADPLEGER: read(ServiceView, ServiceApi) + menu("Mijn diensten", "Mijn aanbod")}

``crud`` grants everything the classes offer (so a new exposed method or action of
the class is granted too; leave one out with ``without={"can_unpublish"}``), ``read``
only listing and showing (``can_list``, ``can_show``) and the API's reads
(``can_get``, ``can_info``). ``tests/core/test_role_grants.py`` compares every role's
synced permissions with a stored snapshot, so a grant that changes shows in review.
"""

from __future__ import annotations

from flask_appbuilder.api import BaseApi
from flask_appbuilder.const import PERMISSION_PREFIX

Grant = tuple[str, str]

#: The permissions ``read`` keeps: list and show pages, API get and _info.
READ_PERMISSIONS = frozenset({"can_list", "can_show", "can_get", "can_info"})


def view_menu_of(cls) -> str:
    """The view menu FAB files the permissions of ``cls`` under."""
    return cls.class_permission_name or cls.__name__


def _method_permission(cls, attr_name: str, attr) -> str:
    mapping = cls.method_permission_name or {}
    if issubclass(cls, BaseApi) and mapping:
        return mapping.get(attr_name, attr_name)  # (FAB's BaseApi.get_method_permission)
    return mapping.get(attr_name) or attr._permission_name


def permissions_of(cls) -> set[str]:
    """The permission names FAB registers for the view or API class ``cls``."""
    if cls.base_permissions is not None:
        names = set(cls.base_permissions)
    else:
        names = set()
        for attr_name in dir(cls):
            if cls.include_route_methods is not None and attr_name not in cls.include_route_methods:
                continue
            if attr_name in (cls.exclude_route_methods or ()):
                continue
            attr = getattr(cls, attr_name, None)
            if hasattr(attr, "_permission_name"):
                names.add(PERMISSION_PREFIX + _method_permission(cls, attr_name, attr))
    for attr_name in dir(cls):  # actions of a page (FAB's BaseCRUDView.__init__)
        attr = getattr(cls, attr_name, None)
        if hasattr(attr, "_action"):
            mapped = (cls.method_permission_name or {}).get(attr_name)
            names.add(PERMISSION_PREFIX + mapped if mapped else attr._action[0])
    return names


def crud(*classes, without=()) -> list[Grant]:
    """Every permission of the given view and API classes (None is skipped), except those ``without``."""
    return [(name, view_menu_of(cls)) for cls in classes if cls is not None
            for name in sorted(permissions_of(cls)) if name not in without]


def read(*classes) -> list[Grant]:
    """The list, show, API get and _info permissions of the given classes (None is skipped)."""
    return [(name, view_menu) for name, view_menu in crud(*classes) if name in READ_PERMISSIONS]


def menu(*names: str) -> list[Grant]:
    """Access to the given menu items and categories."""
    return [("menu_access", name) for name in names]
