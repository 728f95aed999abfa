"""The extension points of the Softwarecatalogus.

Every functionality, the default ones included, is a plugin that implements
some of these hooks. A hook implementation is a function in a plugin module,
decorated with ``@hookimpl`` from ``core.plugins`` and named exactly like the
spec below; ``check_pending()`` at start makes a misspelt name fail loudly.

The docstrings are the contract. Arguments are passed by name and a hook
implementation may accept any subset of them.
"""

from pluggy import HookspecMarker

hookspec = HookspecMarker("softwarecatalogus")


@hookspec
def register_models():
    """Return the SQLAlchemy model classes this plugin owns.

    Called once when the app is built, before the database is migrated, so that
    the models are part of the metadata Alembic compares against. Every table a
    plugin owns must also be created by a migration: a new table by a revision in
    the plugin's own ``migrations/`` folder (its own Alembic branch, see
    ``core.migrations``); older plugin tables by core's ``migrations/versions``.
    Return a list of classes (may be empty).
    """


@hookspec
def register_views(appbuilder):
    """Add the plugin's Flask-AppBuilder views (pages) to ``appbuilder``.

    Use ``appbuilder.add_view`` (with a Dutch ``label`` and ``category``) or
    ``appbuilder.add_view_no_menu``. Views of organisation-owned data must
    subclass ``core.tenancy.TenantModelView``. Return value is ignored.
    """


@hookspec
def register_apis(appbuilder):
    """Add the plugin's REST APIs with ``appbuilder.add_api``.

    APIs of organisation-owned data must subclass ``core.tenancy.TenantModelRestApi``.
    Return value is ignored.
    """


@hookspec
def register_menu(appbuilder):
    """Add menu links and separators that are not views (``appbuilder.add_link``).

    Called after all views and APIs are registered. Return value is ignored.
    """


@hookspec
def register_commands(cli):
    """Add click commands to the ``flask scg`` command group ``cli``.

    Commands run inside an application context. Return value is ignored.
    """


@hookspec
def role_permissions():
    """Declare which domain role holds which permission on this plugin's views.

    Return a dict mapping a role name (from ``core.roles.ROLES`` or a plugin's
    ``register_roles``) to a list of
    ``(permission_name, view_menu_name)`` tuples, e.g.
    ``{"Aanbod-beheerder": [("can_list", "OrganisationUsers")]}``. The results of
    all plugins are merged and the roles are synced to exactly that set at start
    and by ``flask scg sync-roles`` (the Functioneel beheerder is FAB's admin role
    and holds everything).
    """


@hookspec
def seed_data(app, demo):
    """Load reference data idempotently; ``demo`` is True for the demo run.

    Called inside an application context by ``flask scg seed`` and by the run
    command. Loading twice must change nothing the second time. Commit your own
    work. Return value is ignored.
    """


@hookspec
def io_handlers():
    """Return export/import handlers (``core.io.IOHandler``) this plugin offers.

    Each handler names its entity, columns and who may use it; its
    ``export_rows(user, organisation_id)`` yields one organisation's rows and its
    ``sync_rows(sync, rows)`` matches imported rows within ``sync.organisation_id``
    (see ``core.io``). Return a list.
    """


@hookspec
def welcome_steps(user, organisation):
    """Return the steps for the welcome page of a user who just logged in.

    Return a list of ``core.welcome.Step`` (title, text, url, order, done,
    reason) that fit this user and organisation, or an empty list. A step with
    ``done`` True or False is a task: the page shows "Gedaan" or "Nog te doen"
    and the ``reason`` (e.g. "Logo ontbreekt", "3 aanmeldingen wachten"); keep
    showing a task once it is done, so the list shows progress. A step with
    ``done`` None is a place to go (e.g. the catalogue), listed under the tasks.
    Called on every visit of the welcome page: keep it to a few counting queries.
    """


@hookspec
def on_event(event):
    """React to a domain event from ``core.events`` (e.g. ``OrganisationApproved``).

    Called synchronously inside the request or command that emitted the event,
    in the same database transaction; raise to abort that transaction. Events
    are how one functionality reacts to another without importing it. Return
    value is ignored.
    """


@hookspec
def page_links(slot, obj, user):
    """Return links this plugin puts on a page it does not own.

    ``slot`` is one of ``core.slots.SLOTS`` (e.g. ``"login"``, ``"start"``,
    ``"user_menu"``, ``"welcome"``, ``"package_page"``, ``"supplier_page"``);
    ``obj`` is the page's subject (the package on ``"package_page"``, else None);
    ``user`` is the current user (anonymous users have ``is_authenticated``
    False). Return a list of ``core.slots.Link`` for that slot, or an empty list
    for slots the plugin does not fill. Core templates render the links of all
    plugins sorted by ``order``; a template never calls ``url_for`` on another
    plugin's view, so a page still renders when the plugin is left out.
    """


@hookspec
def page_sections(slot, obj, user):
    """Return sections (a title and safe HTML) for a page this plugin does not own.

    ``obj`` is the page's subject (the package on ``"package_page"``, the
    organisation on ``"supplier_page"``, else None). Return a list of
    ``core.slots.Section``; escape everything user-supplied (render a template
    with ``render_template`` and wrap it in ``Markup``). Called during the page
    request, so keep it to constant SQL.
    """


@hookspec
def register_roles():
    """Declare extra domain roles this plugin brings.

    Return a list of ``core.roles.RoleSpec`` (name, Dutch description, the
    organisation types whose members may hold it). They join the roles of
    ``core.roles.ROLES`` at start; a name that is already taken fails the start.
    ``role_permissions`` may then grant permissions to them.
    """


@hookspec
def default_settings():
    """Declare the settings this plugin reads, with their defaults.

    Return a dict ``{"NAME": default}``. ``core.settings`` merges, lowest first:
    the defaults of all plugins, the environment variable of that name (parsed to
    the default's type: bool, int, float, list, timedelta in seconds, else text),
    ``config.py``'s settings and the ``create_app`` overrides. Two plugins
    declaring the same name with different defaults fail the start. A plugin
    only reads settings that some plugin or ``config.py`` declares.
    """


@hookspec
def group_member_ids(group_id):
    """Return the ids of the organisations that are *currently* members of a group.

    ``group_id`` is the id of a samenwerking or community (any other organisation
    has no members: return an empty list). Only current memberships count: one that
    ended is no membership any more. The plugin that keeps memberships (F010)
    answers; others return nothing. Read the answer through
    ``core.groups.group_member_ids``, which unions all answers and is empty when no
    plugin keeps memberships, so a functionality that acts for members (F013: a
    samenwerking registers usage for its member gemeenten) never imports F010.
    Called during requests: one query at most. Return a list (or set) of ints.
    """
