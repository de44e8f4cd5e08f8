"""Authoring through the admin: courses, their content and sessions; records read-only.

Courses come with their episodes, items, quizzes and rubrics; enrolments, certificates and
transfers are shown read-only. A member of a course team (staff, not superuser) sees and
edits only the courses they are named on, and what belongs to them; superusers see
everything. Nothing that learners' work refers to can be deleted here. Sessions are created
by `services.cohorts.cohort_create` and their instants are always recomputed from their
offsets (`cohort_resolve`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliances.learning.models import (
    Assignment,
    Certificate,
    Choice,
    Cohort,
    CohortEpisode,
    Course,
    Enrollment,
    Episode,
    Item,
    ItemKind,
    Question,
    QuestionKind,
    Quiz,
    RubricCriterion,
    TransferRecord,
)
from alliances.learning.services.authoring import course_structure_sync, learner_work_refers_to
from alliances.learning.services.cohorts import (
    cohort_create,
    cohort_resolve,
    cohort_schedule_problem,
)

# --- scoping to the course team ------------------------------------------------------------


def _scoped(queryset: QuerySet[Any], request: HttpRequest, team_path: str) -> QuerySet[Any]:
    """Everything for a superuser; else only what belongs to a course the user teaches."""
    if request.user.is_superuser:
        return queryset
    return queryset.filter(**{team_path: request.user})


class ProtectLearnerWorkFormSet(BaseInlineFormSet):
    """An inline whose rows cannot be deleted while learners' work refers to them."""

    def clean(self) -> None:
        super().clean()
        for form in self.deleted_forms:
            instance = form.instance
            if instance.pk is not None and learner_work_refers_to(element=instance):
                raise forms.ValidationError(
                    gettext("“%(element)s” cannot be deleted: learners’ work refers to it.")
                    % {"element": instance}
                )


class TeamScopedAdmin(admin.ModelAdmin):
    """Rows, foreign-key choices and filters limited to the user's courses."""

    # Lookup from this model to the course team, e.g. "episode__course__team".
    team_path = "course__team"
    # Foreign keys whose choices are scoped: field name → lookup from the target to the team.
    scoped_foreign_keys: dict[str, str] = {}
    # Extra conditions on those choices (field name → filter keyword arguments).
    foreign_key_filters: dict[str, dict[str, object]] = {}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _scoped(super().get_queryset(request), request, self.team_path)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        lookup = self.scoped_foreign_keys.get(db_field.name)
        if lookup is not None:
            queryset = db_field.related_model._default_manager.filter(  # noqa: SLF001
                **self.foreign_key_filters.get(db_field.name, {})
            )
            kwargs["queryset"] = _scoped(queryset, request, lookup)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected) + [
            gettext("%(element)s (learners’ work refers to it)") % {"element": obj}
            for obj in objs
            if learner_work_refers_to(element=obj)
        ]
        return deleted, counts, perms_needed, protected


class StructureSyncMixin:
    """After episodes or items change, sessions and learners' progress follow."""

    # Fields of the edited object that move it within the course's structure.
    structure_fields: tuple[str, ...] = ("position",)

    def course_of(self, obj: Any) -> Course:
        raise NotImplementedError

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:  # noqa: FBT001 - Django's signature
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        moved = not change or any(name in form.changed_data for name in self.structure_fields)
        if moved or any(formset.has_changed() for formset in formsets):
            course_structure_sync(course=self.course_of(form.instance))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        course = self.course_of(obj)
        super().delete_model(request, obj)  # type: ignore[misc]
        if course.pk is not None:  # unless the course itself was deleted
            course_structure_sync(course=course)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        courses = {self.course_of(obj) for obj in queryset}
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for course in courses:
            if Course.objects.filter(pk=course.pk).exists():
                course_structure_sync(course=course)


# --- courses and their content ------------------------------------------------------------


class CourseAdminForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [  # the admin's fieldsets choose what is shown
            "slug",
            "title",
            "tagline",
            "description",
            "language",
            "is_published",
            "team",
            "cadence_months",
            "duration_weeks",
            "deadline_time",
            "final_deadline_offset_days",
            "enrollment_opens_days_before",
            "enrollment_closes_offset_days",
            "reminder_days_before",
            "pass_quiz_percent",
            "pass_requires_all_quizzes",
            "pass_requires_assignments",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weeks = data.get("duration_weeks")
        final = data.get("final_deadline_offset_days")
        closes = data.get("enrollment_closes_offset_days")
        if weeks is not None and final is not None and final >= 7 * weeks:
            self.add_error(
                "final_deadline_offset_days",
                gettext("The final deadline must fall within the %(weeks)s weeks of a session.")
                % {"weeks": weeks},
            )
        elif final is not None and closes is not None and closes > final:
            self.add_error(
                "enrollment_closes_offset_days",
                gettext("Enrolment must close before the final deadline."),
            )
        return data


class EpisodeInline(admin.TabularInline):
    model = Episode
    formset = ProtectLearnerWorkFormSet
    fields = ["position", "key", "title", "deadline_offset_days"]
    extra = 0
    show_change_link = True


@admin.register(Course)
class CourseAdmin(StructureSyncMixin, TeamScopedAdmin):
    structure_fields = ()
    form = CourseAdminForm
    team_path = "team"
    list_display = ["title", "slug", "is_published", "language"]
    list_filter = ["is_published"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["team"]
    inlines = [EpisodeInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "tagline", "description", "language", "is_published"]},
        ),
        (_("Course team"), {"fields": ["team"]}),
        (
            _("Sessions"),
            {
                "fields": [
                    "cadence_months",
                    "duration_weeks",
                    "deadline_time",
                    "final_deadline_offset_days",
                    "enrollment_opens_days_before",
                    "enrollment_closes_offset_days",
                    "reminder_days_before",
                ]
            },
        ),
        (
            _("Passing rules"),
            {
                "fields": [
                    "pass_quiz_percent",
                    "pass_requires_all_quizzes",
                    "pass_requires_assignments",
                ]
            },
        ),
    ]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {} if obj is not None else {"slug": ["title"]}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The team and the slug (the course file's identity) are the superusers' to change.
        return [] if request.user.is_superuser else ["slug", "team"]

    def course_of(self, obj: Course) -> Course:
        return obj


class ItemInline(admin.TabularInline):
    model = Item
    formset = ProtectLearnerWorkFormSet
    fields = ["position", "key", "kind", "title", "rubric"]
    extra = 0
    show_change_link = True


@admin.register(Episode)
class EpisodeAdmin(StructureSyncMixin, TeamScopedAdmin):
    structure_fields = ("course", "position")
    team_path = "course__team"
    scoped_foreign_keys = {"course": "team"}
    list_display = ["title", "course", "position", "key", "deadline_offset_days"]
    list_filter = [("course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["course"]
    search_fields = ["title", "key"]
    fields = ["course", "position", "key", "title", "summary", "deadline_offset_days"]
    inlines = [ItemInline]

    def course_of(self, obj: Episode) -> Course:
        return obj.course


class QuizInline(admin.StackedInline):
    model = Quiz
    formset = ProtectLearnerWorkFormSet
    fields = ["max_attempts"]
    max_num = 1
    extra = 0
    show_change_link = True


class AssignmentInline(admin.StackedInline):
    model = Assignment
    formset = ProtectLearnerWorkFormSet
    fields = ["submission_kind", "required_for_passing"]
    max_num = 1
    extra = 0
    show_change_link = True


@admin.register(Item)
class ItemAdmin(StructureSyncMixin, TeamScopedAdmin):
    structure_fields = ("episode", "position")
    team_path = "episode__course__team"
    scoped_foreign_keys = {"episode": "course__team"}
    list_display = ["title", "episode", "kind", "rubric", "position"]
    list_filter = ["kind", ("episode__course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["episode__course"]
    search_fields = ["title", "key", "body"]
    fields = [
        "episode",
        "position",
        "key",
        "kind",
        "title",
        "rubric",
        "body",
        "video_url",
        "transcript",
        "resource_file",
        "resource_url",
    ]
    inlines = [QuizInline, AssignmentInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def course_of(self, obj: Item) -> Course:
        return obj.episode.course


class QuestionInline(admin.StackedInline):
    model = Question
    formset = ProtectLearnerWorkFormSet
    fields = ["position", "key", "kind", "prompt", "explanation"]
    extra = 0
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(TeamScopedAdmin):
    team_path = "item__episode__course__team"
    scoped_foreign_keys = {"item": "episode__course__team"}
    foreign_key_filters = {"item": {"kind": ItemKind.QUIZ}}
    list_display = ["__str__", "max_attempts"]
    list_filter = [("item__episode__course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["item"]
    fields = ["item", "max_attempts"]
    inlines = [QuestionInline]


class ChoiceFormSet(ProtectLearnerWorkFormSet):
    """A question's choices: at least one correct, exactly one for a single-choice question."""

    def clean(self) -> None:
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and form not in self.deleted_forms]
        if not kept:
            return
        correct = sum(1 for form in kept if form.cleaned_data.get("is_correct"))
        if correct == 0:
            raise forms.ValidationError(gettext("At least one choice must be correct."))
        if self.instance.kind == QuestionKind.SINGLE and correct != 1:
            raise forms.ValidationError(
                gettext("A single-choice question needs exactly one correct choice.")
            )


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "key", "text", "is_correct"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(TeamScopedAdmin):
    team_path = "quiz__item__episode__course__team"
    scoped_foreign_keys = {"quiz": "item__episode__course__team"}
    list_display = ["__str__", "quiz", "kind", "position"]
    list_filter = ["kind", ("quiz__item__episode__course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["quiz__item"]
    search_fields = ["prompt", "key"]
    fields = ["quiz", "position", "key", "kind", "prompt", "explanation"]
    inlines = [ChoiceInline]


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    formset = ProtectLearnerWorkFormSet
    fields = ["position", "key", "title", "description", "max_points"]
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(TeamScopedAdmin):
    team_path = "item__episode__course__team"
    scoped_foreign_keys = {"item": "episode__course__team"}
    foreign_key_filters = {"item": {"kind": ItemKind.ASSIGNMENT}}
    list_display = ["__str__", "submission_kind", "required_for_passing"]
    list_filter = [("item__episode__course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["item"]
    fields = ["item", "submission_kind", "required_for_passing"]
    inlines = [RubricCriterionInline]


# --- sessions -----------------------------------------------------------------------------


class CohortAddForm(forms.ModelForm):
    """A new session: its schedule comes from the course's defaults (`cohort_create`)."""

    code = forms.SlugField(
        label=_("code"),
        required=False,
        max_length=40,
        help_text=_("Empty: the year and month of the start date, for example 2026-11."),
    )
    title = forms.CharField(
        label=_("title"),
        required=False,
        max_length=200,
        help_text=_("Empty: “Session of” and the month of the start date."),
    )

    class Meta:
        model = Cohort
        fields = ["course", "start_date", "code", "title", "capacity"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        course, start = data.get("course"), data.get("start_date")
        if course is None:
            return data
        problem = cohort_schedule_problem(
            weeks=course.duration_weeks, final=course.final_deadline_offset_days
        )
        if problem:
            self.add_error("course", problem)
        if start is not None and not data.get("code"):
            code = start.strftime("%Y-%m")
            if Cohort.objects.filter(course=course, code=code).exists():
                self.add_error(
                    "code",
                    gettext("The course already has a session with the code %(code)s.")
                    % {"code": code},
                )
        return data


class CohortChangeForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "code",
            "title",
            "start_date",
            "time_zone",
            "duration_weeks",
            "deadline_time",
            "final_deadline_offset_days",
            "enrollment_opens_offset_days",
            "enrollment_closes_offset_days",
            "capacity",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weeks, final = data.get("duration_weeks"), data.get("final_deadline_offset_days")
        if weeks is not None and final is not None:
            problem = cohort_schedule_problem(weeks=weeks, final=final)
            if problem:
                self.add_error("final_deadline_offset_days", problem)
        return data


class CohortEpisodeInline(admin.TabularInline):
    model = CohortEpisode
    fields = ["episode", "deadline_offset_days", "deadline_at"]
    readonly_fields = ["episode", "deadline_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


COHORT_INSTANTS = [
    "starts_at",
    "final_deadline_at",
    "enrollment_opens_at",
    "enrollment_closes_at",
    "closed_at",
]


@admin.register(Cohort)
class CohortAdmin(TeamScopedAdmin):
    team_path = "course__team"
    scoped_foreign_keys = {"course": "team"}
    list_display = ["title", "course", "code", "start_date", "final_deadline_at", "closed_at"]
    list_filter = [("course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["course"]
    search_fields = ["title", "code"]
    readonly_fields = COHORT_INSTANTS
    date_hierarchy = "start_date"

    def get_form(
        self,
        request: HttpRequest,
        obj: Any = None,
        change: bool = False,  # noqa: FBT001, FBT002 - Django's signature
        **kwargs: Any,
    ) -> Any:
        kwargs["form"] = CohortChangeForm if obj is not None else CohortAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["course", "start_date", "code", "title", "capacity"]
        return [
            "course",
            "code",
            "title",
            "start_date",
            "time_zone",
            "duration_weeks",
            "deadline_time",
            "final_deadline_offset_days",
            "enrollment_opens_offset_days",
            "enrollment_closes_offset_days",
            "capacity",
            *COHORT_INSTANTS,
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*COHORT_INSTANTS, "course"] if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [CohortEpisodeInline] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Cohort, form: Any, change: bool) -> None:  # noqa: FBT001 - Django's signature
        if change:
            obj.save()
            return
        # The form checked what `cohort_create` refuses (dates, code, schedule).
        created = cohort_create(
            course=obj.course,
            start_date=obj.start_date,
            code=obj.code,
            title=obj.title,
            capacity=obj.capacity,
        )
        # The admin goes on with `obj` (history, redirect): make it the created session.
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False  # noqa: SLF001

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:  # noqa: FBT001 - Django's signature
        super().save_related(request, form, formsets, change)
        if change:
            # Offsets may have changed (the session's or its episodes'): instants follow.
            cohort_resolve(cohort=form.instance)


# --- records, read-only -------------------------------------------------------------------


class ReadOnlyAdmin(TeamScopedAdmin):
    """Shown for reference; these change through the course team's pages and services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    team_path = "course__team"
    list_display = ["user", "cohort", "status", "enrolled_at", "validated_at"]
    list_filter = ["status", ("course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "cohort__course"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    team_path = "course__team"
    list_display = ["code", "learner_name", "course", "cohort", "issued_at", "revoked_at"]
    list_filter = [("course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["course", "cohort__course"]
    search_fields = ["code", "learner_name"]


@admin.register(TransferRecord)
class TransferRecordAdmin(ReadOnlyAdmin):
    team_path = "course__team"
    list_display = ["user", "from_cohort", "to_cohort", "performed_at", "performed_by"]
    list_filter = [("course", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "from_cohort__course", "to_cohort__course"]
    search_fields = ["user__email", "user__full_name"]
