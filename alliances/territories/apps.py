from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _regions_sync_after_migrate(**_kwargs: Any) -> None:
    """Keep the 13 regions present after every migrate and flush (tests flush the database)."""
    from alliances.territories.models import Region
    from alliances.territories.reference import regions_sync

    regions_sync(Region)


class TerritoriesConfig(AppConfig):
    name = "alliances.territories"
    label = "territories"
    verbose_name = _("Territories")

    def ready(self) -> None:
        post_migrate.connect(_regions_sync_after_migrate, sender=self, dispatch_uid="regions-sync")
