"""Every extension point is tested and documented: adding a hookspec without both fails here."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from core import hookspecs
from core.plugins import PROJECT

ROOT = Path(__file__).resolve().parents[2]
HOOK_TESTS = Path(__file__).resolve().parent / "test_hooks.py"
DOCS = ROOT / "docs" / "plugins.md"


def hook_names() -> list[str]:
    marker = f"{PROJECT}_spec"
    return sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(fn, marker))


def test_there_are_hooks_to_check():
    assert {"register_models", "register_views", "on_event", "io_handlers"} <= set(hook_names())


def test_every_hook_has_a_test():
    tree = ast.parse(HOOK_TESTS.read_text(encoding="utf-8"))
    tests = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    missing = [h for h in hook_names() if not any(h in t for t in tests)]
    assert not missing, f"hooks without a test in tests/core/test_hooks.py (test_<hook>_...): {missing}"


def test_every_hook_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"^###\s+`(\w+)", text, flags=re.MULTILINE))
    missing = [h for h in hook_names() if h not in documented]
    assert not missing, f"hooks without a '### `name`' section in docs/plugins.md: {missing}"
    unknown = documented - set(hook_names())
    assert not unknown, f"docs/plugins.md documents hooks that do not exist: {sorted(unknown)}"


def test_documented_signatures_match_the_specs():
    text = DOCS.read_text(encoding="utf-8")
    for name in hook_names():
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"### `{name}({params})`" in text, f"docs/plugins.md: heading for {name} must be `{name}({params})`"
