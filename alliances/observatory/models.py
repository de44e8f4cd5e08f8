"""Study waves, their populations and codebooks, survey datasets, margins and weightings.

Microdata (the respondents' answers) is never stored in these tables: a `Dataset` row points
to an immutable Parquet file in the private microdata storage (see decision 0005).
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.observatory.codebook import Codebook, parse_codebook


class StudyWave(models.Model):
    """A survey wave, e.g. « PHARE 2015 », with one population per strand."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("study wave")
        verbose_name_plural = _("study waves")
        ordering = ["-year", "name"]
        permissions = [
            ("manage_surveys", _("Can import survey data, replace margins and run the weighting"))
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("observatory:wave_detail", kwargs={"slug": self.slug})


class PopulationKind(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    COMPANIES = "companies", _("Companies")
    ASSOCIATIONS = "associations", _("Associations")


class Population(models.Model):
    """The surveyed population of one strand of a wave (citizens, companies, associations)."""

    wave = models.ForeignKey(
        StudyWave,
        verbose_name=_("study wave"),
        on_delete=models.CASCADE,
        related_name="populations",
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PopulationKind.choices)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["wave", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "slug"], name="observatory_population_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.wave} – {self.name}"


class CodebookVersion(models.Model):
    """One saved version of a population's codebook (YAML); the latest one is current."""

    population = models.ForeignKey(
        Population,
        verbose_name=_("population"),
        on_delete=models.CASCADE,
        related_name="codebook_versions",
    )
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("codebook (YAML)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("codebook version")
        verbose_name_plural = _("codebook versions")
        ordering = ["population", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["population", "version"], name="observatory_codebook_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.population} – v{self.version}"

    @cached_property
    def codebook(self) -> Codebook:
        return parse_codebook(self.text)


class Dataset(models.Model):
    """One imported version of a population's answers: an immutable Parquet file."""

    population = models.ForeignKey(
        Population, verbose_name=_("population"), on_delete=models.CASCADE, related_name="datasets"
    )
    version = models.PositiveIntegerField(_("version"))
    codebook = models.ForeignKey(
        CodebookVersion,
        verbose_name=_("codebook version"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    file_name = models.CharField(_("file in the microdata storage"), max_length=300)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    n_rows = models.PositiveIntegerField(_("respondents"))
    source_name = models.CharField(_("uploaded file"), max_length=255)
    is_current = models.BooleanField(_("current version"), default=False)
    is_simulated = models.BooleanField(_("simulated data"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["population", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["population", "version"], name="observatory_dataset_version"
            ),
            models.UniqueConstraint(
                fields=["population"],
                condition=Q(is_current=True),
                name="observatory_one_current_dataset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.population} – v{self.version}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    VALIDATING = "validating", _("Validating")
    INVALID = "invalid", _("Refused: the file has problems")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Waiting for your confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An upload on its way to becoming a dataset: validation report, progress, outcome."""

    population = models.ForeignKey(
        Population,
        verbose_name=_("population"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    upload_name = models.CharField(_("file in the staging area"), max_length=300)
    source_name = models.CharField(_("uploaded file"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    n_rows = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("number of problems"), default=0)
    replaces = models.ForeignKey(
        Dataset,
        verbose_name=_("replaces"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replacement_confirmed = models.BooleanField(_("replacement confirmed"), default=False)
    dataset = models.ForeignKey(
        Dataset,
        verbose_name=_("dataset"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    is_simulated = models.BooleanField(_("simulated data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="observatory_import_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.population}"

    @property
    def is_running(self) -> bool:
        return self.status in {
            ImportStatus.PENDING,
            ImportStatus.VALIDATING,
            ImportStatus.IMPORTING,
        }


class MarginSet(models.Model):
    """One version of a population's raking margins (population totals or shares)."""

    population = models.ForeignKey(
        Population,
        verbose_name=_("population"),
        on_delete=models.CASCADE,
        related_name="margin_sets",
    )
    version = models.PositiveIntegerField(_("version"))
    source_name = models.CharField(_("source"), max_length=255, blank=True)
    is_current = models.BooleanField(_("current version"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("margin table")
        verbose_name_plural = _("margin tables")
        ordering = ["population", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["population", "version"], name="observatory_margin_set_version"
            ),
            models.UniqueConstraint(
                fields=["population"],
                condition=Q(is_current=True),
                name="observatory_one_current_margin_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.population} – v{self.version}"


class MarginTarget(models.Model):
    """A target of a margin: `region*sexe`, `11*F`, 4 974 700 (a total or a share)."""

    margin_set = models.ForeignKey(
        MarginSet, verbose_name=_("margin table"), on_delete=models.CASCADE, related_name="targets"
    )
    variable = models.CharField(_("variable(s)"), max_length=120)
    category = models.CharField(_("category"), max_length=120)
    target = models.FloatField(_("target"))

    class Meta:
        verbose_name = _("margin target")
        verbose_name_plural = _("margin targets")
        ordering = ["margin_set", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["margin_set", "variable", "category"],
                name="observatory_margin_target_once",
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0), name="observatory_margin_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variable} = {self.category}: {self.target}"


class WeightingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Weighting(models.Model):
    """Raked weights of a dataset to a margin table, with their diagnostics."""

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="weightings"
    )
    margin_set = models.ForeignKey(
        MarginSet,
        verbose_name=_("margin table"),
        on_delete=models.PROTECT,
        related_name="weightings",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=WeightingStatus.choices, default=WeightingStatus.PENDING
    )
    file_name = models.CharField(_("file in the microdata storage"), max_length=300, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    diagnostics = models.JSONField(_("diagnostics"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("weighting")
        verbose_name_plural = _("weightings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dataset} × {self.margin_set} ({self.status})"

    @property
    def is_running(self) -> bool:
        """Queued or raking: the wave page polls its status."""
        return self.status in {WeightingStatus.PENDING, WeightingStatus.RUNNING}
