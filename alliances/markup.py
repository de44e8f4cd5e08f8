"""Markdown written by people, rendered to HTML that is safe to show.

Course texts, forum posts, assignments, testimonies and partnership descriptions:
Python-Markdown renders, nh3 (the Rust `ammonia` sanitiser) keeps only an allow-list of
tags, attributes and URL schemes. No script, no event handler, no `javascript:` or `data:`
link survives; links get `rel="nofollow noopener noreferrer"`.
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source: str) -> SafeString:
    """Markdown to sanitised HTML. Raw HTML in the source is escaped or dropped."""
    html = markdown.markdown(source, extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
