from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "alliances.engagement"
    label = "engagement"
    verbose_name = _("Regional debates and news")

    def ready(self) -> None:
        from alliances.engagement import personal_data

        personal_data.register_sections()
