"""Views of the learning pillar: forum."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
