"""The catalogue of the public API tests, served by a live server for schemathesis."""

from tests.f011_api.conftest import catalogue  # noqa: F401  (the fixture)
