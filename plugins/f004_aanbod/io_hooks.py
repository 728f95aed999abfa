"""F004's export and import handlers (folded into plugins/f004_aanbod/hooks.py at merge)."""

from core.plugins import hookimpl


@hookimpl
def io_handlers():
    from plugins.f004_aanbod.io import HANDLERS

    return HANDLERS
