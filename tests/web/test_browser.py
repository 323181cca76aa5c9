"""A real headless browser (Debian's chromium, driven by Selenium) on the page: ask a question,
leave a request, see its progress on the status page.

The browser is :func:`tests.web.conftest.browser`.
"""

from __future__ import annotations

import pytest

from tests.kb_index.service_helpers import published
from tests.web.conftest import gone, start_server, wait_for
from tests.world import actors


@pytest.fixture
def site(sqlite_hl):
    published(sqlite_hl, actors(sqlite_hl)["adm"])
    yield from start_server(sqlite_hl)


def test_ask_leave_a_request_and_follow_it(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    def submit(form_action: str) -> None:
        before = browser.find_element(By.TAG_NAME, "html")
        form = browser.find_element(By.CSS_SELECTOR, f'form[action="{form_action}"]')
        form.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
        wait_for(lambda: gone(before), "the next page")

    browser.get(site.url + "/")
    browser.find_element(By.ID, "q").send_keys("营业执照怎么办理")
    submit("/ask")
    reply = browser.find_element(By.ID, "reply").text
    assert "您是不是想问" in reply and "个体工商户营业执照如何办理？" in reply
    # The question is already the request's description; the person adds the rest.
    assert browser.find_element(By.ID, "description").get_attribute("value") == "营业执照怎么办理"
    browser.find_element(By.ID, "phone").send_keys("13800138000")
    Select(browser.find_element(By.ID, "area")).select_by_value("D1")
    submit("/request")
    number = browser.find_element(By.ID, "number").text
    assert len(number) == 14 and number.isdigit()

    browser.get(site.url + "/status")
    browser.find_element(By.ID, "number").send_keys(number)
    browser.find_element(By.ID, "phone").send_keys("13800138000")
    submit("/status")
    progress = browser.find_element(By.ID, "progress").text
    assert number in progress and "待派单" in progress
