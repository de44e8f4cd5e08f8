from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "alliances.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from alliances.learning import personal_data

        personal_data.register_learning_sections()
