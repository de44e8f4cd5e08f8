"""The course team's authoring pages: download a course's file, upload it edited.

Only members of the course's team reach them (`selectors.access_course_for_team`). An upload
is imported all or nothing; its problems are shown in the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alliances.http import attachment
from alliances.learning import selectors
from alliances.learning.exceptions import LearningError
from alliances.learning.forms.authoring import CourseFileUploadForm
from alliances.learning.services import authoring

if TYPE_CHECKING:
    from alliances.http import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def course_file(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.access_course_for_team(user=request.user, slug=slug)
    form = CourseFileUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = authoring.course_file_import(
                    source=form.cleaned_data["file"], expected_slug=course.slug
                )
            except LearningError as error:
                form.add_error("file", str(error))
            else:
                if result.changed_anything:
                    messages.success(
                        request,
                        _(
                            "The course has been updated from the file: %(added)s element(s) "
                            "added, %(changed)s changed, %(removed)s removed."
                        )
                        % {
                            "added": result.added,
                            "changed": result.changed,
                            "removed": result.removed,
                        },
                    )
                else:
                    messages.info(request, _("The file matches the course: nothing changed."))
                return redirect("learning:course_file", slug=course.slug)
    return render(
        request,
        "learning/authoring/course_file.html",
        {"course": course, "form": form},
        status=status,
    )


@login_required
@require_GET
def course_file_download(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.access_course_for_team(user=request.user, slug=slug)
    response = HttpResponse(
        authoring.course_export(course=course), content_type="application/yaml; charset=utf-8"
    )
    return attachment(response, f"{course.slug}.yaml")


urlpatterns: list[URLPattern] = [
    path("conception/<slug:slug>/", course_file, name="course_file"),
    path(
        "conception/<slug:slug>/fichier-du-cours.yaml",
        course_file_download,
        name="course_file_download",
    ),
]
