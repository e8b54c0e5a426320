from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "comptoir.accounts"
    label = "accounts"

    def ready(self) -> None:
        from comptoir.accounts import adapter  # noqa: F401  (connects the security log receivers)
