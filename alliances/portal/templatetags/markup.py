"""`{{ text|markdown }}`: render Markdown written by people, sanitised."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from alliances.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source: str | None) -> SafeString:
    return render_markdown(source or "")
