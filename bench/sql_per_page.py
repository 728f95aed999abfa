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
    ("catalogue search (visitor)", None, "/catalogus/"),
    ("catalogue search, filtered + sorted", None,
     "/catalogus/?q=pakket&cloud=saas&licentie=open_source&sort=gemeenten"),
    ("catalogue search, page 2", None, "/catalogus/?pagina=2"),
    ("package page (visitor)", None, "{package}"),
    ("compare 4 packages (visitor)", None, "{compare}"),
    ("GEMMA shelf (visitor)", None, "{shelf}"),
    ("supplier page with packages (visitor)", None, "{supplier}"),
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
        from core.catalogue.models import Package, Service, Usage, Version  # bench only: a catalogue
        from core.gemma.models import Referentiecomponent
        from plugins.f003_gebruikers.models import Invitation  # bench only: rows to list

        shelf = Referentiecomponent(object_id="bench-shelf", name="Bench-referentiecomponent")
        gemeente = make_org("Bench-gemeente", "gemeente")
        packages = []
        for i in range(n_extra):
            make_user(f"collega{i}@bench.example", "Aanbod-beheerder", supplier, password=PASSWORD)
            other = make_org(f"Leverancier {i}", kvk_number=f"{30000000 + i}")
            db.session.add(Invitation(organisation_id=supplier.id, email=f"nieuw{i}@bench.example",
                                      role_name="Aanbod-beheerder", invited_by_id=people["aanbod"].id))
            package = Package(organisation_id=(supplier if i % 2 else other).id, name=f"Pakket {i}",
                              status="gepubliceerd", cloud_models="saas", licence_type="open_source",
                              short_description="Een pakket om te meten")
            package.referentiecomponenten = [shelf]
            db.session.add(package)
            db.session.flush()
            db.session.add(Version(organisation_id=package.organisation_id, package_id=package.id, name="1.0"))
            db.session.add(Usage(organisation_id=gemeente.id, package_id=package.id, status="in_productie"))
            service = Service(organisation_id=other.id, name=f"Hosting {i}", kind="technisch_beheer")
            service.packages = [package]
            db.session.add(service)
            packages.append(package)
        db.session.commit()
        people["urls"] = {"package": f"/catalogus/pakketten/{packages[0].public_id}",
                          "compare": "/catalogus/vergelijken?" + "&".join(f"p={p.public_id}" for p in packages[:4]),
                          "shelf": "/gemma/referentiecomponenten/bench-shelf",
                          "supplier": f"/leveranciers/{supplier.id}"}
    return app, people


def count(app, people, who, url):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    url = url.format(**people["urls"])
    with app.app_context():
        if who is not None:
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
    small, small_people = build(4)
    large, large_people = build(80)
    print(f"{'page':42} {'status':>6} {'SQL (few rows)':>15} {'SQL (many rows)':>16} {'ms (many)':>10}")
    for label, who, url in PAGES:
        s_status, s_count, _ = count(small, small_people, who, url)
        l_status, l_count, l_time = count(large, large_people, who, url)
        print(f"{label:42} {l_status:>6} {s_count:>15} {l_count:>16} {l_time * 1000:>10.1f}")


if __name__ == "__main__":
    main()
