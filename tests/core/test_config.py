"""Settings from the environment: secret key, database URL, cookie security."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import config

ROOT = Path(__file__).resolve().parents[2]


def test_missing_secret_key_is_generated_once_and_kept(tmp_path):
    env = {"INSTANCE_DIR": str(tmp_path / "instance")}
    first = config.from_env(env)["SECRET_KEY"]
    second = config.from_env(env)["SECRET_KEY"]
    assert first == second and len(first) >= 64
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    other = config.from_env({"INSTANCE_DIR": str(tmp_path / "elders")})["SECRET_KEY"]
    assert other != first


def test_secret_key_from_environment_wins(tmp_path):
    env = {"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "uit-de-omgeving"}
    assert config.from_env(env)["SECRET_KEY"] == "uit-de-omgeving"
    assert not (tmp_path / "secret_key").exists()


def test_workers_starting_together_share_one_secret_key(tmp_path):
    """Several server workers start at once: they must all end up with the same, non-empty key."""
    code = "import config, os; print(config.secret_key({'INSTANCE_DIR': os.environ['D']}))"
    env = dict(os.environ, D=str(tmp_path / "instance"), PYTHONPATH=str(ROOT))
    env.pop("SECRET_KEY", None)
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(8)]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(keys) == 1 and "" not in keys
    assert keys == {(tmp_path / "instance" / "secret_key").read_text().strip()}


def test_database_url_is_normalised(tmp_path):
    def url(value):
        return config.from_env({"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x",
                                **({"DATABASE_URL": value} if value else {})})["SQLALCHEMY_DATABASE_URI"]

    assert url("postgres://u:p@db:5432/scg") == "postgresql+psycopg://u:p@db:5432/scg"
    assert url("postgresql://u:p@db/scg") == "postgresql+psycopg://u:p@db/scg"
    assert url("postgresql+psycopg://u@db/scg") == "postgresql+psycopg://u@db/scg"
    assert url(None) == f"sqlite:///{tmp_path / 'softwarecatalogus.db'}"


def test_cookies_are_secure_behind_https(tmp_path):
    base = {"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x"}
    https = config.from_env({**base, "BASE_URL": "https://softwarecatalogus.example/"})
    assert https["SESSION_COOKIE_SECURE"] and https["REMEMBER_COOKIE_SECURE"]
    assert https["BASE_URL"] == "https://softwarecatalogus.example"
    plain = config.from_env({**base, "BASE_URL": "http://127.0.0.1:5000"})
    assert not plain["SESSION_COOKIE_SECURE"]
    assert plain["SESSION_COOKIE_HTTPONLY"] and plain["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_rate_limiting_is_on_by_default_and_can_be_switched_off(tmp_path):
    base = {"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x"}
    assert config.from_env(base)["RATELIMIT_ENABLED"] and config.from_env(base)["AUTH_RATE_LIMITED"]
    off = config.from_env({**base, "RATELIMIT_ENABLED": "false"})
    assert not off["RATELIMIT_ENABLED"] and not off["AUTH_RATE_LIMITED"]


def test_disabled_plugins_are_a_comma_separated_list(tmp_path):
    def disabled(value):
        return config.from_env({"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x",
                                **({"DISABLED_PLUGINS": value} if value is not None else {})})["DISABLED_PLUGINS"]

    assert disabled(None) == [] and disabled("") == []
    assert disabled("plugins.f003_gebruikers.hooks, plugins.f011_catalogus.hooks,") == [
        "plugins.f003_gebruikers.hooks", "plugins.f011_catalogus.hooks"]


def test_two_factor_roles_default_to_every_beheerder_and_come_from_the_environment(tmp_path):
    env = {"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x"}
    assert config.from_env(env)["TOTP_REQUIRED_ROLES"] == ["Functioneel beheerder", "Aanbod-beheerder",
                                                           "Gebruik-beheerder"]
    env["TOTP_REQUIRED_ROLES"] = " Functioneel beheerder, Gebruik-raadpleger ,"
    assert config.from_env(env)["TOTP_REQUIRED_ROLES"] == ["Functioneel beheerder", "Gebruik-raadpleger"]


def test_the_functioneel_beheerder_needs_two_factor_whatever_the_setting(make_app):
    from core.security import requires_totp
    from tests.support.actors import World

    app = make_app(TOTP_REQUIRED_ROLES=[])
    with app.app_context():
        world = World.build(app)
        assert requires_totp(world.users["fb"]) is True
        assert requires_totp(world.users["aanbod"]) is False


def test_the_run_output_is_not_a_wall_of_library_info_lines(make_app, tmp_path):
    import logging

    assert config.from_env({"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x"})["LOG_LEVEL"] == "WARNING"
    make_app(LOG_LEVEL="WARNING")
    assert not logging.getLogger("flask_appbuilder.security.sqla.manager").isEnabledFor(logging.INFO)
    assert not logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)
    make_app(LOG_LEVEL="INFO")
    assert logging.getLogger("flask_appbuilder.security.sqla.manager").isEnabledFor(logging.INFO)
    for name in ("flask_appbuilder", "alembic", "softwarecatalogus"):  # later tests in this worker: quiet again
        logging.getLogger(name).setLevel("WARNING")
