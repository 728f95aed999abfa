"""The plugin manager: one fresh pluggy PluginManager per app."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pluggy

from core import hookspecs

PROJECT = "softwarecatalogus"
hookimpl = pluggy.HookimplMarker(PROJECT)

# Default functionality, registered explicitly (in this order).
DEFAULT_PLUGINS = (
    "core.builtin.errors",
    "core.builtin.organisations",
    "core.builtin.audit",
    "core.builtin.gemeenten",
    "core.builtin.gemma",
    "core.builtin.catalogue",
    "core.builtin.welcome",
    "core.builtin.twofactor",
    "core.builtin.admin",
    "core.builtin.demo",
    "plugins.f002_organisatie.hooks",
    "plugins.f001_toegang.hooks",
    "plugins.f003_gebruikers.hooks",
    "plugins.f004_aanbod.hooks",
    "plugins.f005_diensten.hooks",
    "plugins.f011_catalogus.hooks",
    "plugins.f007_export.hooks",
)


def build_plugin_manager(extra: list | tuple = ()) -> pluggy.PluginManager:
    """Create a PluginManager with the default plugins, entry-point plugins and ``extra``.

    ``extra`` holds module objects or dotted module names (from config EXTRA_PLUGINS
    or tests). ``check_pending()`` makes an implementation without a spec fail.
    """
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints(PROJECT)
    for plugin in extra:
        module = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
        if not pm.is_registered(module):
            pm.register(module, name=getattr(module, "__name__", None))
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
