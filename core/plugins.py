"""The plugin manager: one fresh pluggy PluginManager per app."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType

import pluggy

from core import hookspecs

log = logging.getLogger(__name__)

PROJECT = "softwarecatalogus"
hookimpl = pluggy.HookimplMarker(PROJECT)

# Default functionality, registered explicitly (in this order).
DEFAULT_PLUGINS = (
    "core.builtin.errors",
    "core.builtin.api_contract",
    "core.builtin.organisations",
    "core.builtin.files",
    "core.builtin.audit",
    "core.builtin.gemeenten",
    "core.builtin.gemma",
    "core.builtin.catalogue",
    "core.builtin.welcome",
    "core.builtin.twofactor",
    "core.builtin.active_organisation",
    "core.builtin.password_change",
    "core.builtin.admin",
    "core.builtin.roles_admin",
    "core.builtin.demo",
    "plugins.f002_organisatie.hooks",
    "plugins.f001_toegang.hooks",
    "plugins.f003_gebruikers.hooks",
    "plugins.f004_aanbod.hooks",
    "plugins.f005_diensten.hooks",
    "plugins.f011_catalogus.hooks",
    "plugins.f013_gebruik.hooks",
    "plugins.f007_export.hooks",
    "plugins.f010_lidmaatschap.hooks",
    "plugins.f006_inzichten.hooks",
)


def check_disabled(disabled: list | tuple) -> list[str]:
    """The plugin names of config DISABLED_PLUGINS, refusing the core builtins.

    The app needs every ``core.builtin`` plugin (its pages are linked from core
    templates, its models from other plugins), so disabling one fails the start.
    """
    names = [name.strip() for name in disabled if name and name.strip()]
    core_names = [name for name in names if name.startswith("core.")]
    if core_names:
        raise ValueError(f"DISABLED_PLUGINS: {', '.join(core_names)} belong to core and cannot be disabled; "
                         f"only the functionality under plugins. can be left out")
    unknown = [name for name in names if name not in DEFAULT_PLUGINS]
    if unknown:
        log.warning("DISABLED_PLUGINS: %s is not a default plugin; blocked in case an entry point "
                    "or EXTRA_PLUGINS brings it", ", ".join(unknown))
    if names:
        log.info("Plugins left out (DISABLED_PLUGINS): %s", ", ".join(names))
    return names


def build_plugin_manager(extra: list | tuple = (), disabled: list | tuple = ()) -> pluggy.PluginManager:
    """Create a PluginManager with the default plugins, entry-point plugins and ``extra``.

    ``extra`` holds module objects or dotted module names (from config EXTRA_PLUGINS
    or tests); ``disabled`` names plugins to leave out (config DISABLED_PLUGINS, see
    ``check_disabled``). ``check_pending()`` makes an implementation without a spec fail.
    """
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in check_disabled(disabled):
        pm.set_blocked(name)  # register() of a blocked name is a no-op
    for name in DEFAULT_PLUGINS:
        if not pm.is_blocked(name):
            pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints(PROJECT)
    for plugin in extra:
        module = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
        name = getattr(module, "__name__", None)
        if not pm.is_registered(module) and not (name and pm.is_blocked(name)):
            pm.register(module, name=name)
    pm.check_pending()
    return pm


def plugin_template_dirs(pm: pluggy.PluginManager) -> list[str]:
    """The ``templates/`` folders beside each registered plugin module."""
    dirs: list[str] = []
    for plugin in pm.get_plugins():
        if isinstance(plugin, ModuleType) and getattr(plugin, "__file__", None):
            folder = Path(plugin.__file__).parent / "templates"
            if folder.is_dir() and str(folder) not in dirs:
                dirs.append(str(folder))
    return dirs
