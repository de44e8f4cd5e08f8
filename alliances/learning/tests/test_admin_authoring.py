"""Authoring in the admin, scoped to the course team.

A course-team member sees and edits only their own courses and what belongs to them;
sessions are created and recomputed through the services; learners' work cannot be deleted
from here.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from django.conf import settings
from django.urls import reverse

from alliances.accounts.roles import Role
from alliances.accounts.tests.factories import user_with_role
from alliances.learning.models import (
    Assignment,
    Cohort,
    CohortEpisode,
    Course,
    Episode,
    Item,
    LearnerProgress,
    Question,
    Quiz,
)
from alliances.learning.services.work import item_complete, quiz_attempt_submit
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    correct_answers,
    enrol,
    paris,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return user_with_role(Role.COURSE_TEAM)


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def mine(member):
    return build_course(team=[member], title="Mon cours", slug="mon-cours")


@pytest.fixture
def theirs():
    return build_course(title="Le cours d’une autre équipe", slug="autre-cours")


def admin_url(model, action, *args):
    return reverse(f"admin:learning_{model._meta.model_name}_{action}", args=args)


def value_of(bound):
    value = bound.value()
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(part) for part in value]
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def form_data(response):
    """The POST data a browser would send back for an admin change page, unchanged."""
    data = {}

    def add(form):
        for name in form.fields:
            value = value_of(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = value_of(management[name])
        for form in formset.forms:
            add(form)
    return data


def english(client):
    """Messages in the source language, whatever the catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def listed(client, model):
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].queryset)


def test_team_member_lists_only_their_courses_and_content(client, member, mine, theirs):
    client.force_login(member)
    assert listed(client, Course) == {mine}
    assert listed(client, Episode) == set(Episode.objects.filter(course=mine))
    assert listed(client, Item) == set(Item.objects.filter(episode__course=mine))
    assert listed(client, Quiz) == set(Quiz.objects.filter(item__episode__course=mine))
    assert listed(client, Question) == set(
        Question.objects.filter(quiz__item__episode__course=mine)
    )
    assert listed(client, Assignment) == set(Assignment.objects.filter(item__episode__course=mine))
    response = client.get(admin_url(Item, "changelist"))
    assert "autre équipe" not in response.content.decode()  # not even in the filters


def test_superuser_lists_every_course(client, superuser, mine, theirs):
    client.force_login(superuser)
    assert listed(client, Course) == {mine, theirs}
    assert len(listed(client, Item)) == Item.objects.count()


@pytest.mark.parametrize("model", [Course, Episode, Item, Quiz, Question, Assignment])
def test_team_member_cannot_open_another_teams_element(client, member, mine, theirs, model):
    course_path = {
        Course: "",
        Episode: "course",
        Item: "episode__course",
        Quiz: "item__episode__course",
        Question: "quiz__item__episode__course",
        Assignment: "item__episode__course",
    }[model]
    own = model.objects.filter(**{course_path or "pk": mine if course_path else mine.pk}).first()
    other = model.objects.filter(
        **{course_path or "pk": theirs if course_path else theirs.pk}
    ).first()
    client.force_login(member)
    assert client.get(admin_url(model, "change", own.pk)).status_code == 200
    response = client.get(admin_url(model, "change", other.pk))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_team_member_adds_episodes_only_to_their_courses(client, member, mine, theirs):
    client.force_login(member)
    response = client.get(admin_url(Episode, "add"))
    assert set(response.context["adminform"].form.fields["course"].queryset) == {mine}
    data = {
        "course": theirs.pk,
        "position": 5,
        "key": "intrus",
        "title": "Intrus",
        "deadline_offset_days": 27,
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
    }
    response = client.post(admin_url(Episode, "add"), data)
    assert response.status_code == 200
    assert "course" in response.context["adminform"].form.errors
    assert not Episode.objects.filter(key="intrus").exists()
    data["course"] = mine.pk
    response = client.post(admin_url(Episode, "add"), data)
    assert response.status_code == 302
    assert Episode.objects.filter(course=mine, key="intrus").exists()


def test_quiz_choices_are_quiz_items_of_the_members_courses(client, member, mine, theirs):
    client.force_login(member)
    response = client.get(admin_url(Quiz, "add"))
    choices = set(response.context["adminform"].form.fields["item"].queryset)
    assert choices == set(Item.objects.filter(episode__course=mine, kind="quiz"))


def test_team_member_edits_content_but_not_the_team(client, member, mine):
    client.force_login(member)
    url = admin_url(Course, "change", mine.pk)
    response = client.get(url)
    assert "team" not in response.context["adminform"].form.fields
    data = form_data(response)
    data["title"] = "Mon cours, revu"
    data["team"] = [str(UserFactory().pk)]
    data["slug"] = "pirate"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mine.refresh_from_db()
    assert (mine.title, mine.slug) == ("Mon cours, revu", "mon-cours")
    assert list(mine.team.all()) == [member]


def test_course_admin_refuses_a_final_deadline_after_the_session(client, superuser, mine):
    client.force_login(superuser)
    url = admin_url(Course, "change", mine.pk)
    data = form_data(client.get(url))
    data["final_deadline_offset_days"] = "28"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "final_deadline_offset_days" in response.context["adminform"].form.errors


def test_item_with_learner_work_cannot_be_deleted(client, member, mine):
    cohort = build_cohort(mine)
    learner = UserFactory()
    enrol(learner, cohort)
    item = Item.objects.get(episode__course=mine, episode__position=1, key="texte")
    item_complete(user=learner, item=item, now=paris(2026, 11, 3))
    client.force_login(member)

    response = client.post(admin_url(Item, "delete", item.pk), {"post": "yes"})
    assert response.status_code == 200  # the page lists what protects it
    assert Item.objects.filter(pk=item.pk).exists()

    url = admin_url(Episode, "change", item.episode_id)
    data = form_data(client.get(url))
    index = next(
        i for i in range(int(data["items-TOTAL_FORMS"])) if data[f"items-{i}-key"] == "texte"
    )
    data[f"items-{index}-DELETE"] = "on"
    english(client)
    response = client.post(url, data)
    assert response.status_code == 200
    errors = str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert "learners’ work refers to it" in errors
    assert Item.objects.filter(pk=item.pk).exists()


def test_item_without_work_is_deleted_and_progress_follows(client, member, mine):
    cohort = build_cohort(mine)
    learner = UserFactory()
    enrol(learner, cohort)
    text = Item.objects.get(episode__course=mine, episode__position=1, key="texte")
    video = Item.objects.create(
        episode=text.episode,
        key="video",
        position=3,
        kind="video",
        title="Vidéo",
        video_url="https://videos.example/1",
    )
    item_complete(user=learner, item=text, now=paris(2026, 11, 3))
    quiz = Quiz.objects.get(item__episode=text.episode)
    quiz_attempt_submit(
        user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 3)
    )
    progress = LearnerProgress.objects.get(user=learner, course=mine)
    assert progress.episodes_done == 0  # the video of episode 1 is not done
    client.force_login(member)
    response = client.post(admin_url(Item, "delete", video.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Item.objects.filter(pk=video.pk).exists()
    progress.refresh_from_db()
    assert progress.episodes_done == 0b1  # what is left of episode 1 is done


def test_choice_inline_needs_one_correct_answer_for_single_choice(client, member, mine):
    question = Question.objects.filter(quiz__item__episode__course=mine, kind="single").first()
    client.force_login(member)
    url = admin_url(Question, "change", question.pk)
    data = form_data(client.get(url))
    for index in range(int(data["choices-TOTAL_FORMS"])):
        data[f"choices-{index}-is_correct"] = "on"
    english(client)
    response = client.post(url, data)
    assert response.status_code == 200
    errors = str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert "exactly one correct choice" in errors
    assert question.choices.filter(is_correct=True).count() == 1


def test_superuser_creates_a_session_through_the_service(client, superuser, mine):
    client.force_login(superuser)
    response = client.post(
        admin_url(Cohort, "add"), {"course": mine.pk, "start_date": "2026-03-02", "code": ""}
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(course=mine)
    assert cohort.code == "2026-03"
    assert cohort.final_deadline_at == paris(2026, 3, 29, 23, 59, 59)
    assert cohort.starts_at == paris(2026, 3, 2)
    assert CohortEpisode.objects.filter(cohort=cohort).count() == 4
    # The same month again: the default code is taken, the form says so.
    response = client.post(
        admin_url(Cohort, "add"), {"course": mine.pk, "start_date": "2026-03-16", "code": ""}
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors


def test_session_change_recomputes_instants_from_offsets(client, superuser, mine):
    cohort = build_cohort(mine, date(2026, 3, 2))
    client.force_login(superuser)
    url = admin_url(Cohort, "change", cohort.pk)
    data = form_data(client.get(url))
    data["final_deadline_offset_days"] = "20"
    first = next(
        i
        for i in range(int(data["schedule-TOTAL_FORMS"]))
        if data[f"schedule-{i}-deadline_offset_days"] == "6"
    )
    data[f"schedule-{first}-deadline_offset_days"] = "3"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cohort.refresh_from_db()
    assert cohort.final_deadline_at == paris(2026, 3, 22, 23, 59, 59)
    row = CohortEpisode.objects.get(cohort=cohort, deadline_offset_days=3)
    assert row.deadline_at == paris(2026, 3, 5, 23, 59, 59)


def test_team_member_only_views_their_sessions(client, member, mine, theirs):
    own = build_cohort(mine)
    build_cohort(theirs)
    client.force_login(member)
    assert listed(client, Cohort) == {own}
    url = admin_url(Cohort, "change", own.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    assert client.get(admin_url(Cohort, "add")).status_code == 403


def test_records_are_read_only(client, superuser, mine):
    cohort = build_cohort(mine)
    enrollment = enrol(UserFactory(), cohort)
    client.force_login(superuser)
    assert client.get(reverse("admin:learning_enrollment_changelist")).status_code == 200
    assert client.get(reverse("admin:learning_enrollment_add")).status_code == 403
    url = reverse("admin:learning_enrollment_change", args=[enrollment.pk])
    assert client.post(url, {"status": "validated"}).status_code == 403
    for name in ("certificate", "transferrecord"):
        assert client.get(reverse(f"admin:learning_{name}_changelist")).status_code == 200


def test_item_added_in_the_admin_updates_progress_and_sessions(client, member, mine):
    cohort = build_cohort(mine)
    learner = UserFactory()
    enrol(learner, cohort)
    text = Item.objects.get(episode__course=mine, episode__position=1, key="texte")
    item_complete(user=learner, item=text, now=paris(2026, 11, 3))
    quiz = Quiz.objects.get(item__episode=text.episode)
    quiz_attempt_submit(
        user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 3)
    )
    progress = LearnerProgress.objects.get(user=learner, course=mine)
    assert progress.episodes_done == 0b1
    client.force_login(member)
    response = client.post(
        admin_url(Item, "add"),
        {
            "episode": text.episode_id,
            "position": 3,
            "key": "lecture",
            "kind": "text",
            "title": "Une lecture de plus",
            "quiz-TOTAL_FORMS": 0,
            "quiz-INITIAL_FORMS": 0,
            "assignment-TOTAL_FORMS": 0,
            "assignment-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    progress.refresh_from_db()
    assert progress.episodes_done == 0  # episode 1 has an item left to do

    url = admin_url(Course, "change", mine.pk)
    data = form_data(client.get(url))
    total = int(data["episodes-TOTAL_FORMS"])
    data["episodes-TOTAL_FORMS"] = str(total + 1)
    data |= {
        f"episodes-{total}-position": "5",
        f"episodes-{total}-key": "bonus",
        f"episodes-{total}-title": "Bonus",
        f"episodes-{total}-deadline_offset_days": "27",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert CohortEpisode.objects.filter(cohort=cohort, episode__key="bonus").exists()
