"""The course team's course-file pages and the `course_export` / `course_import` commands."""

from __future__ import annotations

import io

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from alliances.accounts.roles import Role
from alliances.accounts.tests.factories import user_with_role
from alliances.learning.models import Course, Episode, Item, ItemCompletion
from alliances.learning.services.authoring import course_export
from alliances.learning.services.work import item_complete
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    enrol,
    paris,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return user_with_role(Role.COURSE_TEAM)


@pytest.fixture
def course(member):
    return build_course(team=[member], slug="mon-cours", title="Mon cours")


def page(course):
    return reverse("learning:course_file", kwargs={"slug": course.slug})


def download(course):
    return reverse("learning:course_file_download", kwargs={"slug": course.slug})


def upload(text: str, name: str = "cours.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/yaml")


def retitled(course, title):
    data = yaml.safe_load(course_export(course=course))
    data["title"] = title
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_course_file_download_gives_the_export(client, member, course):
    client.force_login(member)
    response = client.get(download(course))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mon-cours.yaml"'
    assert response.content.decode() == course_export(course=course)


def test_course_file_pages_are_for_the_course_team_only(client, member, course):
    other_member = user_with_role(Role.COURSE_TEAM)
    learner = UserFactory()
    assert client.get(page(course)).status_code == 302  # sign in first
    client.force_login(learner)
    assert client.get(page(course)).status_code == 403
    assert client.get(download(course)).status_code == 403
    client.force_login(other_member)
    assert client.get(page(course)).status_code == 404
    assert client.get(download(course)).status_code == 404
    assert client.post(page(course), {"file": upload(retitled(course, "x"))}).status_code == 404
    course.refresh_from_db()
    assert course.title == "Mon cours"


def test_course_file_page_is_accessible(client, member, course, django_assert_max_num_queries):
    client.force_login(member)
    with django_assert_max_num_queries(10):
        response = client.get(page(course))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_file">' in html
    assert 'enctype="multipart/form-data"' in html
    assert html.count("<h1>") == 1
    assert download(course) in html


def test_course_file_upload_updates_the_course(client, member, course):
    client.force_login(member)
    response = client.post(page(course), {"file": upload(retitled(course, "Nouveau titre"))})
    assert response.status_code == 302
    assert response.url == page(course)
    course.refresh_from_db()
    assert course.title == "Nouveau titre"
    response = client.post(page(course), {"file": upload(course_export(course=course))})
    assert response.status_code == 302
    # Not yet displayed: the first import's message, then the unchanged one's.
    levels = [message.level_tag for message in response.wsgi_request._messages]
    assert levels == ["success", "info"]


def test_course_file_upload_shows_problems_in_the_form(client, member, course):
    client.force_login(member)
    text = course_export(course=course).replace("kind: text", "kind: texte", 1)
    response = client.post(page(course), {"file": upload(text)})
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert "episodes[0].items[0].kind" in errors[0]
    assert "episodes[0].items[0].kind" in response.content.decode()
    course.refresh_from_db()
    assert Item.objects.filter(episode__course=course, kind="text").count() == 4


def test_course_file_upload_shows_refused_removal_in_french(client, member, course):
    cohort = build_cohort(course)
    learner = UserFactory()
    enrol(learner, cohort)
    item = Item.objects.get(episode__course=course, episode__position=1, key="texte")
    item_complete(user=learner, item=item, now=paris(2026, 11, 3))
    data = yaml.safe_load(course_export(course=course))
    data["episodes"][0]["items"].pop(0)
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(page(course), {"file": upload(yaml.safe_dump(data, allow_unicode=True))})
    assert response.status_code == 400
    assert response.context["LANGUAGE_CODE"] == "fr"
    assert "texte" in response.context["form"].errors["file"][0]
    assert ItemCompletion.objects.filter(item=item).exists()


def test_course_file_upload_refuses_another_courses_file(client, member, course):
    other = build_course(slug="autre")
    client.force_login(member)
    response = client.post(page(course), {"file": upload(course_export(course=other))})
    assert response.status_code == 400
    assert "autre" in response.context["form"].errors["file"][0]


def test_course_file_upload_refuses_other_formats(client, member, course):
    client.force_login(member)
    response = client.post(page(course), {"file": upload("x", name="cours.docx")})
    assert response.status_code == 400
    assert "cours.docx" in response.context["form"].errors["file"][0]


# --- commands -----------------------------------------------------------------------------


def test_course_export_and_import_commands_round_trip(course, tmp_path):
    target = tmp_path / "cours.yaml"
    call_command("course_export", "mon-cours", "-o", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8") == course_export(course=course)
    stdout = io.StringIO()
    call_command("course_export", "mon-cours", stdout=stdout)
    assert stdout.getvalue() == course_export(course=course)

    Course.objects.all().delete()
    out = io.StringIO()
    call_command("course_import", str(target), stdout=out)
    assert "created" in out.getvalue()
    assert Episode.objects.filter(course__slug="mon-cours").count() == 4
    out = io.StringIO()
    call_command("course_import", str(target), stdout=out)
    assert "unchanged" in out.getvalue()


def test_course_commands_report_errors_without_traceback(course, tmp_path):
    with pytest.raises(CommandError, match="No course has the slug 'inconnu'"):
        call_command("course_export", "inconnu")
    with pytest.raises(CommandError, match="Could not read"):
        call_command("course_import", str(tmp_path / "absent.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        course_export(course=course).replace("pass_quiz_percent: 60", "pass_quiz_percent: 160")
    )
    with pytest.raises(CommandError, match="pass_quiz_percent"):
        call_command("course_import", str(bad))
