"""scripts/new-plugin: the plugin it generates loads, its hooks are called, its tests run.

The script writes into the real tree (a plugin must be importable as ``plugins.NAME`` and
its tests need tests/conftest.py); the fixture removes everything again.
"""

from __future__ import annotations

import functools
import importlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from core.plugins import plugin_template_dirs

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "new-plugin"
EMPTY_PLUGIN_FILES = 6


def _run(*args, **kwargs):
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True, **kwargs)


@pytest.fixture
def generated():
    name = f"proef_{uuid.uuid4().hex[:8]}"  # not fNNN_: its test folder is tests/<name>, unique too
    try:
        result = _run(name)
        assert result.returncode == 0, result.stderr
        yield name, result.stdout
    finally:
        shutil.rmtree(ROOT / "plugins" / name, ignore_errors=True)
        shutil.rmtree(ROOT / "tests" / name, ignore_errors=True)
        for module in [m for m in sys.modules if m.startswith((f"plugins.{name}", f"tests.{name}"))]:
            del sys.modules[module]


def test_new_plugin_writes_the_layout_and_says_how_to_enable_it(generated):
    name, output = generated
    assert os.access(SCRIPT, os.X_OK)
    written = sorted(str(p.relative_to(ROOT)) for folder in (ROOT / "plugins" / name, ROOT / "tests" / name)
                     for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert written == sorted([
        f"plugins/{name}/__init__.py", f"plugins/{name}/hooks.py", f"plugins/{name}/migrations/README.md",
        f"plugins/{name}/templates/{name}/README.md", f"tests/{name}/__init__.py", f"tests/{name}/test_tenancy.py"])
    assert len(written) == EMPTY_PLUGIN_FILES
    assert not (ROOT / "plugins" / name / "migrations" / "__init__.py").exists()
    assert 'branch_labels = ("' + name + '",)' in (ROOT / "plugins" / name / "migrations" / "README.md").read_text()
    assert f'"plugins.{name}.hooks" to DEFAULT_PLUGINS in core/plugins.py' in output
    assert f"EXTRA_PLUGINS=plugins.{name}.hooks" in output

    again = _run(name)  # never overwrites
    assert again.returncode == 2 and "already exists" in again.stderr
    refused = _run("Geen-Naam")
    assert refused.returncode == 2 and "not a usable package name" in refused.stderr


def test_new_plugin_loads_through_extra_plugins_and_its_hooks_are_called(generated, make_app):
    name, _ = generated
    importlib.invalidate_caches()
    module = importlib.import_module(f"plugins.{name}.hooks")
    calls = []
    for hook in ("register_models", "register_views", "role_permissions"):
        original = getattr(module, hook)

        @functools.wraps(original)  # keeps the @hookimpl marker
        def recorder(*args, _original=original, _hook=hook, **kwargs):
            calls.append(_hook)
            return _original(*args, **kwargs)

        setattr(module, hook, recorder)

    app = make_app(EXTRA_PLUGINS=[f"plugins.{name}.hooks"])
    pm = app.extensions["scg_plugins"]
    assert module in pm.get_plugins()
    assert sorted(set(calls)) == ["register_models", "register_views", "role_permissions"]
    assert str(ROOT / "plugins" / name / "templates") in plugin_template_dirs(pm)
    with app.test_client() as client:
        assert client.get("/").status_code in (200, 302)  # the app still serves with the plugin in it


def test_new_plugin_tenancy_stub_skips_with_its_reason_until_a_view_exists(generated):
    name, _ = generated
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", f"tests/{name}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert f"{name} has no view of organisation-owned rows yet" in result.stdout
