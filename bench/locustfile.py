"""The traffic of bench/load_test.py: anonymous catalogue visitors, logged-in suppliers and
municipalities (``locust -f bench/locustfile.py``; the load test starts it headless).

Targets come from the environment the load test sets: ``SCG_LOAD_PACKAGES`` (public ids of
packages to open), ``SCG_LOAD_SUPPLIER`` (a supplier id), ``SCG_LOAD_SUPPLIERS`` /
``SCG_LOAD_GEMEENTEN`` (``email`` entries, comma-separated; password ``SCG_LOAD_PASSWORD``).
"""

from __future__ import annotations

import itertools
import os
import random
import re

from locust import HttpUser, between, constant, task

PACKAGES = [p for p in os.environ.get("SCG_LOAD_PACKAGES", "").split(",") if p]
SUPPLIER = os.environ.get("SCG_LOAD_SUPPLIER", "")
PASSWORD = os.environ.get("SCG_LOAD_PASSWORD", "")
#: Think time per user between requests, seconds: 0 (the default) measures throughput (each user
#: sends its next request as soon as the answer is there); e.g. "0.1-0.5" for a gentler mix.
WAIT = os.environ.get("SCG_LOAD_WAIT", "0")


def think():
    low, _, high = WAIT.partition("-")
    return between(float(low), float(high)) if high else constant(float(low))

SEARCHES = ("zaak", "archief software", "burger portaal", "belasting", "document")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_suppliers = itertools.cycle([e for e in os.environ.get("SCG_LOAD_SUPPLIERS", "").split(",") if e] or [""])
_gemeenten = itertools.cycle([e for e in os.environ.get("SCG_LOAD_GEMEENTEN", "").split(",") if e] or [""])


class Visitor(HttpUser):
    """Anonymous: the catalogue, package pages, a supplier page, the public API."""

    weight = 6
    wait_time = think()

    @task(4)
    def search(self):
        self.client.get("/catalogus/", name="/catalogus/")

    @task(3)
    def search_text(self):
        self.client.get(f"/catalogus/?q={random.choice(SEARCHES)}", name="/catalogus/?q=")

    @task(4)
    def package(self):
        if PACKAGES:
            self.client.get(f"/catalogus/pakketten/{random.choice(PACKAGES)}", name="/catalogus/pakketten/[id]")

    @task(1)
    def supplier(self):
        if SUPPLIER:
            self.client.get(f"/leveranciers/{SUPPLIER}", name="/leveranciers/[id]")

    @task(1)
    def api(self):
        self.client.get("/api/v1/catalogus/pakketten/?q=(page:0,page_size:25)", name="/api/v1/catalogus/pakketten/")


class _LoggedIn(HttpUser):
    abstract = True
    wait_time = think()
    accounts = None

    def on_start(self):
        email = next(self.accounts)
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text)
        with self.client.post("/login/", data={"username": email, "password": PASSWORD,
                                               "csrf_token": token.group(1) if token else ""},
                              name="/login/ (POST)", allow_redirects=False, catch_response=True) as resp:
            if resp.status_code != 302:
                resp.failure(f"login of {email} answered {resp.status_code}")


class Supplier(_LoggedIn):
    """An Aanbod-beheerder: own package list, a package page, the catalogue."""

    weight = 2
    accounts = _suppliers

    @task(3)
    def own_packages(self):
        self.client.get("/pakketten/list/", name="/pakketten/list/")

    @task(2)
    def catalogue(self):
        self.client.get("/catalogus/", name="/catalogus/ (ingelogd)")

    @task(1)
    def package(self):
        if PACKAGES:
            self.client.get(f"/catalogus/pakketten/{random.choice(PACKAGES)}",
                            name="/catalogus/pakketten/[id] (ingelogd)")


class Municipality(_LoggedIn):
    """A Gebruik-beheerder: the own landscape, the catalogue and package pages."""

    weight = 2
    accounts = _gemeenten

    @task(3)
    def landscape(self):
        self.client.get("/gebruik/list/", name="/gebruik/list/")

    @task(2)
    def catalogue(self):
        self.client.get(f"/catalogus/?q={random.choice(SEARCHES)}", name="/catalogus/?q= (ingelogd)")

    @task(2)
    def package(self):
        if PACKAGES:
            self.client.get(f"/catalogus/pakketten/{random.choice(PACKAGES)}",
                            name="/catalogus/pakketten/[id] (ingelogd)")


class Anchor(HttpUser):
    """The bare endpoint of bench/load_app.py (run alone, as the yardstick: the load test names the
    classes of each run, so this one never mixes with the others)."""
    wait_time = think()

    @task
    def anchor(self):
        self.client.get("/bench-anker", name="/bench-anker")
