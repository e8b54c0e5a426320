"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Mail goes the production way (stored, queued, delivered by SMTP to a real
aiosmtpd server), so a test reads its login code from a real inbox.

The screenshots in docs/img/ (used by the guides) are taken by these tests, so
they follow the interface. They are kept free of random or dated content, so a
run changes them only when a page really changed. They are written to
docs/img/ only when asked (`make screenshots`, which sets COMPTOIR_SCREENSHOTS=1);
otherwise to a temporary folder, so that `make test` leaves the tree clean.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import body_of, code_in

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1200, "height": 800}
DOCS_IMG_DIR = Path(__file__).resolve().parents[2] / "docs" / "img"
IMG_DIR = (
    DOCS_IMG_DIR
    if os.environ.get("COMPTOIR_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / f"comptoir-screenshots-{os.getpid()}"
)
MAIL_WAIT_SECONDS = 10
URL_RE = re.compile(r"https?://\S+")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in this thread while it is started, and
    Django refuses ORM calls from a thread with a running loop unless told it is safe. Told so for
    the browser tests only, and only while they run: every other test is still refused
    (tests/core/test_async_guard.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def playwright_driver(allow_orm_beside_playwright):
    """Started for the browser tests and stopped after the last of them, so that its event loop
    runs only while they do (a session-wide driver would leave it running under later tests)."""
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="package")
def browser(playwright_driver):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def site(live_server, settings, real_mail):
    """The live server, with the links in mails pointing at it.

    Rate-limit counters (the "ratelimit" database cache) are emptied before each test by
    tests/conftest.py; the cache tables themselves are created with the test database.
    """
    settings.COMPTOIR_SITE_URL = live_server.url
    return live_server


@pytest.fixture
def new_context(browser):
    """Opens browser contexts (one per person) and closes them after the test.

    Every journey also checks that no page broke the content security policy.
    """
    contexts = []
    csp_violations: list[str] = []

    def watch(page):
        def on_console(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                csp_violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    def open_context():
        context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
        context.set_default_timeout(10_000)
        context.on("page", watch)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert not csp_violations, "\n".join(csp_violations)


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def shot(page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot of the page for the guides, as docs/img/<name>.png (from the top of the page)."""
    IMG_DIR.mkdir(parents=True, exist_ok=True)
    path = IMG_DIR / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    return path


def wait_for_mail(smtp, address: str, count: int = 1, timeout: float = MAIL_WAIT_SECONDS):
    """The newest mail to ``address`` once at least ``count`` have arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = smtp.messages_to(address)
        if len(messages) >= count:
            return messages[-1]
        time.sleep(0.05)
    raise AssertionError(f"no mail #{count} for {address}; inbox: {[str(m['To']) for m in smtp.messages]}")


def links_in(message) -> list[str]:
    return URL_RE.findall(body_of(message))


def request_code(page, site, smtp, email: str, *, navigate: bool = True) -> str:
    """Ask for a login code on the login page and read it from the SMTP inbox.

    With ``navigate=False`` the page is already on the login page (reached
    through a link that carries ``?next=``), which must be kept.
    """
    before = len(smtp.messages_to(email))
    if navigate:
        page.goto(f"{site.url}/accounts/login/code/")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_role("button", name="Confirm").wait_for()
    return code_in(wait_for_mail(smtp, email, count=before + 1))


def type_code(page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()


def login(page, site, smtp, email: str, *, navigate: bool = True) -> None:
    """Log in by code through the real UI, reading the code from the real mail."""
    type_code(page, request_code(page, site, smtp, email, navigate=navigate))
