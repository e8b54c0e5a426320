"""Run Django with the production environment in a child process (settings are read once per process)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    # The browser tests allow async-unsafe ORM calls in the test process; production never does.
    dropped = {
        "COMPTOIR_TESTING",
        "REDIS_URL",
        "RATE_LIMIT_REDIS_URL",
        "DJANGO_DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "TRUSTED_PROXY_COUNT",
    }
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="shop.example",
        CSRF_TRUSTED_ORIGINS="https://shop.example",
        COMPTOIR_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="comptoir.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
    env.update(extra)
    return env


def run_manage(var_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=production_env(var_dir, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


_DUMP = """
import json, django
django.setup()
from django.conf import settings
names = json.loads(input())
print(json.dumps({n: getattr(settings, n, None) for n in names}, default=str))
"""


def production_settings(var_dir: Path, *names: str, **extra: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", _DUMP],
        cwd=ROOT,
        env=production_env(var_dir, **extra),
        input=json.dumps(names),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
