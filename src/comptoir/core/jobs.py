"""What the Tasks API leaves out: retries with backoff, a sweep for tasks whose
worker died, and periodic jobs.

Periodic jobs are plain functions declared in each app's ``jobs.py`` with ``@periodic``;
core's ``ready()`` imports every app's ``jobs`` module, so the registry is complete once
``django.setup()`` has run (tests/core/test_jobs.py). The worker process
(``manage.py run_worker``) runs them on their interval, and
``manage.py run_periodic_jobs`` runs them once, for cron or a Kubernetes CronJob.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django_tasks import default_task_backend, task_backends
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def backoff_delay(attempt: int, *, base: int = 30, cap: int = 3600) -> timedelta:
    """30 s, 60 s, 120 s … capped at an hour."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempt - 1)))


def retry_later(task: Task, *args: Any, attempt: int, **kwargs: Any) -> bool:
    """Queue ``task`` again after a backoff delay.

    Returns False when the backend cannot defer (the immediate backend of the
    unit tests): the periodic job that owns the work picks it up instead.
    """
    backend = task_backends[task.backend]
    if not backend.supports_defer:
        return False
    task.using(run_after=timezone.now() + backoff_delay(attempt)).enqueue(*args, **kwargs)
    return True


def requeue_stuck_tasks(*, older_than: int | None = None) -> int:
    """Put tasks back in the queue whose worker died while running them.

    A task RUNNING for longer than ``COMPTOIR_TASK_TIME_LIMIT`` seconds is
    taken for dead: its worker was killed or its machine lost. Tasks are
    idempotent, so running one again is safe.
    """
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return 0
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    limit = settings.COMPTOIR_TASK_TIME_LIMIT if older_than is None else older_than
    cutoff = timezone.now() - timedelta(seconds=limit)
    count = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff).update(
        status=TaskResultStatus.READY, started_at=None, run_after=timezone.now()
    )
    if count:
        logger.warning("Re-queued %d task(s) whose worker stopped mid-run.", count)
    return count


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable[[], Any]
    every: timedelta


PERIODIC_JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, *, every: timedelta) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register ``func`` as a periodic job run by the worker every ``every``; used in ``<app>/jobs.py``."""

    def register(func: Callable[[], Any]) -> Callable[[], Any]:
        PERIODIC_JOBS[name] = PeriodicJob(name=name, func=func, every=every)
        return func

    return register


periodic("requeue_stuck_tasks", every=timedelta(minutes=1))(requeue_stuck_tasks)


def run_periodic_jobs(names: list[str] | None = None) -> dict[str, Any]:
    """Run the named periodic jobs (all by default) once; a failing job does not stop the others."""
    results: dict[str, Any] = {}
    for job in PERIODIC_JOBS.values():
        if names and job.name not in names:
            continue
        try:
            results[job.name] = job.func()
        except Exception as exc:
            logger.exception("Periodic job %s failed", job.name)
            results[job.name] = exc
    return results


class PeriodicScheduler(threading.Thread):
    """Runs the periodic jobs in the worker process, each on its interval."""

    def __init__(self, *, tick: float = 5.0) -> None:
        super().__init__(name="comptoir-periodic", daemon=True)
        self.tick = tick
        self.stopped = threading.Event()
        self.last_run: dict[str, float] = {}

    def run(self) -> None:
        while not self.stopped.is_set():
            now = time.monotonic()
            due = [
                job.name
                for job in PERIODIC_JOBS.values()
                if now - self.last_run.get(job.name, -1e9) >= job.every.total_seconds()
            ]
            if due:
                close_old_connections()
                run_periodic_jobs(due)
                close_old_connections()
                for name in due:
                    self.last_run[name] = now
            self.stopped.wait(self.tick)

    def stop(self) -> None:
        self.stopped.set()


__all__ = [
    "PERIODIC_JOBS",
    "PeriodicScheduler",
    "backoff_delay",
    "default_task_backend",
    "enqueue_on_commit",
    "periodic",
    "requeue_stuck_tasks",
    "retry_later",
    "run_periodic_jobs",
]
