from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "comptoir.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app declares its periodic jobs in its jobs.py: import them all, so that every
        # process (worker, cron's run_periodic_jobs --skip-checks, web) knows the same jobs.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")

        # allauth counts rate limits in the default cache: they go to a cache of their own.
        from comptoir.core.ratelimits import count_limits_in_their_own_cache

        count_limits_in_their_own_cache()
