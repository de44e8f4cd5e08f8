"""Views of the learning pillar: authoring."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
