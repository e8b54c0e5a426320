from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "comptoir.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from comptoir.accounts import adapter  # noqa: F401  (connects the security log receivers)
