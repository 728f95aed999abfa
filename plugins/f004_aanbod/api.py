"""REST APIs of packages, modules and versions (logos are uploaded on the page)."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from marshmallow import ValidationError, validate

from core.catalogue.models import (
    DATA_LOCATIONS,
    LICENCE_TYPES,
    SPDX_LICENCES,
    VERSION_STATUSES,
    Module,
    Package,
    Version,
)
from core.tenancy import TenantModelRestApi
from plugins.f004_aanbod import service

URL = validate.URL(require_tld=True, schemes={"http", "https"}, error="Vul een volledig webadres in, met https://.")


def _one_of(choices, message):
    allowed = set(choices)

    def check(value):
        if value not in (None, "") and value not in allowed:
            raise ValidationError(message)
    return check


def _cloud_models(value):
    problem = service.cloud_model_problem(value)
    if problem:
        raise ValidationError(problem)


PACKAGE_FIELDS = ["name", "short_description", "long_description", "website", "contact_person",
                  "referentiecomponenten", "cloud_models", "cloud_provider", "data_location", "licence_type",
                  "licence_spdx", "demo_video_url"]
CHOICE_FIELDS = ("data_location", "licence_type", "licence_spdx", "cloud_models", "website", "demo_video_url")


class PackageApi(service.SettableRelationsOnly, TenantModelRestApi):
    datamodel = SQLAInterface(Package)
    resource_name = "pakketten"
    class_permission_name = "PackageApi"
    tenant_parent = "organisation"
    list_columns = ["id", "public_id", "organisation.id", "organisation.name", "name", "short_description",
                    "status", "published_on", "changed_on"]
    show_columns = ["id", "public_id", "organisation.id", "organisation.name", "name", "short_description",
                    "long_description", "website", "contact_person.id", "contact_person.name",
                    "referentiecomponenten.id", "referentiecomponenten.object_id", "referentiecomponenten.name",
                    "cloud_models", "cloud_provider", "data_location", "licence_type", "licence_spdx",
                    "demo_video_url", "status", "published_on", "unpublished_reason", "changed_on"]
    add_columns = ["organisation"] + PACKAGE_FIELDS
    edit_columns = PACKAGE_FIELDS
    order_columns = ["name", "status", "changed_on"]
    search_columns = ["name", "status"]
    add_query_rel_fields = {"referentiecomponenten": [["in_release", FilterEqual, True]]}
    validators_columns = {
        "website": URL, "demo_video_url": URL,
        "short_description": validate.Length(max=255, error="Maximaal 255 tekens."),
        "licence_type": _one_of(dict(LICENCE_TYPES), service.LICENCE_UNKNOWN),
        "licence_spdx": _one_of(SPDX_LICENCES, service.SPDX_UNKNOWN),
        "data_location": _one_of(dict(DATA_LOCATIONS), "Kies een datalocatie: nl, eu of buiten_eu."),
        "cloud_models": _cloud_models,
    }

    def _normalise(self, item):
        for name in CHOICE_FIELDS:
            if getattr(item, name) == "":
                setattr(item, name, None)

    def pre_add(self, item):
        self._normalise(item)
        super().pre_add(item)
        service.check_package(item)

    def pre_update(self, item):
        self._normalise(item)
        super().pre_update(item)
        service.check_package(item)


class _ChildApi(TenantModelRestApi):
    tenant_parent = "package"

    def pre_add(self, item):
        super().pre_add(item)
        self.check(item)

    def pre_update(self, item):
        super().pre_update(item)
        self.check(item)


class ModuleApi(_ChildApi):
    datamodel = SQLAInterface(Module)
    resource_name = "modules"
    class_permission_name = "PackageModuleApi"
    list_columns = show_columns = ["id", "public_id", "package.id", "package.name", "name",
                                   "description", "changed_on"]
    add_columns = edit_columns = ["package", "name", "description"]
    order_columns = ["name", "changed_on"]
    search_columns = ["name", "package"]

    def check(self, item):
        service.check_child(item, service.module_name_taken)


class VersionApi(_ChildApi):
    datamodel = SQLAInterface(Version)
    resource_name = "versies"
    class_permission_name = "PackageVersionApi"
    list_columns = show_columns = ["id", "public_id", "package.id", "package.name", "name",
                                   "status", "description", "start_development", "start_test",
                                   "start_distribution", "end_support", "changed_on"]
    add_columns = edit_columns = ["package", "name", "status", "description", "start_development", "start_test",
                                  "start_distribution", "end_support"]
    order_columns = ["name", "status", "start_distribution"]
    search_columns = ["name", "package", "status"]
    validators_columns = {"status": _one_of(dict(VERSION_STATUSES), "Kies een status: " + ", ".join(
        dict(VERSION_STATUSES)) + ".")}

    def check(self, item):
        service.check_version(item)

    def _date_problem(self) -> str | None:
        """A Dutch message for a date that is not a date (marshmallow's own message is English)."""
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return None
        for name, label in service.VERSION_DATES:
            value = data.get(name)
            if value in (None, ""):
                continue
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                return f"{label}: vul een geldige datum in, zoals 2025-03-31."
        return None

    def post_headless(self):
        problem = self._date_problem()
        return self.response_400(message=problem) if problem else super().post_headless()

    def put_headless(self, pk):
        problem = self._date_problem()
        return self.response_400(message=problem) if problem else super().put_headless(pk)
