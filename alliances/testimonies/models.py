"""Testimonies of associations and companies about a partnership, moderated before publication.

A testimony's life is a small state machine (`TestimonyStatus`), moved only by the services;
every moderator decision is kept as a `TestimonyReview`. The two search columns are derived
from the texts by `search.testimony_index` and never edited by hand.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.partnerships.models import MecenatForm, PartnershipType

MODERATE_TESTIMONY = "testimonies.moderate_testimony"


class SourceKind(models.TextChoices):
    """Who tells the story."""

    ASSOCIATION = "association", _("An association")
    COMPANY = "company", _("A company")
    DUO = "duo", _("An association and a company together")


class FragilityDomain(models.TextChoices):
    """The fragility domains of a territory, with the PHARE codebooks' domain ids.

    The first nine ids are those of `observatory/phare/phare-2015-*.yaml`; the others complete
    the list the programme is believed to have rated.
    """

    EMPLOYMENT = "emploi", _("Employment")
    PURCHASING_POWER = "pouvoir_achat", _("Purchasing power")
    ECONOMIC_DEVELOPMENT = "developpement_economique", _("Economic development of the territory")
    SECURITY = "securite", _("Security")
    ENVIRONMENT = "environnement", _("Environment")
    EXCLUSION = "exclusion", _("Fight against exclusion and precarity")
    EDUCATION = "education", _("Education")
    AGEING = "vieillissement", _("Ageing")
    SOCIAL_TIES = "lien_social", _("Social ties")
    MOBILITY = "mobilite", _("Mobility")
    HEALTH = "sante", _("Health and access to care")
    HOUSING = "logement", _("Housing")
    ENERGY_TRANSITION = "transition_energetique", _("Energy transition")
    DISABILITY = "handicap", _("Disability")
    CULTURE = "culture", _("Culture")


class TestimonyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")


# The statuses in which the author may still change the text and submit it.
AUTHOR_EDITABLE = frozenset({TestimonyStatus.DRAFT, TestimonyStatus.CHANGES_REQUESTED})


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    REJECT = "reject", _("Rejected")
    UNPUBLISH = "unpublish", _("Unpublished")


def https_only(value: str) -> None:
    URLValidator(schemes=["https"], message=_("Enter a web address that starts with https://."))(
        value
    )


class Testimony(models.Model):
    source_kind = models.CharField(_("told by"), max_length=16, choices=SourceKind.choices)
    association_name = models.CharField(_("association"), max_length=200, blank=True)
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    association = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("association on the platform"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonies_as_association",
    )
    company = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("company on the platform"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonies_as_company",
    )
    partnership_type = models.CharField(
        _("partnership type"), max_length=32, choices=PartnershipType.choices
    )
    mecenat_form = models.CharField(
        _("form of mécénat"),
        max_length=16,
        choices=MecenatForm.choices,
        blank=True,
        help_text=_("Mécénat only."),
    )
    region = models.ForeignKey(
        "territories.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="testimonies",
    )
    domain = models.CharField(_("fragility domain"), max_length=32, choices=FragilityDomain.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), max_length=600)
    story = models.TextField(
        _("the story"), max_length=20000, help_text=_("Markdown: paragraphs, lists, emphasis.")
    )
    success_factors = models.TextField(
        _("key success factors"), blank=True, max_length=4000, help_text=_("One per line.")
    )
    difficult_moments = models.TextField(
        _("difficult moments"), blank=True, max_length=4000, help_text=_("One per line.")
    )
    video_url = models.URLField(
        _("video link"), blank=True, max_length=500, validators=[https_only]
    )
    is_fictional = models.BooleanField(
        _("fictional"), default=False, help_text=_("Demonstration content written for the site.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="testimonies",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=TestimonyStatus.choices, default=TestimonyStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Derived by search.testimony_index: the texts unaccented (PostgreSQL's document) and
    # their French stems (SQLite's).
    search_document = models.TextField(_("search document"), blank=True, editable=False)
    search_stems = models.TextField(_("search stems"), blank=True, editable=False)

    class Meta:
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        ordering = ["-published_at", "-created_at"]
        permissions = [("moderate_testimony", _("Can review and publish testimonies"))]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="testimonies_status_pub"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(association_name="") | ~Q(company_name=""),
                name="testimonies_names_someone",
            ),
            models.CheckConstraint(
                condition=Q(mecenat_form="") | Q(partnership_type="mecenat"),
                name="testimonies_mecenat_form_only_for_mecenat",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(published_at__isnull=False),
                name="testimonies_approved_has_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("testimonies:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == TestimonyStatus.APPROVED

    @property
    def is_editable_by_author(self) -> bool:
        return self.status in AUTHOR_EDITABLE

    @property
    def organization_names(self) -> str:
        """The association and/or the company, as one short line."""
        names = [name for name in (self.association_name, self.company_name) if name]
        return " & ".join(names)

    @property
    def success_factor_list(self) -> list[str]:
        return lines_of(self.success_factors)

    @property
    def difficult_moment_list(self) -> list[str]:
        return lines_of(self.difficult_moments)

    @property
    def video_host(self) -> str:
        if not self.video_url:
            return ""
        return urlsplit(self.video_url).hostname or ""


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a one-per-line field, stripped of list bullets."""
    lines = (line.strip().lstrip("-*•").strip() for line in text.splitlines())
    return [line for line in lines if line]


class Quote(models.Model):
    testimony = models.ForeignKey(
        Testimony, verbose_name=_("testimony"), on_delete=models.CASCADE, related_name="quotes"
    )
    text = models.TextField(_("quote"), max_length=1000)
    speaker_role = models.CharField(_("who says it (role)"), max_length=150)
    speaker_organization = models.CharField(_("their organisation"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["testimony", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def speaker(self) -> str:
        return ", ".join(part for part in (self.speaker_role, self.speaker_organization) if part)


class TestimonyReview(models.Model):
    """One moderator decision on a testimony, with its note (kept for the author and the record)."""

    testimony = models.ForeignKey(
        Testimony, verbose_name=_("testimony"), on_delete=models.CASCADE, related_name="reviews"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    note = models.TextField(_("note or reason"), blank=True, max_length=3000)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("testimony review")
        verbose_name_plural = _("testimony reviews")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.testimony}"
