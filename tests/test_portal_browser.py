"""The portal as its users meet it: `uwh portal` serving a real published installation, Debian's chromium clicking.

A clerk uploads the real 珠晖区 2022 report, sees 可以报送 and the figures read, confirms and gets a 回执; the city
starts a run from the board and sees 珠晖区 已接收 when it ends; another district's clerk opening 珠晖区's page gets
404; a report with a BRK001 error shows the finding with its sentences marked. Screenshots are kept (PORTAL_SHOTS).
"""

from __future__ import annotations

import time

import pytest

from portal.demo_accounts import CITY_ACCOUNT, district_account
from tests.browser import HAVE_BROWSER, NO_BROWSER, chrome
from tests.conftest import SAMPLES
from tests.portal_support import YANFENG, ZHUHUI, ZHUHUI_2022, published_installation, serving

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not HAVE_BROWSER, reason=NO_BROWSER)]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    installation = published_installation(tmp_path_factory.mktemp("portal-browser"))
    with serving(installation) as address:
        yield installation, address


def log_in(browser, address: str, username: str, password: str) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{address}/login")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form.stack button").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 15).until(lambda b: "/login" not in b.current_url, message=browser.page_source[-800:])


def test_a_clerk_submits_and_the_city_sees_it_after_a_run(portal, tmp_path, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    installation, address = portal
    browser = chrome(tmp_path / "profile")
    browser.implicitly_wait(30)  # a verdict takes the time of reading the report
    try:
        log_in(browser, address, *district_account(ZHUHUI))
        assert browser.current_url.endswith(f"/d/{ZHUHUI}")
        browser.save_screenshot(str(shots / "clerk-years.png"))
        browser.find_element(By.CSS_SELECTOR, 'a[href$="/2022"]').click()
        assert browser.find_element(By.ID, "status").text == "未报送"
        browser.save_screenshot(str(shots / "clerk-year.png"))
        browser.find_element(By.NAME, "report").send_keys(str(ZHUHUI_2022))
        browser.find_element(By.CSS_SELECTOR, "#upload button").click()
        verdict = browser.find_element(By.ID, "verdict").text
        assert verdict.startswith("可以报送"), verdict
        facts = browser.find_elements(By.CSS_SELECTOR, "#facts tbody tr")
        assert len(facts) >= 20 and facts[0].find_elements(By.TAG_NAME, "mark")
        browser.save_screenshot(str(shots / "clerk-verdict.png"))
        browser.find_element(By.CSS_SELECTOR, "#confirm button").click()
        assert browser.find_element(By.ID, "receipt-status").text == "已接收"
        assert f"{ZHUHUI}-2022-v1" in browser.find_element(By.ID, "receipt").text
        browser.save_screenshot(str(shots / "clerk-receipt.png"))

        log_in(browser, address, *CITY_ACCOUNT)
        browser.get(f"{address}/city/2022")
        row = browser.find_element(By.XPATH, f"//table[@id='board']//tr[td[2]='{ZHUHUI}']")
        assert "未报送" in row.text  # the published warehouse does not know it until a run
        browser.find_element(By.CSS_SELECTOR, "#runs button").click()
        WebDriverWait(browser, 15).until(lambda b: "started=" in b.current_url)
        assert "已开始运行" in browser.find_element(By.ID, "runs").text
        deadline = time.time() + 300
        while time.time() < deadline:
            time.sleep(3)
            browser.get(f"{address}/city/2022")
            row = browser.find_element(By.XPATH, f"//table[@id='board']//tr[td[2]='{ZHUHUI}']")
            runs = browser.find_element(By.ID, "runs").text
            if "已接收" in row.text and "成功" in runs and "正在运行" not in runs:
                break
        else:
            log = (installation.layout.portal / "last-run.log").read_text(encoding="utf-8")
            pytest.fail(f"the run started from the board did not publish 珠晖区: {row.text} / {runs}\n{log[-2000:]}")
        browser.save_screenshot(str(shots / "city-board.png"))

        log_in(browser, address, *district_account(YANFENG))
        browser.get(f"{address}/d/{ZHUHUI}/2022")
        assert browser.find_element(By.TAG_NAME, "h1").text == "页面不存在"
        assert "珠晖" not in browser.page_source
        browser.get(f"{address}/d/{ZHUHUI}/2022/receipt/{ZHUHUI}-2022-v1/download")
        assert "报送回执" not in browser.page_source
    finally:
        browser.quit()


def test_a_breakdown_error_is_shown_with_its_sentences_marked(portal, tmp_path, shots):
    from selenium.webdriver.common.by import By

    _, address = portal
    browser = chrome(tmp_path / "profile")
    browser.implicitly_wait(30)  # a verdict takes the time of reading the report
    try:
        log_in(browser, address, *district_account("430408"))
        browser.get(f"{address}/d/430408/2023")
        report = next((SAMPLES / "landing" / "2023" / "430408").iterdir())
        browser.find_element(By.NAME, "report").send_keys(str(report))
        browser.find_element(By.CSS_SELECTOR, "#upload button").click()
        assert browser.find_element(By.ID, "verdict").text.startswith("发现须更正的问题")
        finding = browser.find_element(By.XPATH, "//tr[@class='finding'][td[1]='BRK001']")
        marks = finding.find_elements(By.TAG_NAME, "mark")
        assert len(marks) >= 2  # the total and its items, each in its own sentence
        finding.find_element(By.CSS_SELECTOR, "p.source a").click()
        target = browser.execute_script("return document.querySelector(':target').id")
        assert target.startswith("fact-")
        browser.save_screenshot(str(shots / "clerk-verdict-brk001.png"))
    finally:
        browser.quit()


def test_pages_fit_a_phone(portal, tmp_path, shots):
    from selenium.webdriver.common.by import By

    _, address = portal
    browser = chrome(tmp_path / "profile", width=390, height=844)
    browser.implicitly_wait(30)
    try:
        log_in(browser, address, *district_account(YANFENG))
        browser.get(f"{address}/d/{YANFENG}/2022")
        assert browser.find_element(By.ID, "upload").is_displayed()
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow  # wide tables scroll inside their box, the page does not
        browser.save_screenshot(str(shots / "phone-year.png"))
    finally:
        browser.quit()
