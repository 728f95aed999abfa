"""A test plugin that records every domain event it receives."""

from core.plugins import hookimpl

EVENTS: list = []


@hookimpl
def on_event(event):
    EVENTS.append(event)
