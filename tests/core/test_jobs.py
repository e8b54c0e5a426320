from datetime import timedelta

import pytest
from django.core.management import call_command

from comptoir.core.jobs import PERIODIC_JOBS, backoff_delay


def test_backoff_doubles_and_is_capped_at_an_hour():
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff_delay(50) == timedelta(hours=1)


def test_every_periodic_job_is_registered():
    assert {"requeue_stuck_tasks", "send_queued_mail"} <= set(PERIODIC_JOBS)


def test_unknown_periodic_job_is_refused(db):
    with pytest.raises(SystemExit):
        call_command("run_periodic_jobs", "no_such_job")
