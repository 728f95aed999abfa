"""Several gunicorn workers must share their rate limits: the start is refused when they would not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.deployment import shared_state_problems
from tests.support.databases import backend

ROOT = Path(__file__).resolve().parents[2]


def test_several_workers_with_rate_limits_in_memory_is_a_problem():
    [problem] = shared_state_problems({"RATELIMIT_STORAGE_URI": "memory://"}, workers=4)
    assert "4 workers" in problem and "RATELIMIT_STORAGE_URI=redis://" in problem


@pytest.mark.parametrize("config, workers", [
    ({"RATELIMIT_STORAGE_URI": "memory://"}, 1),
    ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, 4),
    ({"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False}, 4),
])
def test_one_worker_shared_storage_or_no_limits_is_fine(config, workers):
    assert shared_state_problems(config, workers) == []


def _gunicorn(tmp_path, **env):
    environ = {**os.environ, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "test", "BIND": "127.0.0.1:0",
               "DATABASE_URL": f"sqlite:///{tmp_path / 'scg.db'}", "LOG_LEVEL": "WARNING", **env}
    return subprocess.run([sys.executable, "-m", "gunicorn"], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.skipif(backend() == "postgres", reason="starts gunicorn on a SQLite file; once is enough")
def test_gunicorn_refuses_two_workers_without_shared_rate_limits(tmp_path):
    result = _gunicorn(tmp_path, WEB_CONCURRENCY="2", RATELIMIT_STORAGE_URI="memory://")
    assert result.returncode != 0
    assert "Refusing to start: 2 workers with rate limits in memory" in result.stderr
