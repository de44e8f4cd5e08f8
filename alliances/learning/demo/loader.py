"""The learning pillar's demo: a course, three sessions and learners at varied progress.

The course is « Les partenariats qui changent le monde »; its sessions are placed around
the day the demo is loaded. Everything goes through the real services (course import,
session creation, enrolment, work, review, deadline run, transfer) with past instants, so
the demo shows what the platform would have recorded. Idempotent: once the course has
sessions, a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone, translation

from alliances.learning.deadlines import add_months
from alliances.learning.models import (
    Cohort,
    Course,
    Enrollment,
    Item,
    ItemKind,
    LearnerNotice,
    Quiz,
)
from alliances.learning.services.authoring import course_import
from alliances.learning.services.cohorts import cohort_create
from alliances.learning.services.deadlines import deadlines_process
from alliances.learning.services.enrollment import enrollment_create
from alliances.learning.services.transfer import enrollment_transfer_to_next
from alliances.learning.services.work import (
    assignment_submit,
    item_complete,
    note_save,
    quiz_attempt_submit,
    submission_review,
)

if TYPE_CHECKING:
    from alliances.accounts.models import User

COURSE_FILE = Path(__file__).with_name("partenariats-qui-changent-le-monde.yaml")
COURSE_SLUG = "partenariats-qui-changent-le-monde"
# The running session started this many days before the demo is loaded: its first
# indicative deadline (day 6) has passed, its enrolment (open until day 13) has not closed.
RUNNING_STARTED_DAYS_AGO = 9


@dataclass(frozen=True, kw_only=True)
class DemoLearner:
    key: str
    email: str
    password: str
    full_name: str
    situation: str


DEMO_LEARNERS: tuple[DemoLearner, ...] = (
    DemoLearner(
        key="validated",
        email="apprenante.validee@demo.alliances.test",
        password="demo-validee",  # noqa: S106 - a published demo password
        full_name="Inès Garnier",
        situation="validated the past session (certificate)",
    ),
    DemoLearner(
        key="behind",
        email="apprenant.retard@demo.alliances.test",
        password="demo-retard",  # noqa: S106
        full_name="Lucas Fontaine",
        situation="behind schedule in the running session",
    ),
    DemoLearner(
        key="transferred",
        email="apprenante.transferee@demo.alliances.test",
        password="demo-transferee",  # noqa: S106
        full_name="Maëlle Roussel",
        situation="missed the past session, moved to the running one with her work",
    ),
)


def _demo_account(spec: DemoLearner) -> User:
    model = get_user_model()
    user = model.objects.filter(email__iexact=spec.email).first()
    if user is None:
        user = model.objects.create_user(
            email=spec.email, password=spec.password, full_name=spec.full_name
        )
        EmailAddress.objects.create(user=user, email=spec.email, verified=True, primary=True)
    return user


def _session_title(start: date) -> str:
    with translation.override("fr"):
        return "Session du " + formats.date_format(start, "j F Y")


class _Story:
    """The demo's course, read once, and the learners' actions at given session days."""

    def __init__(self, course: Course, team_member: User) -> None:
        self.course = course
        self.team_member = team_member
        self.items = {
            (item.episode.key, item.key): item
            for item in Item.objects.filter(episode__course=course).select_related("episode")
        }
        self.quizzes = {
            quiz.item.episode.key: quiz
            for quiz in Quiz.objects.filter(item__episode__course=course)
            .select_related("item__episode")
            .prefetch_related("questions__choices")
        }

    @staticmethod
    def at(cohort: Cohort, day: int, hour: int) -> datetime:
        """Local time `hour` on day `day` of a session (day 0 is its start date)."""
        moment = datetime.combine(cohort.start_date + timedelta(days=day), time(hour))
        return moment.replace(tzinfo=ZoneInfo(cohort.time_zone))

    def study(self, user: User, episode: str, now: datetime) -> None:
        """Read, watch and open every non-graded item of an episode."""
        for (episode_key, _key), item in self.items.items():
            if episode_key == episode and item.kind not in {ItemKind.QUIZ, ItemKind.ASSIGNMENT}:
                item_complete(user=user, item=item, now=now)

    def read(self, user: User, episode: str, key: str, now: datetime) -> None:
        item_complete(user=user, item=self.items[(episode, key)], now=now)

    def quiz(self, user: User, episode: str, now: datetime, *, wrong: int = 0) -> None:
        """An attempt at an episode's quiz, with the first `wrong` questions answered wrong."""
        quiz = self.quizzes[episode]
        answers: dict[int, set[int]] = {}
        for index, question in enumerate(quiz.questions.all()):
            choices = list(question.choices.all())
            if index < wrong:
                answers[question.pk] = {next(c.pk for c in choices if not c.is_correct)}
            else:
                answers[question.pk] = {c.pk for c in choices if c.is_correct}
        quiz_attempt_submit(user=user, quiz=quiz, answers=answers, received_at=now)

    def hand_in(self, user: User, text: str, now: datetime) -> None:
        assignment = self.items[("impact", "travail-final")].assignment
        assignment_submit(user=user, assignment=assignment, text=text, file=None, received_at=now)

    def accept(self, user: User, points: dict[str, int], feedback: str, now: datetime) -> None:
        submission = self.items[("impact", "travail-final")].assignment.submissions.get(user=user)
        submission_review(
            submission=submission,
            reviewer=self.team_member,
            accept=True,
            feedback=feedback,
            points=points,
            now=now,
        )


FINAL_WORK_VALIDATED = """\
Partenariat imaginé entre l’association « Les Jardins du quartier » et une enseigne de \
bricolage voisine.

1. Type : du mécénat en nature pour commencer (outils et graines), parce que nous ne nous \
connaissons pas encore ; des pratiques responsables ensuite, quand l’association formera les \
vendeurs au jardinage sans pesticides.
2. Objectifs : compétences des bénévoles et des salariés, visibilité dans le quartier, un \
atelier nouveau co-animé, des ressources en nature pour l’association et une clientèle \
fidélisée pour l’enseigne.
3. Étapes : rencontre grâce au réseau associatif local, deux réunions de cadrage, une \
convention d’un an, un point tous les deux mois.
4. Évaluation : nombre d’habitants participant aux ateliers, satisfaction avant/après, heures \
données par les salariés ; chaque partenaire collecte ses chiffres et nous les croisons au \
bilan.
"""

FINAL_WORK_TRANSFERRED = """\
Mon projet : un partenariat de coopération économique entre une entreprise de transport et \
une association d’aide à la mobilité, pour proposer ensemble des trajets vers l’emploi dans \
les communes rurales. Objectifs, étapes et trois indicateurs détaillés ci-dessous…
"""


def _past_session(story: _Story, past: Cohort, learners: dict[str, User]) -> None:
    validated, transferred = learners["validated"], learners["transferred"]
    at = story.at
    enrollment_create(user=validated, cohort=past, now=at(past, -3, 10))
    enrollment_create(user=transferred, cohort=past, now=at(past, 0, 18))
    # The validated learner works steadily, one episode a week, and hands in on time.
    for week, episode in enumerate(["typologie", "objectifs-partages", "pas-a-pas", "impact"]):
        story.study(validated, episode, at(past, 7 * week + 1, 20))
        if episode == "typologie":
            story.quiz(validated, episode, at(past, 2, 21), wrong=3)  # a first try at 40 %
        story.quiz(validated, episode, at(past, 7 * week + 3, 21))
    story.hand_in(validated, FINAL_WORK_VALIDATED, at(past, 23, 22))
    story.accept(
        validated,
        {"type": 4, "objectifs": 3, "etapes": 4, "evaluation": 3},
        "Un projet clair et réaliste. Précisez qui collecte la satisfaction avant/après.",
        at(past, 25, 11),
    )
    # The other learner does the first two episodes, then stops.
    story.study(transferred, "typologie", at(past, 3, 12))
    story.quiz(transferred, "typologie", at(past, 4, 12), wrong=3)
    story.quiz(transferred, "typologie", at(past, 4, 13))
    story.study(transferred, "objectifs-partages", at(past, 12, 19))
    story.quiz(transferred, "objectifs-partages", at(past, 13, 22))


def _running_session(
    story: _Story, running: Cohort, learner: User, learners: dict[str, User]
) -> None:
    at = story.at
    behind, transferred = learners["behind"], learners["transferred"]
    enrollment_create(user=learner, cohort=running, now=at(running, -5, 19))
    enrollment_create(user=behind, cohort=running, now=at(running, 0, 9))
    # The main demo learner: episode 1 done, episode 2 started.
    story.study(learner, "typologie", at(running, 1, 20))
    note_save(
        user=learner,
        episode=story.items[("typologie", "quiz")].episode,
        body="Mon association : surtout du mécénat en nature. Piste : pratiques responsables "
        "avec la boulangerie du quartier ?",
        now=at(running, 2, 21),
    )
    story.quiz(learner, "typologie", at(running, 3, 21), wrong=1)
    story.read(learner, "objectifs-partages", "ce-qui-vous-attend", at(running, 8, 19))
    story.read(learner, "objectifs-partages", "le-duo", at(running, 8, 20))
    # Behind schedule: one text read, the first indicative deadline passed.
    story.read(behind, "typologie", "ce-qui-vous-attend", at(running, 2, 8))
    # The transferred learner picks up where she left off, and hands in her final work.
    for episode in ("pas-a-pas", "impact"):
        story.study(transferred, episode, at(running, 6, 20))
    story.quiz(transferred, "pas-a-pas", at(running, 7, 20))
    story.quiz(transferred, "impact", at(running, 7, 21), wrong=1)
    story.hand_in(transferred, FINAL_WORK_TRANSFERRED, at(running, 8, 18))


@transaction.atomic
def load_demo_learning(*, team_member: User, learner: User, now: datetime | None = None) -> Course:
    """Load the demo course, its sessions and its learners' stories (once)."""
    course = course_import(source=COURSE_FILE.read_bytes(), team=[team_member])
    learners = {spec.key: _demo_account(spec) for spec in DEMO_LEARNERS}
    if Cohort.objects.filter(course=course).exists():
        return course
    now = now or timezone.now()
    today = timezone.localdate(now)
    running_start = today - timedelta(days=RUNNING_STARTED_DAYS_AGO)
    sessions = [
        cohort_create(
            course=course, start_date=start, code=start.isoformat(), title=_session_title(start)
        )
        for start in (
            add_months(running_start, -2),
            running_start,
            add_months(running_start, course.cadence_months),
        )
    ]
    past, running, _next = sessions
    story = _Story(course, team_member)
    _past_session(story, past, learners)
    # The morning after the past session's final deadline, the deadline run closes it.
    closing = past.final_deadline_at + timedelta(hours=8)
    deadlines_process(now=closing)
    # Its emails went out back then (every notice so far is from that run): the worker must
    # not send them today.
    LearnerNotice.objects.filter(enrollment__course=course, sent_at__isnull=True).update(
        sent_at=F("created_at")
    )
    missed = Enrollment.objects.get(user=learners["transferred"], cohort=past)
    enrollment_transfer_to_next(
        enrollment=missed, performed_by=learners["transferred"], now=closing + timedelta(days=2)
    )
    _running_session(story, running, learner, learners)
    return course
