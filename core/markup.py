"""Markdown written by users, rendered to safe HTML (Markdown, then nh3 with a small allow-list)."""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> Markup:
    """HTML for ``text``: raw HTML is escaped, only allowed tags and http(s)/mailto links remain."""
    if not text:
        return Markup("")
    html = markdown.markdown(text.replace("<", "&lt;"), extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="nofollow noopener noreferrer")
    return Markup(clean)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None (no javascript: or data: links)."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None
