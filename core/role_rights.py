"""The rights of the roles in plain Dutch, and which of them the Functioneel beheerder may change.

A right is one FAB (permission, view menu) pair. The code's grants (``role_permissions``
hook, ``core.roles_sync.collect_grants``) are the defaults; the Functioneel beheerder
changes them per role on "Rollen en rechten" (``core.builtin.roles_admin``), stored as
``RoleGrantOverride`` rows that ``core.roles_sync.sync_roles`` applies on top of the
defaults at every sync.

``catalogue(appbuilder)`` lists every right the registered pages, APIs and menu items
have, each with a Dutch label and the functionality (plugin) it belongs to:

- the functionality is taken from the module of the page's class: a plugin's
  ``hooks`` module docstring names it ("F004 Aanbod: ..." gives "Aanbod (F004)"),
  core's builtins are named in ``CORE_GROUPS``;
- the subject is the page's ``rights_label`` when it declares one, else its own
  ``list_title`` (not FAB's English default), its menu label, or the last part of its
  (Dutch) route; an API takes the subject of the page on the same model;
- the verb comes from ``PERMISSION_LABELS``; a permission that runs actions of the
  page names those actions by their (Dutch) text.

``changeable(role, right, defaults)`` is the guard: what no grant may break.

- The Functioneel beheerder is FAB's admin role and holds every right; it is not
  changeable at all (so nobody can take away its rights on this page or on user
  management).
- A right on a page that only the Functioneel beheerder holds by default (admin and
  approval pages, the audit log, this page) is given to no other role.
- A role of an organisation may only get rights on pages that are tenancy-protected
  (``core.tenancy.TenantMixin``: its users see and change only their own
  organisation's rows, whatever they are granted) or that some organisation role or the
  Bezoeker holds by default anyway.
- A role without organisation (the Bezoeker: anybody not logged in) only gets rights
  on pages it holds some right on by default.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass

from core.roles import FUNCTIONEEL_BEHEERDER, all_roles
from core.tenancy import TenantMixin

Pair = tuple[str, str]

MENU_GROUP = "Menu"

#: Dutch verbs of FAB's and this project's permission names.
PERMISSION_LABELS = {
    "can_list": "lijst bekijken",
    "can_show": "details bekijken",
    "can_add": "toevoegen",
    "can_edit": "wijzigen",
    "can_delete": "verwijderen",
    "can_get": "opvragen",
    "can_info": "formuliergegevens opvragen",
    "can_post": "toevoegen",
    "can_put": "wijzigen",
    "can_manage": "beheren",
    "can_decide": "beoordelen",
    "can_accept": "accepteren",
    "can_decline": "weigeren",
    "can_reject": "afwijzen",
    "can_approve": "goedkeuren",
    "can_withdraw": "intrekken",
    "can_end": "beëindigen",
    "can_export": "exporteren",
    "can_import": "importeren",
    "can_ask": "aanvragen",
    "can_publish": "publiceren",
    "can_unpublish": "terugzetten naar concept, met een reden",
    "can_merge": "samenvoegen",
    "can_download": "downloaden",
    "can_read": "lezen",
    "can_write": "wijzigen",
    "can_this_form_get": "formulier openen",
    "can_this_form_post": "formulier versturen",
    "menu_access": "in het menu zien",
}

#: Functionality names of core's own pages, by module.
CORE_GROUPS = {
    "core.builtin.organisations": "Organisaties",
    "core.builtin.audit": "Auditlog",
    "core.builtin.gemma": "GEMMA-referentiedata",
    "core.builtin.files": "Bestanden",
    "core.builtin.welcome": "Startpagina",
    "core.builtin.twofactor": "Twee-factorauthenticatie",
    "core.builtin.active_organisation": "Wisselen van organisatie",
    "core.builtin.roles_admin": "Rollen en rechten",
    "core.security": "Inloggen",
    "flask_appbuilder.api.manager": "API-documentatie",
    "flask_appbuilder.menu": MENU_GROUP,
}

#: Dutch subjects of pages and APIs that cannot say it themselves (FAB's own), by view menu.
SUBJECTS = {
    "OpenApi": "OpenAPI-specificatie",
    "SwaggerView": "API-documentatie (Swagger)",
    "MenuApi": "Menu (API)",
}

_PLUGIN_NAME = re.compile(r"\bF(\d{3}) ([A-Z][\w\- ]*?)(?:[:(,.]|$)")


@dataclass(frozen=True)
class Right:
    permission: str
    view_menu: str
    group: str
    subject: str
    verb: str
    tenant: bool = False  # on a tenancy-protected page or API

    @property
    def pair(self) -> Pair:
        return (self.permission, self.view_menu)

    @property
    def label(self) -> str:
        return f"{self.subject}: {self.verb}"

    @property
    def key(self) -> str:
        """The form value of this right."""
        return f"{self.permission}|{self.view_menu}"


def _own_attr(cls, name: str):
    """``name`` as set on ``cls`` or a base class of this project (never FAB's defaults)."""
    for klass in cls.__mro__:
        if klass.__module__.startswith("flask_appbuilder"):
            return None
        if klass.__dict__.get(name):
            return klass.__dict__[name]
    return None


def group_of(cls) -> str:
    """The Dutch name of the functionality the class belongs to."""
    module = cls.__module__
    for prefix, name in CORE_GROUPS.items():
        if module == prefix or module.startswith(prefix + "."):
            return name
    parts = module.split(".")
    if parts[0] == "plugins" and len(parts) > 1:
        package = ".".join(parts[:2])
        hooks = sys.modules.get(package + ".hooks") or sys.modules.get(package)
        match = _PLUGIN_NAME.search((getattr(hooks, "__doc__", None) or "").splitlines()[0] if hooks else "")
        if match:
            return f"{match.group(2).strip()} (F{match.group(1)})"
        return parts[1].split("_", 1)[-1].replace("_", " ").capitalize()
    if parts[0] == "core":
        return "Basis"
    return "Overig"


def _readable(text: str) -> str:
    return text.strip("/").split("/")[-1].replace("-", " ").replace("_", " ").strip().capitalize()


def _menu_labels(appbuilder) -> tuple[dict[str, str], dict[str, object]]:
    """Menu item name -> label, and menu item name -> its page (for items of a page)."""
    labels, pages = {}, {}

    def walk(items):
        for item in items:
            if item.name == "-":
                continue
            labels[item.name] = str(item.label or item.name)
            if item.baseview is not None:
                pages[item.name] = item.baseview
            walk(item.childs or [])

    walk(appbuilder.menu.get_list())
    return labels, pages


def _subject(view, menu_label_of_page: dict[int, str], model_subjects: dict) -> str:
    cls = type(view)
    label = (_own_attr(cls, "rights_label") or SUBJECTS.get(view.class_permission_name or cls.__name__)
             or _own_attr(cls, "list_title"))
    if label:
        return str(label)
    if id(view) in menu_label_of_page:
        return menu_label_of_page[id(view)]
    model = getattr(getattr(view, "datamodel", None), "obj", None)
    if model is not None and model in model_subjects:
        return model_subjects[model]
    if getattr(view, "resource_name", None):
        return f"API {_readable(view.resource_name)}"
    if getattr(view, "route_base", None):
        return _readable(view.route_base)
    return _readable(cls.__name__)


def _verb(view, permission: str) -> str:
    verb = PERMISSION_LABELS.get(permission) or permission.removeprefix("can_").replace("_", " ")
    mapping = getattr(view, "method_permission_name", None) or {}
    actions = getattr(view, "actions", None) or {}
    texts = [str(item.text) for name, item in sorted(actions.items())
             if "can_" + mapping.get(name, name) == permission or mapping.get(name, name) == permission]
    if texts and "api" not in type(view).__name__.lower():
        verb += f" ({', '.join(texts)})"
    return verb


def catalogue(appbuilder) -> dict[Pair, Right]:
    """Every right of the app's pages, APIs and menu items, with Dutch labels."""
    labels, pages = _menu_labels(appbuilder)
    menu_label_of_page = {id(page): labels[name] for name, page in pages.items()}
    views = [v for v in appbuilder.baseviews if getattr(v, "base_permissions", None)]
    model_subjects = {}
    for view in views:  # pages first: an API on the same model takes the page's subject
        model = getattr(getattr(view, "datamodel", None), "obj", None)
        if model is not None and not getattr(view, "resource_name", None):
            model_subjects.setdefault(model, _subject(view, menu_label_of_page, {}))
    model_subjects = {model: f"{subject} (API)" for model, subject in model_subjects.items()}
    subjects = {id(view): _subject(view, menu_label_of_page, model_subjects) for view in views}
    taken = defaultdict(set)
    for view in views:
        taken[subjects[id(view)]].add(view.class_permission_name or type(view).__name__)
    for view in views:  # two APIs on one model: tell them apart by their (Dutch) address
        if len(taken[subjects[id(view)]]) > 1 and getattr(view, "resource_name", None):
            subjects[id(view)] = f"{subjects[id(view)]}: /{view.resource_name}"
    rights: dict[Pair, Right] = {}
    for view in views:
        view_menu = view.class_permission_name or type(view).__name__
        subject = subjects[id(view)]
        group = group_of(type(view))
        tenant = isinstance(view, TenantMixin)
        for permission in view.base_permissions:
            rights[(permission, view_menu)] = Right(permission, view_menu, group, subject, _verb(view, permission),
                                                    tenant)
    for name, label in labels.items():
        page = pages.get(name)
        if page is not None:
            group, subject = group_of(type(page)), f"Menu-item ‘{label}’"
        else:
            group, subject = MENU_GROUP, f"Menukop ‘{label}’"
        rights.setdefault(("menu_access", name), Right("menu_access", name, group, subject,
                                                       PERMISSION_LABELS["menu_access"]))
    return rights


def changeable(role_name: str, right: Right | None, defaults: dict[str, set[Pair]]) -> str | None:
    """Why ``role_name`` may not be given (or lose) ``right``; None when it may."""
    if role_name == FUNCTIONEEL_BEHEERDER:
        return ("De Functioneel beheerder heeft altijd alle rechten; die kunt u niet wijzigen, "
                "ook niet de rechten op deze pagina en op het gebruikersbeheer.")
    if right is None:
        return "Dit recht bestaat niet (meer)."
    spec = all_roles().get(role_name)
    if spec is None:
        return "Deze rol bestaat niet."
    others = {vm for name, pairs in defaults.items() if name != FUNCTIONEEL_BEHEERDER for _p, vm in pairs}
    if right.view_menu not in others:
        return (f"‘{right.label}’ is alleen voor de Functioneel beheerder; "
                "dat recht kunt u geen andere rol geven.")
    if spec.sees_all_organisations:
        return None
    if not spec.organisation_types:
        own = {vm for _p, vm in defaults.get(role_name, ())}
        return None if right.view_menu in own else (
            f"‘{right.label}’ kunt u een rol zonder organisatie (zoals de Bezoeker) niet geven.")
    organisation_safe = {vm for name, pairs in defaults.items() if name in _organisation_or_public_roles()
                         for _p, vm in pairs}
    if right.tenant or right.view_menu in organisation_safe:
        return None
    return (f"‘{right.label}’ gaat over gegevens van alle organisaties; dat recht kunt u een rol van "
            "een organisatie niet geven.")


def _organisation_or_public_roles() -> set[str]:
    return {spec.name for spec in all_roles().values() if not spec.sees_all_organisations}


def effective_overrides(rights: dict[Pair, Right], defaults: dict[str, set[Pair]], overrides) -> dict[str, dict]:
    """The overrides that apply, per role: {role: {pair: granted}}; those the guard refuses now are left out."""
    result: dict[str, dict[Pair, bool]] = {}
    for row in overrides:
        pair = (row.permission, row.view_menu)
        if changeable(row.role_name, rights.get(pair), defaults) is None:
            result.setdefault(row.role_name, {})[pair] = bool(row.granted)
    return result
