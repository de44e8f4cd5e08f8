"""The course team's pages.

Who may see them, the session dashboard's figures and its learners at risk, extensions,
the bulk transfer, the CSV export and the review of assignments with the rubric.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliances.accounts.tests.factories import user_with_role
from alliances.learning.forms.team import LocalDateTimeField
from alliances.learning.models import (
    AssignmentSubmission,
    Enrollment,
    EnrollmentStatus,
    SubmissionStatus,
    TransferRecord,
)
from alliances.learning.selectors import enrollment_deadlines
from alliances.learning.selectors.dashboards import (
    cohort_at_risk_page,
    cohort_dashboard,
    team_courses_overview,
)
from alliances.learning.services.deadlines import deadlines_process
from alliances.learning.services.enrollment import enrollment_extend, enrollment_withdraw
from alliances.learning.services.work import (
    assignment_submit,
    item_complete,
    quiz_attempt_submit,
    submission_review,
)
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    correct_answers,
    enrol,
    paris,
)
from alliances.spreadsheets import csv_cell

pytestmark = pytest.mark.django_db


def at(moment):
    """Run as if the server's clock read `moment` (views call timezone.now)."""
    return mock.patch("django.utils.timezone.now", new=lambda: moment)  # noqa: PT008


def finish_episode(user, course, position, when):
    """Do every item of an episode (the assignment is handed in, not yet reviewed)."""
    for item in course.episodes.get(position=position).items.order_by("position"):
        if item.kind == "quiz":
            quiz_attempt_submit(
                user=user, quiz=item.quiz, answers=correct_answers(item.quiz), received_at=when
            )
        elif item.kind == "assignment":
            assignment_submit(
                user=user,
                assignment=item.assignment,
                text="Mon devoir",
                file=None,
                received_at=when,
            )
        else:
            item_complete(user=user, item=item, now=when)


def assignment_of(course):
    return course.episodes.get(position=4).items.get(kind="assignment").assignment


@pytest.fixture
def team_member():
    return user_with_role("course_team", full_name="Claire Équipe")


@pytest.fixture
def course(team_member):
    return build_course(team=[team_member])


@pytest.fixture
def cohort(course):
    return build_cohort(course, date(2026, 11, 2))


@pytest.fixture
def following(course):
    return build_cohort(course, date(2026, 12, 7))


@pytest.fixture
def other_team_member():
    member = user_with_role("course_team")
    build_course(team=[member])
    return member


# --- access -----------------------------------------------------------------------------


@pytest.fixture
def pages(course, cohort, settings, tmp_path):
    """One URL of each team page, for a session whose learner handed in a file."""
    settings.MEDIA_ROOT = tmp_path
    learner = UserFactory()
    enrollment = enrol(learner, cohort)
    submission = assignment_submit(
        user=learner,
        assignment=assignment_of(course),
        text="",
        file=SimpleUploadedFile("devoir.txt", b"Mon analyse"),
        received_at=paris(2026, 11, 20),
    )
    return {
        "author": learner,
        "urls": {
            "team_cohort": reverse("learning:team_cohort", args=[cohort.pk]),
            "team_cohort_csv": reverse("learning:team_cohort_csv", args=[cohort.pk]),
            "team_extension": reverse("learning:team_extension", args=[enrollment.pk]),
            "team_reviews": reverse("learning:team_reviews", args=[course.slug]),
            "team_review": reverse("learning:team_review", args=[submission.pk]),
            "team_submission_file": reverse("learning:team_submission_file", args=[submission.pk]),
        },
    }


TEAM_PAGES = [
    "team_cohort",
    "team_cohort_csv",
    "team_extension",
    "team_reviews",
    "team_review",
    "team_submission_file",
]


@pytest.mark.parametrize("name", TEAM_PAGES)
def test_team_pages_open_for_the_team_of_the_course(client, team_member, pages, name):
    client.force_login(team_member)
    with at(paris(2026, 11, 21)):
        response = client.get(pages["urls"][name])
    assert response.status_code == 200


@pytest.mark.parametrize("name", TEAM_PAGES)
def test_team_pages_are_not_found_for_the_team_of_another_course(
    client, other_team_member, pages, name
):
    client.force_login(other_team_member)
    assert client.get(pages["urls"][name]).status_code == 404


@pytest.mark.parametrize("name", [name for name in TEAM_PAGES if name != "team_submission_file"])
def test_team_pages_are_forbidden_to_a_learner(client, pages, name):
    client.force_login(UserFactory())
    assert client.get(pages["urls"][name]).status_code == 403


@pytest.mark.parametrize("name", TEAM_PAGES)
def test_team_pages_send_anonymous_visitors_to_sign_in(client, pages, name):
    response = client.get(pages["urls"][name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_team_pages_are_forbidden_even_to_a_named_member_without_the_role(client, course, cohort):
    # Named on the course's team but without the course-team role: no access.
    member = UserFactory()
    course.team.add(member)
    client.force_login(member)
    assert client.get(reverse("learning:team_cohort", args=[cohort.pk])).status_code == 403
    assert client.get(reverse("learning:team_home")).status_code == 403


def test_team_home_lists_only_the_courses_of_the_member(
    client, team_member, course, cohort, other_team_member
):
    client.force_login(team_member)
    with at(paris(2026, 11, 10)):
        response = client.get(reverse("learning:team_home"))
    html = response.content.decode()
    assert course.title in html
    assert reverse("learning:team_cohort", args=[cohort.pk]) in html
    other = other_team_member.taught_courses.get()
    assert other.title not in html


def test_team_courses_overview_sorts_sessions_and_counts_learners(
    team_member, course, cohort, following
):
    past = build_cohort(course, date(2026, 9, 7))
    enrol(UserFactory(), cohort)
    enrol(UserFactory(), cohort)
    enrol(UserFactory(), following, now=paris(2026, 11, 20))
    (overview,) = team_courses_overview(user=team_member, now=paris(2026, 11, 10))
    assert overview.course == course
    assert [row.cohort for row in overview.past] == [past]
    assert [(row.cohort, row.enrolled, row.active) for row in overview.running] == [(cohort, 2, 2)]
    assert [(row.cohort, row.enrolled) for row in overview.upcoming] == [(following, 1)]
    assert team_courses_overview(user=UserFactory(), now=paris(2026, 11, 10)) == ()


def test_submission_file_is_sent_to_its_author_and_the_team_only(
    client, team_member, pages, other_team_member
):
    url = pages["urls"]["team_submission_file"]
    for user in (team_member, pages["author"]):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"Mon analyse"
        assert response["Content-Disposition"].startswith("attachment;")
    for user in (UserFactory(), other_team_member):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_submission_without_file_has_no_file_to_download(client, team_member, course, cohort):
    learner = UserFactory()
    enrol(learner, cohort)
    submission = assignment_submit(
        user=learner,
        assignment=assignment_of(course),
        text="Texte",
        file=None,
        received_at=paris(2026, 11, 20),
    )
    client.force_login(team_member)
    url = reverse("learning:team_submission_file", args=[submission.pk])
    assert client.get(url).status_code == 404


# --- dashboard figures ------------------------------------------------------------------


@pytest.fixture
def small_cohort(course, cohort):
    """Five learners at 17 November (the indicative deadlines of episodes 1 and 2 passed).

    ahead: episodes 1 and 2, active on the 16th; behind: episode 1 only, last active on
    the 5th; idle: nothing; gone: withdrew; validated: everything, accepted on the 12th.
    """
    learners = {name: UserFactory(full_name=name) for name in ("ahead", "behind", "idle")}
    learners["gone"] = UserFactory(full_name="gone")
    learners["validated"] = UserFactory(full_name="validated")
    enrollments = {name: enrol(user, cohort) for name, user in learners.items()}
    finish_episode(learners["ahead"], course, 1, paris(2026, 11, 6))
    finish_episode(learners["ahead"], course, 2, paris(2026, 11, 16))
    finish_episode(learners["behind"], course, 1, paris(2026, 11, 5))
    enrollment_withdraw(enrollment=enrollments["gone"], now=paris(2026, 11, 3))
    for position in (1, 2, 3, 4):
        finish_episode(learners["validated"], course, position, paris(2026, 11, 12))
    submission = AssignmentSubmission.objects.get(user=learners["validated"])
    submission_review(
        submission=submission,
        reviewer=course.team.get(),
        accept=True,
        feedback="",
        points={"clarte": 4, "analyse": 4},
        now=paris(2026, 11, 12, 18),
    )
    # A learner of the next session does not count here.
    enrol(UserFactory(), build_cohort(course, date(2026, 12, 7)), now=paris(2026, 11, 20))
    return learners, enrollments


def test_dashboard_counts_a_small_session(cohort, small_cohort):
    learners, _enrollments = small_cohort
    assert Enrollment.objects.get(user=learners["validated"]).status == "validated"
    figures = cohort_dashboard(cohort=cohort, now=paris(2026, 11, 17, 12))
    assert figures.enrolled == 5
    assert figures.following == 4
    assert (figures.active, figures.validated, figures.withdrawn) == (3, 1, 1)
    assert (figures.missed_deadline, figures.transferred) == (0, 0)
    assert figures.active_recently == 2  # ahead (16th) and validated (12th)
    assert figures.at_risk == 2  # behind and idle
    assert [row.done for row in figures.episodes] == [3, 2, 1, 1]
    assert [row.percent for row in figures.episodes] == [75.0, 50.0, 25.0, 25.0]
    assert [row.deadline_passed for row in figures.episodes] == [True, True, False, False]
    assert figures.next_cohort is not None


def test_dashboard_counts_no_one_at_risk_before_the_first_deadline(cohort, small_cohort):
    figures = cohort_dashboard(cohort=cohort, now=paris(2026, 11, 8, 23, 59, 59))
    assert figures.at_risk == 0
    one_second_later = cohort_dashboard(cohort=cohort, now=paris(2026, 11, 9))
    assert one_second_later.at_risk == 1  # idle; behind did episode 1


def test_at_risk_page_lists_the_least_active_first_with_their_deadline(
    team_member, cohort, small_cohort
):
    _learners, enrollments = small_cohort
    enrollment_extend(
        enrollment=enrollments["idle"],
        until=paris(2026, 12, 6, 23, 59, 59),
        reason="Hospitalisation",
        granted_by=team_member,
        now=paris(2026, 11, 16),
    )
    page = cohort_at_risk_page(cohort=cohort, now=paris(2026, 11, 17, 12), page=1)
    assert page.count == 2
    idle, behind = page.learners
    assert (idle.name, idle.episodes_done, idle.episodes_behind) == ("idle", (), (1, 2))
    assert idle.last_activity_at is None
    assert idle.extended
    assert idle.final_deadline == paris(2026, 12, 6, 23, 59, 59)
    assert (behind.name, behind.episodes_done, behind.episodes_behind) == ("behind", (1,), (2,))
    assert behind.last_activity_at == paris(2026, 11, 5)
    assert behind.final_deadline == cohort.final_deadline_at
    assert not behind.extended


def test_dashboard_after_the_deadline_counts_missed_learners(cohort, small_cohort):
    deadlines_process(now=paris(2026, 11, 30, 0, 0, 1))
    figures = cohort_dashboard(cohort=cohort, now=paris(2026, 11, 30, 1))
    assert (figures.active, figures.missed_deadline, figures.validated) == (0, 3, 1)
    assert figures.following == 4
    assert figures.at_risk == 0


def test_dashboard_page_shows_the_figures_and_the_at_risk_learners(
    client, team_member, cohort, small_cohort
):
    client.force_login(team_member)
    with at(paris(2026, 11, 17, 12)):
        response = client.get(reverse("learning:team_cohort", args=[cohort.pk]))
    html = response.content.decode()
    dashboard = response.context["dashboard"]
    assert dashboard.at_risk == 2
    assert [learner.name for learner in response.context["at_risk"].learners] == [
        "idle",
        "behind",
    ]
    _learners, enrollments = small_cohort
    assert reverse("learning:team_extension", args=[enrollments["idle"].pk]) in html
    assert reverse("learning:team_cohort_csv", args=[cohort.pk]) in html


# --- extensions -------------------------------------------------------------------------


def test_extension_is_granted_with_a_reason_in_paris_time(client, team_member, cohort):
    learner = UserFactory()
    enrollment = enrol(learner, cohort)
    client.force_login(team_member)
    url = reverse("learning:team_extension", args=[enrollment.pk])
    with at(paris(2026, 11, 20)):
        response = client.post(
            url, {"until": "2026-12-06T23:59:59", "reason": "Raisons familiales"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:team_cohort", args=[cohort.pk])
    enrollment.refresh_from_db()
    deadlines = enrollment_deadlines(enrollment=enrollment)
    assert deadlines.final == paris(2026, 12, 6, 23, 59, 59)
    assert deadlines.extended
    assert enrollment.extension_reason == "Raisons familiales"
    assert enrollment.extension_granted_by == team_member
    # The page then shows who granted it and why.
    with at(paris(2026, 11, 21)):
        page = client.get(url).content.decode()
    assert "Claire Équipe" in page
    assert "Raisons familiales" in page


def test_extension_form_proposes_a_week_after_the_current_deadline(client, team_member, cohort):
    enrollment = enrol(UserFactory(), cohort)
    client.force_login(team_member)
    with at(paris(2026, 11, 20)):
        response = client.get(reverse("learning:team_extension", args=[enrollment.pk]))
    assert response.context["form"].initial["until"] == "2026-12-06T23:59:59"
    assert 'type="datetime-local"' in response.content.decode()


def test_extension_requires_a_reason(client, team_member, cohort):
    enrollment = enrol(UserFactory(), cohort)
    client.force_login(team_member)
    with at(paris(2026, 11, 20)):
        response = client.post(
            reverse("learning:team_extension", args=[enrollment.pk]),
            {"until": "2026-12-06T23:59", "reason": "   "},
        )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    enrollment.refresh_from_db()
    assert enrollment.extended_deadline_at is None


def test_extension_before_the_session_deadline_is_refused(client, team_member, cohort):
    enrollment = enrol(UserFactory(), cohort)
    client.force_login(team_member)
    with at(paris(2026, 11, 20)):
        response = client.post(
            reverse("learning:team_extension", args=[enrollment.pk]),
            {"until": "2026-11-28T12:00", "reason": "Maladie"},
        )
    assert response.status_code == 200
    assert "until" in response.context["form"].errors
    enrollment.refresh_from_db()
    assert enrollment.extended_deadline_at is None
    assert enrollment_deadlines(enrollment=enrollment).final == cohort.final_deadline_at


def test_extension_time_skipped_by_the_clock_change_is_refused():
    field = LocalDateTimeField()
    with pytest.raises(Exception, match="changement d’heure") as error:
        field.clean("2027-03-28T02:30")
    assert error.type.__name__ == "ValidationError"
    assert field.clean("2027-03-28T03:30") == paris(2027, 3, 28, 3, 30)
    assert field.clean("2026-12-06T23:59:59").utcoffset() == timedelta(hours=1)


# --- bulk transfer ----------------------------------------------------------------------


@pytest.fixture
def missed(course, cohort, following):
    """Two learners who missed the deadline (one with episode 1 done), one validated."""
    late = [UserFactory(), UserFactory()]
    for user in late:
        enrol(user, cohort)
    finish_episode(late[0], course, 1, paris(2026, 11, 5))
    done = UserFactory()
    enrol(done, cohort)
    for position in (1, 2, 3, 4):
        finish_episode(done, course, position, paris(2026, 11, 10))
    submission_review(
        submission=AssignmentSubmission.objects.get(user=done),
        reviewer=course.team.get(),
        accept=True,
        feedback="",
        points={"clarte": 3, "analyse": 3},
        now=paris(2026, 11, 11),
    )
    deadlines_process(now=paris(2026, 11, 30, 0, 0, 1))
    return late


def test_bulk_transfer_moves_the_missed_learners_and_is_idempotent(
    client, team_member, cohort, following, missed
):
    client.force_login(team_member)
    url = reverse("learning:team_cohort", args=[cohort.pk])
    with at(paris(2026, 12, 1)):
        page = client.get(url)
        assert page.context["transfer_form"].initial["to_cohort"] == following.pk
        response = client.post(url, {"to_cohort": following.pk, "confirm": "on"}, follow=True)
    assert [str(message) for message in response.context["messages"]]
    assert "2" in str(next(iter(response.context["messages"])))
    moved = Enrollment.objects.filter(cohort=following, status=EnrollmentStatus.ACTIVE)
    assert {row.user for row in moved} == set(missed)
    assert Enrollment.objects.filter(cohort=cohort, status="transferred").count() == 2
    assert Enrollment.objects.filter(cohort=cohort, status="validated").count() == 1
    record = TransferRecord.objects.get(user=missed[0])
    assert (record.performed_by, record.episodes_done) == (team_member, 1)

    with at(paris(2026, 12, 1, 1)):
        client.post(url, {"to_cohort": following.pk, "confirm": "on"})
    assert Enrollment.objects.filter(cohort=following).count() == 2
    assert TransferRecord.objects.count() == 2


def test_bulk_transfer_needs_the_confirmation(client, team_member, cohort, following, missed):
    client.force_login(team_member)
    with at(paris(2026, 12, 1)):
        response = client.post(
            reverse("learning:team_cohort", args=[cohort.pk]), {"to_cohort": following.pk}
        )
    assert response.status_code == 200
    assert "confirm" in response.context["transfer_form"].errors
    assert not Enrollment.objects.filter(cohort=following).exists()


def test_bulk_transfer_refuses_a_session_other_than_the_next(
    client, team_member, course, cohort, following, missed
):
    later = build_cohort(course, date(2027, 1, 4))
    client.force_login(team_member)
    with at(paris(2026, 12, 1)):
        response = client.post(
            reverse("learning:team_cohort", args=[cohort.pk]),
            {"to_cohort": later.pk, "confirm": "on"},
        )
    assert response.status_code == 200
    assert "to_cohort" in response.context["transfer_form"].errors
    assert not Enrollment.objects.filter(cohort=later).exists()


# --- CSV export -------------------------------------------------------------------------


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_lists_every_enrolment_with_its_progress(client, team_member, course, cohort):
    ahead = UserFactory(full_name="Zoé Lefèvre", email="zoe@example.org")
    enrol(ahead, cohort)
    finish_episode(ahead, course, 1, paris(2026, 11, 5, 9, 30))
    idle = UserFactory(full_name="Adam Idle")
    enrollment = enrol(idle, cohort)
    enrollment_extend(
        enrollment=enrollment,
        until=paris(2026, 12, 6, 23, 59, 59),
        reason="Stage",
        granted_by=team_member,
        now=paris(2026, 11, 10),
    )
    client.force_login(team_member)
    with at(paris(2026, 11, 10)):
        response = client.get(reverse("learning:team_cohort_csv", args=[cohort.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{course.slug}-{cohort.code}-inscriptions.csv"'
    )
    header, first, second = read_csv(response)
    assert len(header) == len(first) == 4 + 4 + 2 + 4 + 3
    # Sorted by name: Adam, then Zoé.
    assert first[:2] == ["Adam Idle", idle.email]
    assert first[4:8] == ["0", "0", "0", "0"]
    assert first[-2:] == ["2026-12-06 23:59:59", "Stage"]
    assert second[:2] == ["Zoé Lefèvre", "zoe@example.org"]
    assert second[3] == "2026-11-02 12:00:00"  # Paris time
    assert second[4:8] == ["1", "0", "0", "0"]
    assert second[8:10] == ["2", "2026-11-05 09:30:00"]  # items done, last activity
    assert second[10:14] == ["100", "", "", ""]  # best quiz scores (%)
    assert second[-3:] == ["", "2026-11-29 23:59:59", ""]


def test_csv_export_neutralises_spreadsheet_formulas(client, team_member, cohort):
    for name in ('=HYPERLINK("http://x")', "+33 6 00", "-2+3", "@SUM(A1)"):
        enrol(UserFactory(full_name=name), cohort)
    client.force_login(team_member)
    with at(paris(2026, 11, 10)):
        rows = read_csv(client.get(reverse("learning:team_cohort_csv", args=[cohort.pk])))
    names = sorted(row[0] for row in rows[1:])
    assert names == sorted(['\'=HYPERLINK("http://x")', "'+33 6 00", "'-2+3", "'@SUM(A1)"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("", ""),
        ("2026-11-02 12:00:00", "2026-11-02 12:00:00"),
    ],
)
def test_csv_cell_prefixes_only_what_a_spreadsheet_would_run(value, expected):
    assert csv_cell(value) == expected


# --- reviews ----------------------------------------------------------------------------


@pytest.fixture
def submissions(course, settings):
    """Two submissions of the final assignment, the second one late.

    Episode 4 is due on the 22nd in this session, the final deadline being the 29th.
    """
    course.episodes.filter(position=4).update(deadline_offset_days=20)
    cohort = build_cohort(course, date(2026, 11, 2))
    first, second = UserFactory(full_name="Première"), UserFactory(full_name="Seconde")
    enrol(first, cohort)
    enrol(second, cohort)
    assignment = assignment_of(course)
    early = assignment_submit(
        user=first,
        assignment=assignment,
        text="**gras** <script>alert('x')</script>",
        file=None,
        received_at=paris(2026, 11, 10),
    )
    late = assignment_submit(
        user=second, assignment=assignment, text="Tard", file=None, received_at=paris(2026, 11, 25)
    )
    return early, late


def test_reviews_list_the_oldest_first_with_the_late_flag(client, team_member, course, submissions):
    early, late = submissions
    assert (early.is_late, late.is_late) == (False, True)
    client.force_login(team_member)
    response = client.get(reverse("learning:team_reviews", args=[course.slug]))
    queue = response.context["queue"]
    assert list(queue.submissions) == [early, late]
    html = response.content.decode()
    assert html.index("Première") < html.index("Seconde")
    assert html.count("team-tag--late") == 1


def test_review_page_shows_the_sanitised_submission(client, team_member, submissions):
    early, _late = submissions
    client.force_login(team_member)
    html = client.get(reverse("learning:team_review", args=[early.pk])).content.decode()
    assert "<strong>gras</strong>" in html
    assert "<script>alert" not in html
    assert 'name="criterion_clarte"' in html


def test_review_accepts_with_rubric_points(client, team_member, course, submissions):
    early, _late = submissions
    client.force_login(team_member)
    response = client.post(
        reverse("learning:team_review", args=[early.pk]),
        {"criterion_clarte": "4", "criterion_analyse": "3", "feedback": "", "decision": "accept"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:team_reviews", args=[course.slug])
    early.refresh_from_db()
    assert early.status == SubmissionStatus.ACCEPTED
    assert early.rubric_points == {"clarte": 4, "analyse": 3}
    assert early.reviewer == team_member


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"criterion_clarte": "5", "criterion_analyse": "3"}, "criterion_clarte"),
        ({"criterion_clarte": "-1", "criterion_analyse": "3"}, "criterion_clarte"),
        ({"criterion_clarte": "2"}, "criterion_analyse"),
        ({"criterion_clarte": "2", "criterion_analyse": "deux"}, "criterion_analyse"),
    ],
)
def test_review_refuses_points_outside_the_rubric(client, team_member, submissions, data, field):
    early, _late = submissions
    client.force_login(team_member)
    response = client.post(
        reverse("learning:team_review", args=[early.pk]), {**data, "decision": "accept"}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    early.refresh_from_db()
    assert early.status == SubmissionStatus.SUBMITTED


def test_review_revision_needs_feedback(client, team_member, submissions):
    early, _late = submissions
    client.force_login(team_member)
    url = reverse("learning:team_review", args=[early.pk])
    points = {"criterion_clarte": "1", "criterion_analyse": "1", "decision": "revise"}
    response = client.post(url, {**points, "feedback": ""})
    assert response.status_code == 200
    assert "feedback" in response.context["form"].errors
    early.refresh_from_db()
    assert early.status == SubmissionStatus.SUBMITTED

    response = client.post(url, {**points, "feedback": "Développez l’analyse."})
    assert response.status_code == 302
    early.refresh_from_db()
    assert early.status == SubmissionStatus.REVISION_REQUESTED
    assert early.feedback == "Développez l’analyse."


def test_review_needs_a_decision_and_happens_once(client, team_member, submissions):
    early, _late = submissions
    client.force_login(team_member)
    url = reverse("learning:team_review", args=[early.pk])
    points = {"criterion_clarte": "2", "criterion_analyse": "2"}
    response = client.post(url, points)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    client.post(url, {**points, "decision": "accept"})
    again = client.post(url, {**points, "decision": "revise", "feedback": "Non"})
    assert again.status_code == 302
    early.refresh_from_db()
    assert early.status == SubmissionStatus.ACCEPTED
    # Once reviewed, the page shows the review instead of the form.
    page = client.get(url)
    assert page.context["form"] is None
    assert page.context["scores"][0][1] == 2
