from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestimoniesConfig(AppConfig):
    name = "alliances.testimonies"
    label = "testimonies"
    verbose_name = _("Testimonies")

    def ready(self) -> None:
        from alliances.testimonies import personal_data

        personal_data.register_sections()
