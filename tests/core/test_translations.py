"""Every user-visible string ships in French, Dutch and Swedish (PRODUCT G1).

The catalogues are regenerated from the code into a copy of the source tree, so a
string marked for translation but missing from a catalogue is found, as well as an
empty or fuzzy translation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "comptoir"
LANGUAGES = ("fr", "nl", "sv")

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("i18n") / "comptoir"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "comptoir.settings", "PYTHONPATH": str(SOURCE.parent)}
    languages = [arg for language in LANGUAGES for arg in ("-l", language)]
    subprocess.run([sys.executable, "-m", "django", "makemessages", *languages, "-v0"], cwd=copy, env=env, check=True)
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(regenerated, language):
    po = regenerated / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    statistics = result.stderr.strip()
    assert "untranslated" not in statistics, f"{language}: {statistics}"
    assert "fuzzy" not in statistics, f"{language}: {statistics}"
    assert "translated message" in statistics
