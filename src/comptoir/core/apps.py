from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "comptoir.core"
    label = "core"

    def ready(self) -> None:
        # Periodic jobs register themselves when their modules are imported.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
