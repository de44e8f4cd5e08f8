"""Study waves, their populations and codebooks, survey datasets, margins and weightings.

Microdata (the respondents' answers) is never stored in these tables: a `Dataset` row points
to an immutable Parquet file in the private microdata storage (see decision 0005).
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.observatory.codebook import Codebook, parse_codebook

RESERVED_WAVE_SLUGS = frozenset({"analyse"})  # public pages start with the wave's slug


def validate_wave_slug(value: str) -> None:
    if value in RESERVED_WAVE_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the observatory’s own pages: choose another slug."),
            params={"slug": value},
            code="reserved",
        )


class StudyWave(models.Model):
    """A survey wave, e.g. « PHARE 2015 », with one population per strand."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[validate_wave_slug])
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


# --------------------------------------------------------------------------- publications

FRANCE = "FR"  # territory code of the national report; regions use their INSEE code


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Publication failed")


class Release(models.Model):
    """One computed edition of a wave's reports: the national synthesis and the 13 regions.

    A draft is computed from the current weighted datasets and can be recomputed; once
    published it is immutable. A correction is a new release with a change note; the older
    published releases stay reachable.
    """

    wave = models.ForeignKey(
        StudyWave, verbose_name=_("study wave"), on_delete=models.CASCADE, related_name="releases"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT
    )
    change_note = models.TextField(_("change note"), blank=True)
    summary = models.TextField(_("summary (Markdown)"), blank=True)
    methodology = models.JSONField(_("methodology"), default=dict)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_label = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("report release")
        verbose_name_plural = _("report releases")
        ordering = ["wave", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "number"], name="observatory_release_number"),
            models.UniqueConstraint(
                fields=["wave"],
                condition=~Q(status="published"),
                name="observatory_one_open_release",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="observatory_release_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="observatory_release_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave} – v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == ReleaseStatus.PUBLISHED

    @property
    def is_publishing(self) -> bool:
        return self.status == ReleaseStatus.PUBLISHING


class IndicatorFamily(models.TextChoices):
    FRAGILITY = "fragility", _("Fragility score")
    IMPACT = "impact", _("Partnership impact")
    INNOVATION = "innovation", _("Innovation")
    ENGAGEMENT = "engagement", _("Engaged in partnerships")
    PRACTICE = "practice", _("Types of partnership practised")


class Statistic(models.TextChoices):
    MEAN = "mean", _("Mean")
    SHARE = "share", _("Share")


class Reliability(models.TextChoices):
    OK = "ok", _("Reliable")
    LOW = "low", _("Small base")
    SUPPRESSED = "suppressed", _("Base too small")


class Indicator(models.Model):
    """One published statistic: a release × population × territory × item.

    `n` is the unweighted base (respondents with a valid answer); `units` the smallest count
    of organisations on either side of a share. A suppressed cell stores no value at all.
    The `rest_*` fields compare a region with the rest of France (engine contrast, Holm).
    """

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="indicators"
    )
    population = models.CharField(_("population"), max_length=80)
    population_kind = models.CharField(
        _("population kind"), max_length=16, choices=PopulationKind.choices
    )
    territory = models.CharField(_("territory"), max_length=2)
    family = models.CharField(_("family"), max_length=16, choices=IndicatorFamily.choices)
    item = models.CharField(_("item"), max_length=80)
    domain = models.CharField(_("domain"), max_length=80, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300)
    statistic = models.CharField(_("statistic"), max_length=8, choices=Statistic.choices)
    codes = models.CharField(_("counted answers"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    n = models.PositiveIntegerField(_("unweighted base"))
    units = models.PositiveIntegerField(_("units"), null=True, blank=True)
    reliability = models.CharField(_("reliability"), max_length=12, choices=Reliability.choices)
    estimate = models.FloatField(_("estimate"), null=True, blank=True)
    se = models.FloatField(_("standard error"), null=True, blank=True)
    ci_low = models.FloatField(_("lower bound (95 %)"), null=True, blank=True)
    ci_high = models.FloatField(_("upper bound (95 %)"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    tied_with_top = models.BooleanField(_("tied with the first"), null=True, blank=True)
    p_holm_top = models.FloatField(_("p-value against the first (Holm)"), null=True, blank=True)
    rest_estimate = models.FloatField(_("rest of France"), null=True, blank=True)
    rest_difference = models.FloatField(
        _("difference with the rest of France"), null=True, blank=True
    )
    rest_se = models.FloatField(_("standard error of the difference"), null=True, blank=True)
    rest_p_holm = models.FloatField(_("p-value of the difference (Holm)"), null=True, blank=True)
    specific = models.BooleanField(_("regional specificity"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["release", "territory", "population", "family", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "population", "territory", "item"],
                name="observatory_indicator_once",
            ),
            models.CheckConstraint(
                condition=~Q(reliability="suppressed")
                | (
                    Q(estimate__isnull=True)
                    & Q(se__isnull=True)
                    & Q(ci_low__isnull=True)
                    & Q(ci_high__isnull=True)
                    & Q(rest_estimate__isnull=True)
                    & Q(rest_difference__isnull=True)
                ),
                name="observatory_suppressed_has_no_value",
            ),
        ]
        indexes = [models.Index(fields=["release", "territory"], name="observatory_ind_territory")]

    def __str__(self) -> str:
        return f"{self.release} – {self.population} – {self.territory} – {self.item}"


class PopulationGap(models.Model):
    """The cross-view: two populations' estimates of one item in one territory, compared.

    The surveys are independent samples: the difference's variance is the sum of the two
    variances; Wald test, Holm over the pairs of populations of the item and territory.
    """

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="gaps"
    )
    territory = models.CharField(_("territory"), max_length=2)
    item = models.CharField(_("item"), max_length=80)
    population_a = models.CharField(_("first population"), max_length=80)
    population_b = models.CharField(_("second population"), max_length=80)
    difference = models.FloatField(_("difference (first − second)"))
    se = models.FloatField(_("standard error"))
    p_holm = models.FloatField(_("p-value (Holm)"))
    significant = models.BooleanField(_("significant"))

    class Meta:
        verbose_name = _("cross-view gap")
        verbose_name_plural = _("cross-view gaps")
        ordering = ["release", "territory", "item", "population_a", "population_b"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "territory", "item", "population_a", "population_b"],
                name="observatory_gap_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.population_a} − {self.population_b} ({self.territory})"


def report_file_path(instance: ReportFile, filename: str) -> str:
    release = instance.release
    return f"rapports/{release.wave.slug}/v{release.number}/{filename}"


class ReportFile(models.Model):
    """The PDF of one published report, rendered once when the release is published."""

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="files"
    )
    territory = models.CharField(_("territory"), max_length=2)
    pdf = models.FileField(_("PDF"), upload_to=report_file_path, max_length=300)
    pages = models.PositiveSmallIntegerField(_("pages"))
    size = models.PositiveIntegerField(_("size in bytes"))
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    render_seconds = models.FloatField(_("rendering time (s)"))

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["release", "territory"]
        constraints = [
            models.UniqueConstraint(fields=["release", "territory"], name="observatory_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.release} – {self.territory}"
