from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "alliances.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from alliances.accounts import personal_data, roles

        post_migrate.connect(roles.sync_role_groups_after_migrate, dispatch_uid="roles-sync")
        personal_data.register_account_sections()
