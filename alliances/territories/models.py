from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One of the 13 metropolitan regions (reference data, created by a data migration)."""

    insee_code = models.CharField(_("INSEE code"), max_length=2, unique=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    population = models.PositiveIntegerField(
        _("population"), help_text=_("Approximate population, used for demo weighting.")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:region_detail", kwargs={"slug": self.slug})

    @property
    def short_code(self) -> str:
        return self.iso_code.removeprefix("FR-")
