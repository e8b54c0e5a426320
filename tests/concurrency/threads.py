"""Run calls in parallel threads, each on its own database connection, released at once."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_at_once(calls: list[Callable[[], Any]], timeout: float = 60) -> list[Outcome]:
    """Each call in its own thread; all connect first, then start together behind a barrier.

    A thread that is still running after ``timeout`` seconds (a lock never released) fails the test.
    Every thread closes its connection, so none is left open on the test database.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout)
            outcomes[index].value = call()
        except BaseException as exc:  # reported to the test, which decides what is expected
            exc.__traceback_text__ = traceback.format_exc()
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads still running after {timeout}s (a lock was never released?): {stuck}"
    return outcomes
