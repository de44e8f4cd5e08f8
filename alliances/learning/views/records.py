"""Views of the learning pillar: records."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def preferences(request: HttpRequest) -> HttpResponse:  # being written
    return HttpResponse("")


urlpatterns: list[URLPattern] = [path("preferences/", preferences, name="preferences")]
