"""SECURITY check 41 (first half): bandit finds no high-severity issue in our code.

The dependency audit is not claimed here: pip-audit needs its vulnerability database online.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_reports_no_high_severity_finding():
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent))
    if bandit is None:
        pytest.fail("bandit is not installed in the virtualenv: the check cannot be claimed")
    result = subprocess.run(
        [bandit, "-q", "-r", "src", "-lll", "-f", "txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
