"""Reading the task list of the welcome page (core/templates/scg/welcome.html) in tests."""

from __future__ import annotations

import html as html_lib
import re

ITEM_RE = re.compile(r'<li class="scg-task-list__item">(.*?)</li>', re.S)
TAG_RE = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(TAG_RE.sub(" ", fragment)).split())


def tasks(page: str) -> dict[str, tuple[str, str]]:
    """{title: (status, reason)} of every task on the welcome page, e.g. ("Nog te doen", "Logo ontbreekt")."""
    found = {}
    for item in ITEM_RE.findall(page):
        title = _text(re.search(r"<strong>(.*?)</strong>", item, re.S).group(1))
        status = _text(re.search(r'<strong class="scg-tag[^"]*">(.*?)</strong>', item, re.S).group(1))
        reason = re.search(r'<span class="scg-task-list__reason">(.*?)</span>', item, re.S)
        found[title] = (status, _text(reason.group(1)) if reason else "")
    return found


def task_link(page: str, title: str) -> str:
    """The address a task (or a step without status) leads to."""
    match = re.search(r'<a href="([^"]+)"[^>]*><strong>' + re.escape(html_lib.escape(title)) + "</strong>", page)
    assert match, f"no step {title!r} on the welcome page"
    return html_lib.unescape(match.group(1))
