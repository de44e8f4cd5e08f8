from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site's frame: layout, home page, navigation and error pages."""

    name = "alliances.portal"
    label = "portal"
    verbose_name = _("Portal")
