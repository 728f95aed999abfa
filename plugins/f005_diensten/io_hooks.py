"""F005's export and import handlers (folded into plugins/f005_diensten/hooks.py at merge)."""

from core.plugins import hookimpl


@hookimpl
def io_handlers():
    from plugins.f005_diensten.io import HANDLERS

    return HANDLERS
