"""A real HTTP server on loopback for the web tests: uvicorn in a thread on a free port, over
the test's database, ready when it says it has started (polled, never a fixed sleep)."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from hotline_tui.services.kb.search import KnowledgeBase
from hotline_tui.services.public.accounts import ensure_channel_accounts
from hotline_tui.web.app import build_app
from hotline_tui.web.context import Limits
from tests.conftest import IN_CI

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition, what: str, timeout: float = 30.0) -> None:
    """Poll ``condition`` until it holds (the tests never sleep a fixed time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass
class Live:
    url: str
    app: object
    kb: KnowledgeBase

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30.0)


def token(client: httpx.Client, path: str = "/") -> str:
    """The CSRF token of the page at ``path`` (the client keeps the cookie)."""
    found = CSRF.search(client.get(path).text)
    assert found, "the page has a CSRF token"
    return found[1]


def start_server(hl, limits: Limits | None = None) -> Iterator[Live]:
    ensure_channel_accounts(hl)
    kb = KnowledgeBase(hl, refresh_seconds=0.2)
    app = build_app(hl, limits=limits, kb=kb)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    wait_for(lambda: server.started, "the server to listen")
    wait_for(lambda: kb.ready, "the knowledge index")
    try:
        yield Live(f"http://127.0.0.1:{port}", app, kb)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def live(hl) -> Iterator[Live]:
    yield from start_server(hl)


@pytest.fixture
def sqlite_hl(sqlite_url, tmp_path, key_file, clock):
    """The test world over SQLite only (the HTTP layer is the same on both backends; the
    services under it are tested on both)."""
    from db.engine import make_engines
    from hotline_tui.services.context import Hotline
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, key_file, sqlite_url)
    core = Hotline(settings, make_engines(settings.db_url), clock=clock)
    yield core
    core.close()


# A real headless browser: Debian's chromium, driven by Selenium. ``scripts/check`` installs
# ``chromium`` and ``chromium-driver`` when they are missing and it may; without them the
# browser tests fail under CI and skip (saying so) elsewhere.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    if not (CHROMIUM and DRIVER):
        message = (
            "chromium and chromium-driver are needed (apt-get install chromium chromium-driver)"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def gone(element: object) -> bool:
    """Whether the page ``element`` was on has been replaced (the form's answer loaded)."""
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        return not getattr(element, "tag_name", "")
    except StaleElementReferenceException:
        return True


def submit(browser: object, form_action: str) -> None:
    """Press the submit button of the page's form posting to ``form_action`` and wait for the
    answer's page."""
    from selenium.webdriver.common.by import By

    before = browser.find_element(By.TAG_NAME, "html")  # type: ignore[attr-defined]
    form = browser.find_element(By.CSS_SELECTOR, f'form[action="{form_action}"]')  # type: ignore[attr-defined]
    form.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    wait_for(lambda: gone(before), "the next page")
