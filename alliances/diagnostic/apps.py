from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticConfig(AppConfig):
    name = "alliances.diagnostic"
    label = "diagnostic"
    verbose_name = _("Self-diagnostics")

    def ready(self) -> None:
        from alliances.diagnostic import personal_data

        personal_data.register_sections()
