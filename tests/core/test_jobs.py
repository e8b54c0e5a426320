import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from comptoir.core.jobs import PERIODIC_JOBS, backoff_delay

ROOT = Path(__file__).resolve().parents[2]

# Every periodic job of the project: a new one is added here and to docs/operations.md.
EXPECTED_JOBS = {
    "requeue_stuck_tasks",
    "send_queued_mail",
    "purge_old_carts",
    "purge_image_archives",
    "purge_stock_alerts",
}

_BARE_SETUP = """
import json, django
django.setup()
from comptoir.core.jobs import PERIODIC_JOBS
print(json.dumps(sorted(PERIODIC_JOBS)))
"""


def _fresh_env(tmp_path: Path) -> dict[str, str]:
    """A process of its own: its own SQLite file and var directory, the database task queue."""
    env = {k: v for k, v in os.environ.items() if k not in {"COMPTOIR_TESTING", "REDIS_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        COMPTOIR_VAR_DIR=str(tmp_path / "var"),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DJANGO_SETTINGS_MODULE="comptoir.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def cron_env(tmp_path_factory):
    env = _fresh_env(tmp_path_factory.mktemp("cron"))
    migrated = _manage(env, "migrate", "-v0", "--skip-checks")
    assert migrated.returncode == 0, migrated.stderr
    return env


def test_backoff_doubles_and_is_capped_at_an_hour():
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff_delay(50) == timedelta(hours=1)


def test_every_periodic_job_is_registered():
    assert set(PERIODIC_JOBS) == EXPECTED_JOBS


def test_a_bare_django_setup_registers_every_periodic_job(tmp_path):
    # Nothing else imported: no URLconf, no system checks, no views pulling services in.
    result = subprocess.run(
        [sys.executable, "-c", _BARE_SETUP],
        cwd=ROOT,
        env=_fresh_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) == EXPECTED_JOBS


def test_every_periodic_job_is_declared_in_a_jobs_module():
    modules = {name: job.func.__module__.rpartition(".")[2] for name, job in PERIODIC_JOBS.items()}
    assert modules == dict.fromkeys(EXPECTED_JOBS, "jobs")


@pytest.mark.parametrize("job", sorted(EXPECTED_JOBS))
def test_cron_runs_each_job_by_name_in_a_fresh_process(cron_env, job):
    result = _manage(cron_env, "run_periodic_jobs", "--skip-checks", job)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{job}: 0"]


def test_unknown_periodic_job_is_refused(db):
    with pytest.raises(SystemExit):
        call_command("run_periodic_jobs", "no_such_job")
