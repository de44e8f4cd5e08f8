from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    COMPANY = "company", _("Company")


class CompanySize(models.TextChoices):
    MICRO = "1-9", _("1 to 9 employees")
    SMALL = "10-49", _("10 to 49 employees")
    MEDIUM = "50-249", _("50 to 249 employees")
    INTERMEDIATE = "250-4999", _("250 to 4,999 employees")
    LARGE = "5000+", _("5,000 employees or more")


class Sector(models.TextChoices):
    SOCIAL_ACTION = "social_action", _("Social action and solidarity")
    EMPLOYMENT = "employment", _("Employment and integration")
    HEALTH = "health", _("Health and care")
    EDUCATION = "education", _("Education and training")
    CULTURE = "culture", _("Culture and heritage")
    SPORT = "sport", _("Sport and leisure")
    ENVIRONMENT = "environment", _("Environment and energy")
    HOUSING = "housing", _("Housing")
    AGRICULTURE = "agriculture", _("Agriculture and food")
    INDUSTRY = "industry", _("Industry")
    CONSTRUCTION = "construction", _("Construction")
    TRADE = "trade", _("Trade and distribution")
    TRANSPORT = "transport", _("Transport and logistics")
    DIGITAL = "digital", _("Digital and telecommunications")
    FINANCE = "finance", _("Banking and insurance")
    SERVICES = "services", _("Services to businesses and people")
    OTHER = "other", _("Other")


class Organization(models.Model):
    """An association or a company, as it presents itself on the platform."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    region = models.ForeignKey(
        "territories.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    size_class = models.CharField(
        _("size class"),
        max_length=16,
        choices=CompanySize.choices,
        blank=True,
        help_text=_("Companies only: number of employees."),
    )
    is_employer = models.BooleanField(
        _("employer association"),
        null=True,
        blank=True,
        help_text=_("Associations only: does it employ staff?"),
    )
    description = models.TextField(_("public description"), blank=True, max_length=4000)
    website = models.URLField(_("website"), blank=True)
    is_public = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("Show the profile on the region page and in the directory."),
    )
    hidden_by_moderation = models.BooleanField(_("hidden by moderation"), default=False)
    moderation_reason = models.CharField(_("moderation reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [("moderate_organization", _("Can hide or restore public profiles"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="company", is_employer__isnull=True, size_class__gt="")
                | Q(kind="association", is_employer__isnull=False, size_class=""),
                name="organizations_kind_fields_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    @property
    def is_listed(self) -> bool:
        return self.is_public and not self.hidden_by_moderation


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="organizations_one_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


UNANSWERED = Q(accepted_at__isnull=True, revoked_at__isnull=True)


class InvitationQuerySet(models.QuerySet):
    def unanswered(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn (expired ones included)."""
        return self.filter(UNANSWERED)

    def pending(self) -> InvitationQuerySet:
        """Still usable: neither accepted nor withdrawn, and not expired (as `is_pending`)."""
        return self.unanswered().filter(expires_at__gt=timezone.now())


class InvitationBase(models.Model):
    """An email invitation: the address, the token that is its only key, its lifetime, its outcome.

    Invitations to an organisation and to a partnership are both made of it.
    """

    email = models.EmailField(_("email address"))
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class Invitation(InvitationBase):
    """An email invitation to join an organisation."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )

    class Meta(InvitationBase.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "organization",
                models.functions.Lower("email"),
                condition=UNANSWERED,
                name="organizations_one_pending_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"
