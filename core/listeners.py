"""The process-wide SQLAlchemy listeners, installed from this one place.

SQLAlchemy session events are registered on a session *class*, not on an app: every
app in the process shares Flask-SQLAlchemy's ``Session`` class, so these listeners
are installed once per process (``install`` is idempotent) and serve all apps.
They must therefore not depend on one app's settings; they read what they need
from the session and the current request.

Order matters: the audit listener is installed before the search-text listener, so
the audit snapshot taken in ``before_flush`` never lists the search text that the
later listener computes.
"""

from __future__ import annotations

from flask_sqlalchemy.session import Session as FlaskSQLASession
from sqlalchemy import event

from core import accounts, audit, mail
from core.catalogue import cache, counts, search

_installed: set[type] = set()


def install(session_class: type = FlaskSQLASession) -> bool:
    """Install the audit, search-text and membership listeners on ``session_class``, once per process.

    Returns True when this call installed them, False when they already were.
    """
    if session_class in _installed:
        return False
    _installed.add(session_class)
    audit.install(session_class)  # first: see the module docstring
    search.install(session_class)
    counts.install(session_class)
    cache.install(session_class)
    event.listen(session_class, "before_flush", accounts.sync_roles_of_removed_members)
    mail.install(session_class)  # the outbox: deliver after commit, forget on rollback
    return True
