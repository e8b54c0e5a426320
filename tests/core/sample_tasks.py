"""Tasks used by the worker tests (imported by a real worker process)."""

import time
from pathlib import Path

from django_tasks import task


@task()
def slow_marker(folder: str) -> str:
    """First run: mark started, then hang (the test kills the worker). Later runs finish at once."""
    path = Path(folder)
    first_run = not (path / "started").exists()
    (path / "started").write_text("yes")
    if first_run:
        time.sleep(60)
    (path / "done").write_text("yes")
    return "done"
