"""Instruments as versioned data, and the diagnostics people take with them."""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.diagnostic.instrument_file import instrument_parse

if TYPE_CHECKING:
    from alliances.diagnostic.instrument import Instrument as InstrumentDefinition


class RespondentKind(models.TextChoices):
    ASSOCIATION = "association", _("An association")
    COMPANY = "company", _("A company or a foundation")


class Instrument(models.Model):
    """A diagnostic (« Quel partenariat pour vous ? »…); its content lives in its versions."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Offered on the diagnostics page.")
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["position", "slug"]
        permissions = [("manage_instruments", _("Can edit diagnostic instruments"))]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("diagnostic:instrument", kwargs={"slug": self.slug})


@lru_cache(maxsize=64)
def _parsed(sha256: str, source: str, name: str) -> InstrumentDefinition:
    """Versions never change, so each is read once per process (keyed by its hash)."""
    del sha256  # the cache key: equal hashes mean equal sources
    return instrument_parse(source, source=name)


class InstrumentVersion(models.Model):
    """One immutable version of an instrument's YAML file. Results point at the version."""

    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("YAML source"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("change note"), max_length=300, blank=True)
    is_current = models.BooleanField(_("current version"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="diagnostic_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["instrument", "sha256"], name="diagnostic_version_content_unique"
            ),
            models.UniqueConstraint(
                fields=["instrument"],
                condition=Q(is_current=True),
                name="diagnostic_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.slug} v{self.number}"

    @property
    def definition(self) -> InstrumentDefinition:
        # Named without its instrument's slug, which would cost a query: a stored version
        # was checked when saved, so the name never reaches an error message in practice.
        return _parsed(self.sha256, self.source, f"version {self.number} ({self.sha256[:12]})")


class DiagnosticStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Diagnostic(models.Model):
    """One taking of an instrument, by a signed-in user or an anonymous visitor.

    The answers and the computed outcome are stored with the version they were given to,
    so the result can always be recomputed and explained. An anonymous diagnostic is owned
    by a random key kept in the visitor's session; signing in claims it.
    """

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("instrument version"),
        on_delete=models.PROTECT,
        related_name="diagnostics",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="diagnostics",
    )
    anonymous_key = models.CharField(_("anonymous key"), max_length=64, blank=True)
    kind = models.CharField(_("respondent"), max_length=16, choices=RespondentKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnostics",
    )
    region = models.ForeignKey(
        "territories.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diagnostics",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    section = models.PositiveSmallIntegerField(_("current section"), default=0)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DiagnosticStatus.choices,
        default=DiagnosticStatus.IN_PROGRESS,
    )
    outcome = models.JSONField(_("outcome"), null=True, blank=True)
    profile = models.CharField(_("profile"), max_length=48, blank=True)
    partnership_type = models.CharField(_("partnership type"), max_length=32, blank=True)
    is_simulated = models.BooleanField(
        _("simulated"),
        default=False,
        help_text=_("Generated for the demo aggregates (« données simulées »)."),
    )
    share_token = models.CharField(
        _("share token"), max_length=64, null=True, blank=True, unique=True
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(anonymous_key=""),
                name="diagnostic_has_an_owner",
            ),
            models.CheckConstraint(
                condition=Q(
                    status="completed",
                    outcome__isnull=False,
                    completed_at__isnull=False,
                )
                | Q(status="in_progress", completed_at__isnull=True),
                name="diagnostic_completed_has_outcome",
            ),
        ]
        indexes = [
            models.Index(
                fields=["version", "status", "region", "partnership_type"],
                name="diagnostic_aggregate_idx",
            ),
            models.Index(fields=["user", "-started_at"], name="diagnostic_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.public_id})"

    def get_absolute_url(self) -> str:
        if self.status == DiagnosticStatus.COMPLETED:
            return reverse("diagnostic:result", kwargs={"public_id": self.public_id})
        return reverse("diagnostic:take", kwargs={"public_id": self.public_id})

    @property
    def is_completed(self) -> bool:
        return self.status == DiagnosticStatus.COMPLETED
