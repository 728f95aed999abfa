"""The app's settings: plugin defaults, then ``config.py``, then the ``create_app`` overrides.

Each plugin declares the settings it reads, with their defaults, through the
``default_settings`` hook. ``build`` merges, lowest first:

1. the defaults of all plugins (two plugins declaring one name with different
   defaults fail the start);
2. the environment for those plugin-declared names, parsed to the type of the default
   (bool, int, float, list, timedelta in seconds; text otherwise);
3. ``config.py``'s ``from_env()`` (the settings of core, themselves read from the
   environment);
4. the ``create_app(config)`` overrides.
"""

from __future__ import annotations

import os
from datetime import timedelta

from werkzeug.utils import import_string

import config as config_module

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nee", ""}


def plugin_defaults(pm) -> dict:
    """The merged ``default_settings`` of all plugins of ``pm``."""
    merged: dict = {}
    owner: dict[str, str] = {}
    for impl in reversed(pm.hook.default_settings.get_hookimpls()):  # registration order
        for name, default in (impl.function() or {}).items():
            if name in merged and merged[name] != default:
                raise ValueError(f"setting {name!r} is declared by {owner[name]} and {impl.plugin_name} "
                                 f"with different defaults ({merged[name]!r} and {default!r})")
            merged[name], owner[name] = default, impl.plugin_name
    return merged


def parse(name: str, value: str, default):
    """An environment value, parsed to the type of the setting's default."""
    if isinstance(default, bool):
        lowered = value.strip().lower()
        if lowered not in _TRUE | _FALSE:
            raise ValueError(f"setting {name}: {value!r} is no yes/no value")
        return lowered in _TRUE
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, timedelta):
        return timedelta(seconds=float(value))
    if isinstance(default, (list, tuple)):
        return type(default)(part.strip() for part in value.split(",") if part.strip())
    return value


def _secure_cookies_follow_base_url(settings: dict, overrides: dict, environ) -> None:
    """Cookies are Secure when the site is served over https, unless a setting says otherwise."""
    if "SESSION_COOKIE_SECURE" in overrides or environ.get("SESSION_COOKIE_SECURE"):
        return
    https = str(settings.get("BASE_URL", "")).startswith("https://")
    settings["SESSION_COOKIE_SECURE"] = settings["REMEMBER_COOKIE_SECURE"] = https


def core_settings(overrides: dict | None = None, environ=os.environ) -> dict:
    """``config.py``'s settings with the overrides: enough to know which plugins to load."""
    return {**config_module.from_env(environ), **(overrides or {})}


def build(pm, overrides: dict | None = None, environ=os.environ) -> dict:
    """All settings of an app whose plugins are ``pm``, merged as the module docstring says."""
    overrides = overrides or {}
    defaults = plugin_defaults(pm)
    settings = dict(defaults)
    for name, default in defaults.items():
        if environ.get(name) is not None:
            settings[name] = parse(name, environ[name], default)
    settings.update(core_settings(overrides, environ))
    _secure_cookies_follow_base_url(settings, overrides, environ)
    validator = settings.get("FAB_PASSWORD_COMPLEXITY_VALIDATOR")
    if isinstance(validator, str):  # config names it by dotted path; FAB calls it, so import it
        settings["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = import_string(validator)
    return settings


def declared(pm) -> set[str]:
    """Every setting name ``config.py`` or a plugin of ``pm`` declares."""
    return set(config_module.from_env()) | set(plugin_defaults(pm))
