"""Views of the learning pillar: the course team's pages.

The team's courses and sessions, a session's dashboard (figures, learners at risk, bulk
transfer of those who missed the deadline, CSV export), deadline extensions, and the review
of assignments with the rubric. Every page is for the team of *that* course only: the
`access_*_for_team` selectors answer 403 to accounts without the course-team permission
and 404 to team members of other courses.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from alliances.errors import form_add_error
from alliances.http import attachment
from alliances.learning import selectors
from alliances.learning.exceptions import LearningError
from alliances.learning.forms.team import BulkTransferForm, ExtensionForm, ReviewForm
from alliances.learning.models import SubmissionStatus
from alliances.learning.selectors.dashboards import (
    access_submission_file,
    access_submission_for_team,
    cohort_at_risk_page,
    cohort_dashboard,
    cohort_enrollments_csv_rows,
    submissions_awaiting_review,
    team_courses_overview,
)
from alliances.learning.services import enrollment as enrollment_services
from alliances.learning.services import transfer as transfer_services
from alliances.learning.services import work as work_services
from alliances.spreadsheets import csv_lines

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alliances.http import AuthenticatedHttpRequest


@login_required
@require_GET
def team_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm(selectors.TEACH_PERMISSION):
        raise PermissionDenied
    overview = team_courses_overview(user=request.user, now=timezone.now())
    return render(request, "learning/team/home.html", {"overview": overview})


@login_required
@require_http_methods(["GET", "POST"])
def team_cohort(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    """The session's dashboard, and the bulk transfer of those who missed the deadline.

    A POST (after an explicit confirmation) moves every learner who missed the deadline to
    the next session and says how many were moved.
    """
    now = timezone.now()
    cohort = selectors.access_cohort_for_team(user=request.user, cohort_id=cohort_id)
    if request.method == "POST":
        following = selectors.cohort_next_for_transfer(cohort=cohort, now=now)
        form = BulkTransferForm(request.POST, targets=[following] if following else [])
        if form.is_valid():
            target = form.target()
            try:
                moved = transfer_services.enrollments_transfer(
                    from_cohort=cohort, to_cohort=target, performed_by=request.user, now=now
                )
            except LearningError as error:
                messages.error(request, str(error))
            else:
                if moved:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s learner was moved to the %(session)s.",
                            "%(count)s learners were moved to the %(session)s.",
                            moved,
                        )
                        % {"count": moved, "session": target.title},
                    )
                else:
                    messages.info(request, _("No learner was left to move."))
            return redirect("learning:team_cohort", cohort_id=cohort.pk)
    dashboard = cohort_dashboard(cohort=cohort, now=now)
    if request.method != "POST":
        targets = [dashboard.next_cohort] if dashboard.next_cohort else []
        form = BulkTransferForm(targets=targets)
    at_risk = cohort_at_risk_page(
        cohort=cohort, now=now, page=request.GET.get("page"), dashboard=dashboard
    )
    return render(
        request,
        "learning/team/cohort.html",
        {"cohort": cohort, "dashboard": dashboard, "at_risk": at_risk, "transfer_form": form},
    )


@login_required
@require_GET
def team_cohort_csv(request: AuthenticatedHttpRequest, cohort_id: int) -> StreamingHttpResponse:
    """The session's enrolments as a CSV file for spreadsheets, streamed as it is read.

    Choices made for French spreadsheet users: UTF-8 with a byte-order mark (without it,
    Excel reads the accents as Windows-1252), `;` as the separator (Excel in a French locale
    expects it, since the comma is the decimal separator) and CRLF line ends. Dates are
    written as `YYYY-MM-DD HH:MM:SS` in the session's time zone (Europe/Paris), which both
    Excel and LibreOffice read as dates. Cells starting with = + - @ (or a tab or carriage
    return) are prefixed with an apostrophe so that no formula runs when the file is opened.
    """
    cohort = selectors.access_cohort_for_team(user=request.user, cohort_id=cohort_id)
    rows = cohort_enrollments_csv_rows(cohort=cohort)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    filename = f"{cohort.course.slug}-{cohort.code}-inscriptions.csv"
    return attachment(response, filename)


@login_required
@require_http_methods(["GET", "POST"])
def team_extension(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    now = timezone.now()
    enrollment = selectors.access_enrollment_for_team(
        user=request.user, enrollment_id=enrollment_id
    )
    deadlines = selectors.enrollment_deadlines(enrollment=enrollment)
    form = ExtensionForm(
        request.POST or None, cohort=enrollment.cohort, current_final=deadlines.final
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrollment_services.enrollment_extend(
                enrollment=enrollment,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                granted_by=request.user,
                now=now,
            )
        except LearningError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("The final deadline of %(name)s has been extended.")
                % {"name": enrollment.user.full_name or enrollment.user.email},
            )
            return redirect("learning:team_cohort", cohort_id=enrollment.cohort_id)
    return render(
        request,
        "learning/team/extension.html",
        {
            "enrollment": enrollment,
            "deadlines": deadlines,
            "form": form,
        },
    )


@login_required
@require_GET
def team_reviews(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.access_course_for_team(user=request.user, slug=slug)
    queue = submissions_awaiting_review(course=course, page=request.GET.get("page"))
    return render(request, "learning/team/reviews.html", {"course": course, "queue": queue})


@login_required
@require_http_methods(["GET", "POST"])
def team_review(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    now = timezone.now()
    submission = access_submission_for_team(user=request.user, submission_id=submission_id)
    course = submission.assignment.item.episode.course
    criteria = list(submission.assignment.criteria.all())
    awaiting = submission.status == SubmissionStatus.SUBMITTED
    form = ReviewForm(request.POST or None, criteria=criteria) if awaiting else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This submission has already been reviewed."))
            return redirect("learning:team_review", submission_id=submission.pk)
        if form.is_valid():
            try:
                work_services.submission_review(
                    submission=submission,
                    reviewer=request.user,
                    accept=form.accepts(),
                    feedback=form.cleaned_data["feedback"],
                    points=form.points(),
                    now=now,
                )
            except LearningError as error:
                form_add_error(form, error)
            else:
                name = submission.user.full_name or submission.user.email
                message = (
                    _("The submission of %(name)s has been accepted.")
                    if form.accepts()
                    else _("A revision has been requested from %(name)s.")
                )
                messages.success(request, message % {"name": name})
                return redirect("learning:team_reviews", slug=course.slug)
    return render(
        request,
        "learning/team/review.html",
        {
            "submission": submission,
            "course": course,
            "form": form,
            "scores": [
                (criterion, submission.rubric_points.get(criterion.key)) for criterion in criteria
            ],
        },
    )


@login_required
@require_GET
def team_submission_file(request: AuthenticatedHttpRequest, submission_id: int) -> FileResponse:
    """The file handed in, for its author and the team of the course (anyone else: 404).

    Always sent as an attachment so that the browser never renders it in the site's origin.
    """
    submission = access_submission_file(user=request.user, submission_id=submission_id)
    return FileResponse(
        submission.file.open("rb"),
        as_attachment=True,
        filename=PurePosixPath(submission.file.name or "").name,
    )


urlpatterns: list[URLPattern] = [
    path("equipe/", team_home, name="team_home"),
    path("equipe/sessions/<int:cohort_id>/", team_cohort, name="team_cohort"),
    path("equipe/sessions/<int:cohort_id>/export.csv", team_cohort_csv, name="team_cohort_csv"),
    path(
        "equipe/inscriptions/<int:enrollment_id>/prolongation/",
        team_extension,
        name="team_extension",
    ),
    path("equipe/cours/<slug:slug>/devoirs/", team_reviews, name="team_reviews"),
    path("equipe/devoirs/<int:submission_id>/", team_review, name="team_review"),
    path(
        "equipe/devoirs/<int:submission_id>/fichier/",
        team_submission_file,
        name="team_submission_file",
    ),
]
