"""The catalogue's shared models (core.catalogue), registered as a default plugin."""

from __future__ import annotations

from core.plugins import hookimpl


@hookimpl
def register_models():
    from core.catalogue.models import MODELS

    return MODELS
