"""Partnerships shared by an association and a company, with their roadmaps and evaluations.

Every change is recorded in the partnership's history (`PartnershipEvent`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.organizations.models import UNANSWERED, InvitationBase


class PartnershipType(models.TextChoices):
    """The four types of the typology used since 2010."""

    MECENAT = "mecenat", _("Corporate philanthropy (mécénat)")
    RESPONSIBLE_PRACTICES = "pratiques_responsables", _("Responsible practices")
    ECONOMIC_COOPERATION = "cooperation_economique", _("Economic cooperation")
    SOCIETAL_INNOVATION = "innovation_societale", _("Societal innovation")


class MecenatForm(models.TextChoices):
    FINANCIAL = "financier", _("Financial (a donation)")
    IN_KIND = "nature", _("In kind (goods)")
    LOGISTICAL = "logistique", _("Logistical (premises, equipment lent free)")
    SKILLS = "competences", _("Skills (employees’ time and expertise)")


class Stage(models.TextChoices):
    """Where the partnership stands; the same ids as the roadmap's phases."""

    PREPARATION = "preparation", _("Preparing each partner")
    FRAMING = "cadrage", _("Framing the partnership")
    AGREEMENT = "accord", _("Agreement")
    STEERING = "pilotage", _("Steering")
    EVALUATION = "evaluation", _("Evaluation")
    NEXT = "suite", _("Renewal, deepening or closing")


class Side(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    COMPANY = "company", _("Company")


class Partnership(models.Model):
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("partnership type"), max_length=32, choices=PartnershipType.choices)
    mecenat_forms = models.JSONField(
        _("forms of mécénat"), default=list, blank=True, help_text=_("Mécénat only.")
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PREPARATION
    )
    description = models.TextField(_("description"), blank=True, max_length=6000)
    association = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships_as_association",
    )
    company = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships_as_company",
    )
    region = models.ForeignKey(
        "territories.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
    )
    diagnostic = models.ForeignKey(
        "diagnostic.Diagnostic",
        verbose_name=_("diagnostic it came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
    )
    roadmap_version = models.ForeignKey(
        "diagnostic.InstrumentVersion",
        verbose_name=_("roadmap from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(association__isnull=False) | Q(company__isnull=False),
                name="partnerships_has_a_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"pk": self.pk})


class PartnerInvitation(InvitationBase):
    """An email invitation for the other side to join the partnership."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    organization_name = models.CharField(_("organisation name"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(InvitationBase.Meta):
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "side"],
                condition=UNANSWERED,
                name="partnerships_one_pending_invitation_per_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.partnership}"


class RoadmapStep(models.Model):
    """A step of the partnership's checklist, from the roadmap or added by the partners."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Stage.choices)
    key = models.CharField(
        _("roadmap key"), max_length=48, blank=True, help_text=_("Empty for a step you added.")
    )
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True, max_length=2000)
    position = models.PositiveIntegerField(_("position"), default=0)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("roadmap step")
        verbose_name_plural = _("roadmap steps")
        ordering = ["partnership", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "key"],
                condition=~Q(key=""),
                name="partnerships_roadmap_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class IndicatorKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")


class QualitativeStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    REACHED = "reached", _("Reached")


class Collector(models.TextChoices):
    ASSOCIATION = "association", _("The association")
    COMPANY = "company", _("The company")
    BOTH = "both", _("Both partners")
    OTHER = "other", _("Someone else (beneficiaries, evaluator…)")


class ImpactIndicator(models.Model):
    """An indicator the partners chose, for one stakeholder and one object of the grid."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    stakeholder = models.CharField(_("stakeholder"), max_length=48)
    object = models.CharField(_("what is evaluated"), max_length=48)
    name = models.CharField(_("indicator"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    collected_by = models.CharField(_("collected by"), max_length=16, choices=Collector.choices)
    collection_note = models.CharField(_("how it is collected"), max_length=300, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measured = models.DecimalField(
        _("measured value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_text = models.CharField(_("situation before"), max_length=500, blank=True)
    target_text = models.CharField(_("expected change"), max_length=500, blank=True)
    measured_text = models.CharField(_("observed change"), max_length=500, blank=True)
    status = models.CharField(
        _("progress"),
        max_length=16,
        choices=QualitativeStatus.choices,
        default=QualitativeStatus.NOT_STARTED,
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("impact indicator")
        verbose_name_plural = _("impact indicators")
        ordering = ["partnership", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="qualitative")
                | Q(kind="quantitative", baseline__isnull=False, target__isnull=False),
                name="partnerships_quantitative_has_baseline_and_target",
            ),
            models.CheckConstraint(
                condition=Q(kind="qualitative") | ~Q(baseline=models.F("target")),
                name="partnerships_quantitative_target_differs",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PartnershipEvent(models.Model):
    """One change to a partnership: who, when, what (an action code and its details)."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=32)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("partnership change")
        verbose_name_plural = _("partnership changes")
        ordering = ["partnership", "-at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-at"], name="partnerships_event_idx")]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
