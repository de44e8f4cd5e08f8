"""Views of the learning pillar: the learner's pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:  # being written
    return HttpResponse(slug)


urlpatterns: list[URLPattern] = [
    path("cours/<slug:slug>/", course_detail, name="course_detail"),
]
