"""core/settings.py: plugin defaults, the environment parsed to their type, and the rule that
plugins only read settings somebody declares."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from core import settings
from core.plugins import build_plugin_manager

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""config(?:\[|\.get\()\s*["']([A-Z][A-Z0-9_]*)["']""")


@pytest.mark.parametrize(("value", "default", "expected"), [
    ("ja", False, True), ("0", True, False), ("42", 7, 42), ("0.5", 1.0, 0.5),
    ("a, b,", ["x"], ["a", "b"]), ("90", timedelta(hours=1), timedelta(seconds=90)), ("tekst", "", "tekst"),
])
def test_environment_values_are_parsed_to_the_type_of_the_default(value, default, expected):
    assert settings.parse("X", value, default) == expected


def test_a_malformed_yes_no_value_is_refused():
    with pytest.raises(ValueError, match="X"):
        settings.parse("X", "misschien", False)


def test_moved_settings_come_from_their_plugins():
    defaults = settings.plugin_defaults(build_plugin_manager())
    assert defaults["CONFIRM_LINK_MAX_AGE"] == 48 * 3600  # F001
    assert defaults["INVITE_LINK_MAX_AGE"] == 7 * 24 * 3600  # F003
    assert {"JOIN_REQUEST_RATE_LIMIT", "F007_MAX_BYTES", "F007_MAX_ROWS", "GEMMA_MAX_UPLOAD_BYTES"} <= set(defaults)


def test_plugins_read_only_declared_settings():
    """Every ``config["X"]`` / ``config.get("X")`` in plugins/ names a setting of config.py or a plugin."""
    declared = settings.declared(build_plugin_manager())
    undeclared = []
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        undeclared += [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(1)}"
                       for m in READ.finditer(text) if m.group(1) not in declared]
    assert undeclared == []


def test_the_scan_finds_reads():
    assert READ.findall('x = current_app.config["SOME_SETTING"] + app.config.get(\n    "OTHER", 1)') == [
        "SOME_SETTING", "OTHER"]
