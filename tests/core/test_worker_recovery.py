"""A worker killed mid-task: the sweep re-queues the task and a restarted worker finishes it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


@pytest.fixture
def worker_env(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "COMPTOIR_VAR_DIR": str(tmp_path / "var"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SETTINGS_MODULE": "comptoir.settings",
    }
    env.pop("COMPTOIR_TESTING", None)
    manage(env, "migrate", "-v0")
    return env


def wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.2)
    return False


def test_task_of_a_killed_worker_is_done_after_restart(worker_env, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    manage(
        worker_env,
        "shell",
        "-c",
        f"from tests.core.sample_tasks import slow_marker; slow_marker.enqueue({str(folder)!r})",
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-periodic", "--no-reload", "--interval", "0.2"],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(folder / "started", 60), "the worker never started the task"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert not (folder / "done").exists()

    manage({**worker_env, "TASK_TIME_LIMIT": "0"}, "run_periodic_jobs", "requeue_stuck_tasks")
    manage(worker_env, "run_worker", "--no-periodic", "--batch", "--interval", "0")
    assert (folder / "done").exists()
