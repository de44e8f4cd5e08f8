"""Placeholder module replaced by its owner."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
