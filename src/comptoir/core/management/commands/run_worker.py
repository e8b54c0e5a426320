"""The task worker with Comptoir's periodic jobs running beside it."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from comptoir.core.jobs import PeriodicScheduler


class Command(DBWorkerCommand):
    help = "Run the database task worker and Comptoir's periodic jobs."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-periodic", action="store_true", help="Do not run the periodic jobs here.")

    def handle(self, *args, **options):
        scheduler = None
        # With autoreload (DEBUG), the first process only watches files and restarts a child that
        # does the work: the periodic jobs run in the child alone.
        watcher_only = (
            options.get("reload") and not options.get("batch") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if not options.pop("no_periodic") and not watcher_only:
            scheduler = PeriodicScheduler()
            scheduler.start()
        try:
            return super().handle(*args, **options)
        finally:
            if scheduler:
                scheduler.stop()
