from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "alliances.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from alliances.organizations.personal_data import register_sections

        register_sections()
