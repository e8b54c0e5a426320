from django.core.management.base import BaseCommand

from comptoir.core.jobs import PERIODIC_JOBS, run_periodic_jobs


class Command(BaseCommand):
    help = "Run Comptoir's periodic jobs once (for cron or a Kubernetes CronJob)."

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", help=f"Jobs to run (default: all): {', '.join(PERIODIC_JOBS)}")

    def handle(self, *args, **options):
        unknown = set(options["jobs"]) - set(PERIODIC_JOBS)
        if unknown:
            self.stderr.write(f"Unknown job(s): {', '.join(sorted(unknown))}")
            raise SystemExit(2)
        failed = False
        for name, result in run_periodic_jobs(options["jobs"] or None).items():
            failed |= isinstance(result, Exception)
            self.stdout.write(f"{name}: {result}")
        if failed:
            raise SystemExit(1)
