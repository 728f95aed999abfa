"""SQL statements per list page, with few and with many rows: a flat count means no N+1.

    .venv/bin/python bench/sql_per_page.py

Prints, per page, the statements for a request with the small and the large data set.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="scg-bench-"))

from sqlalchemy import event  # noqa: E402

from core.app import create_app  # noqa: E402
from core.extensions import db  # noqa: E402
from tests.support.actors import PASSWORD, login, make_org, make_user  # noqa: E402
from tests.support.clients import IsolatedClient  # noqa: E402

PAGES = [
    ("organisations (Functioneel beheerder)", "fb", "/organisaties/list/?psize_OrganisationView=100"),
    ("users of my organisation", "aanbod", "/gebruikers/list/?psize_UserView=100"),
    ("audit log", "fb", "/auditlog/list/?psize_AuditLogView=100"),
    ("invitations of my organisation", "aanbod", "/uitnodigingen/list/?psize_InvitationView=100"),
]


def build(n_extra: int):
    path = Path(tempfile.mkdtemp()) / "bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "RATELIMIT_ENABLED": False,
                      "AUTH_RATE_LIMITED": False, "MAIL_SERVER": "", "WTF_CSRF_ENABLED": True,
                      "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        app.extensions["scg_plugins"].hook.seed_data(app=app, demo=False)
        supplier = make_org("Bench BV", kvk_number="11112222")
        people = {"aanbod": make_user("jan@bench.example", "Aanbod-beheerder", supplier),
                  "fb": make_user("fb@bench.example", "Functioneel beheerder", None)}
        from plugins.f003_gebruikers.models import Invitation  # bench only: rows to list

        for i in range(n_extra):
            make_user(f"collega{i}@bench.example", "Aanbod-beheerder", supplier, password=PASSWORD)
            make_org(f"Leverancier {i}", kvk_number=f"{30000000 + i}")
            db.session.add(Invitation(organisation_id=supplier.id, email=f"nieuw{i}@bench.example",
                                      role_name="Aanbod-beheerder", invited_by_id=people["aanbod"].id))
        db.session.commit()
    return app, people


def count(app, people, who, url):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    with app.app_context():
        login(client, db.session.merge(people[who]))
        engine = db.engine
        client.get(url)  # warm up: first-request work is not per page
    statements = []

    def _count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    started = time.perf_counter()
    resp = client.get(url)
    elapsed = time.perf_counter() - started
    event.remove(engine, "before_cursor_execute", _count)
    return resp.status_code, len(statements), elapsed


def main():
    small, small_people = build(2)
    large, large_people = build(80)
    print(f"{'page':42} {'status':>6} {'SQL (few rows)':>15} {'SQL (many rows)':>16} {'ms (many)':>10}")
    for label, who, url in PAGES:
        s_status, s_count, _ = count(small, small_people, who, url)
        l_status, l_count, l_time = count(large, large_people, who, url)
        print(f"{label:42} {l_status:>6} {s_count:>15} {l_count:>16} {l_time * 1000:>10.1f}")


if __name__ == "__main__":
    main()
