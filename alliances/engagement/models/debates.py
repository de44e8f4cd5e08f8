"""The regional debates of the tour de France: a request, its workflow, the event and its places.

A debate is asked for by a member of an organisation (its organisers are that organisation's
members), moderated, scheduled, held and reported on. Its life is a state machine moved only by
`engagement.services.debates`; every move is kept as a `DebateTransition`. Places are
`Registration` rows: confirmed up to the capacity, then waitlisted in order of arrival.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MODERATE_DEBATE = "engagement.moderate_debate"

# The most places a debate can offer (a large auditorium), and the most slots a request proposes.
MAX_CAPACITY = 2000
MAX_PROPOSED_SLOTS = 3


class DebateFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class DebateStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    REPORTED = "reported", _("Report published")
    CANCELLED = "cancelled", _("Cancelled")


# The statuses in which a debate is shown to the public (it has a date).
PUBLIC_STATUSES = frozenset(
    {DebateStatus.SCHEDULED, DebateStatus.HELD, DebateStatus.REPORTED, DebateStatus.CANCELLED}
)


def https_only(value: str) -> None:
    URLValidator(schemes=["https"], message=_("Enter a web address that starts with https://."))(
        value
    )


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Debate(models.Model):
    """A debate of the tour de France, from the request to the published report."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organising organisation"),
        on_delete=models.PROTECT,
        related_name="debates",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debates_requested",
    )
    region = models.ForeignKey(
        "territories.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="debates",
    )
    city = models.CharField(_("city"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(
        _("purpose"),
        max_length=4000,
        help_text=_("What the debate is for and which results it will discuss (Markdown)."),
    )
    audience = models.TextField(_("expected audience"), max_length=1000)
    expected_attendance = models.PositiveIntegerField(
        _("expected number of participants"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    format = models.CharField(_("format"), max_length=16, choices=DebateFormat.choices)
    partners = models.TextField(
        _("partners"), max_length=2000, blank=True, help_text=_("One partner per line.")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DebateStatus.choices,
        default=DebateStatus.REQUESTED,
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=2000, blank=True)

    # The event, once scheduled.
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("venue address"), max_length=500, blank=True)
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True, validators=[https_only]
    )
    agenda = models.TextField(_("agenda"), max_length=8000, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )

    # After the event.
    minutes = models.TextField(_("minutes"), max_length=30000, blank=True)
    report_published_at = models.DateTimeField(_("report published at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")
        ordering = ["-created_at"]
        permissions = [("moderate_debate", _("Can moderate and manage every regional debate"))]
        indexes = [models.Index(fields=["status", "starts_at"], name="engagement_debate_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="engagement_debate_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "accepted", "declined"])
                | Q(starts_at__isnull=False, ends_at__isnull=False, capacity__isnull=False)
                | Q(status="cancelled"),
                name="engagement_debate_scheduled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("debates:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.starts_at is not None

    @property
    def is_in_person(self) -> bool:
        return self.format in {DebateFormat.IN_PERSON, DebateFormat.HYBRID}

    @property
    def is_online(self) -> bool:
        return self.format in {DebateFormat.ONLINE, DebateFormat.HYBRID}

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class ProposedSlot(models.Model):
    """A date the organiser proposes in the request (one to three)."""

    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), on_delete=models.CASCADE, related_name="proposed_slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("proposed date")
        verbose_name_plural = _("proposed dates")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="engagement_slot_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Speaker(models.Model):
    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class DebateTransition(models.Model):
    """One move of a debate's status: who, when, from, to, and why."""

    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=DebateStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=DebateStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("debate transition")
        verbose_name_plural = _("debate transitions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.debate_id}: {self.from_status} → {self.to_status}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Place confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """A person's place at a debate (one row per person and debate, kept when cancelled)."""

    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="debate_registrations",
    )
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=1000, blank=True)
    # The waiting list is served in this order; a new registration after a cancellation
    # goes to the end.
    queued_at = models.DateTimeField(_("registered at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("place confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminders = models.BooleanField(_("reminder emails"), default=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["debate", "user"], name="engagement_one_registration"),
        ]
        indexes = [
            models.Index(fields=["debate", "status", "queued_at"], name="engagement_reg_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.debate_id} ({self.status})"


def material_path(instance: DebateMaterial, filename: str) -> str:
    return f"engagement/debates/{instance.debate_id}/materials/{secrets.token_hex(8)}.pdf"


def photo_path(instance: DebatePhoto, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"engagement/debates/{instance.debate_id}/photos/{secrets.token_hex(8)}.{extension}"


class DebateMaterial(models.Model):
    """A document shared after the debate (PDF)."""

    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, max_length=300)
    size = models.PositiveIntegerField(_("size in bytes"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class DebatePhoto(models.Model):
    """A photo of the debate, re-encoded without its metadata, with its text alternative."""

    debate = models.ForeignKey(
        Debate, verbose_name=_("debate"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("image"),
        upload_to=photo_path,
        max_length=300,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    alt_text = models.CharField(_("text alternative"), max_length=300)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.alt_text
