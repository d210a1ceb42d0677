"""报送 → 确认 → 审核 as its users meet it: `uwh portal` on a real published installation, Debian's chromium clicking.

珠晖区's 2021 report states a fund's running total without its years (本会金秋助学基金已发放助学金337.34万元) that the
reader sums as this year's aid.
Its clerk marks it 累计 on the figures page and confirms; the city returns 雁峰区's figures with a comment; 雁峰区's
clerk sees the comment on the year page and the figures page and resubmits: uploads a corrected report (v2), hands it
in, and after the run confirms v2's figures; the city approves both and starts a run from the board; the city report
then shows both as 已审核, 珠晖区 with 区县更正 and the reader's original in its provenance, 雁峰区 with v2's figure.
Screenshots are kept (PORTAL_SHOTS).
"""

from __future__ import annotations

import time

import duckdb
import pytest

from portal.demo_accounts import CITY_ACCOUNT, district_account
from tests.browser import HAVE_BROWSER, NO_BROWSER, chrome
from tests.portal_support import YANFENG, ZHUHUI, published_installation, serving
from tests.test_portal_browser import log_in
from tests.test_review import cumulative_report

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not HAVE_BROWSER, reason=NO_BROWSER)]
YEAR = 2021


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    def with_cumulative(layout):
        (path,) = (layout.landing / str(YEAR) / ZHUHUI).iterdir()
        path.write_text(cumulative_report(), encoding="utf-8")

    installation = published_installation(tmp_path_factory.mktemp("review-browser"), before_run=with_cumulative)
    with serving(installation) as address:
        yield installation, address


def shows(browser, element_id: str, text: str) -> None:
    """Wait for the page a click led to: its element `element_id` says `text`."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def said(b) -> bool:
        try:
            return any(text in e.text for e in b.find_elements(By.ID, element_id))
        except StaleElementReferenceException:
            return False

    WebDriverWait(browser, 30).until(said, message=f"#{element_id} never said {text}")


def select(browser, element_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, element_id)).select_by_value(value)


def run_from_board(browser, address: str) -> None:
    """The city starts a run from its board and waits until it has finished."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{address}/city/{YEAR}")
    browser.find_element(By.CSS_SELECTOR, "#runs button").click()
    WebDriverWait(browser, 15).until(lambda b: "started=" in b.current_url)
    deadline = time.time() + 300
    while time.time() < deadline:
        time.sleep(3)
        browser.get(f"{address}/city/{YEAR}")
        runs = browser.find_element(By.ID, "runs").text
        if "成功" in runs and "正在运行" not in runs and "已开始运行" not in runs:
            return
    pytest.fail(f"the run started from the board did not finish: {runs}")


def test_a_corrected_figure_is_confirmed_reviewed_and_reported_as_reviewed(portal, tmp_path, shots):
    from selenium.webdriver.common.by import By

    installation, address = portal
    db = installation.layout.published_db
    con = duckdb.connect(str(db), read_only=True)
    (cumulative,) = con.execute(
        "SELECT fact_id FROM raw.facts WHERE submission_id = ? AND value = 3373400", [f"{ZHUHUI}-{YEAR}-v1"]
    ).fetchone()
    persons_value, persons_sentence = con.execute(  # a 人次 count of 雁峰区's aid, which its clerk corrects in v2
        """SELECT CAST(value AS INTEGER), source_text FROM raw.facts WHERE submission_id = ? AND kind = 'count'
           AND unit = '人次' AND category LIKE 'aid%' ORDER BY fact_id LIMIT 1""",
        [f"{YANFENG}-{YEAR}-v1"],
    ).fetchone()
    con.close()
    (v1_file,) = (installation.layout.landing / str(YEAR) / YANFENG).iterdir()
    written = f"{persons_value}人次"
    assert written in persons_sentence
    v2_file = tmp_path / v1_file.name  # the district's corrected report: the same text, the count as it should be
    v2_file.write_text(
        v1_file.read_text(encoding="utf-8").replace(
            persons_sentence, persons_sentence.replace(written, f"{persons_value + 1}人次")
        ),
        encoding="utf-8",
    )
    browser = chrome(tmp_path / "profile", height=1400)
    browser.implicitly_wait(20)
    try:
        # 珠晖区: the cumulative is summed as aid; the clerk marks it 累计 and confirms
        log_in(browser, address, *district_account(ZHUHUI))
        browser.get(f"{address}/d/{ZHUHUI}/{YEAR}")
        assert browser.find_element(By.ID, "year-review-state").text == "待确认"
        browser.find_element(By.ID, "figures-link").click()
        aid = browser.find_element(By.ID, "figure-aid_yuan")
        assert "3,686,000.00" in aid.text and "基金已发放助学金" in aid.text
        browser.save_screenshot(str(shots / "review-clerk-before.png"))
        select(browser, "correct-fact", cumulative)
        select(browser, "correct-field", "not_summed")
        browser.find_element(By.ID, "correct-value").send_keys("cumulative")
        browser.find_element(By.ID, "correct-reason").send_keys("1998年以来历年累计数")
        browser.find_element(By.ID, "correct-submit").click()
        shows(browser, "done", "已记录更正")
        aid = browser.find_element(By.ID, "figure-aid_yuan")
        assert "312,600.00" in aid.text and "基金已发放助学金" not in aid.text
        assert "不计入：计入 → 累计数（非本年）" in browser.find_element(By.ID, "changes").text
        browser.save_screenshot(str(shots / "review-clerk-corrected.png"))
        browser.find_element(By.ID, "confirm-figures").click()
        shows(browser, "done", "已确认报送")
        assert browser.find_element(By.ID, "review-state").text == "已确认待审核"

        # 雁峰区 confirms as read; the city returns it with a comment
        log_in(browser, address, *district_account(YANFENG))
        browser.get(f"{address}/d/{YANFENG}/{YEAR}/figures")
        browser.find_element(By.ID, "confirm-figures").click()
        shows(browser, "done", "已确认报送")
        log_in(browser, address, *CITY_ACCOUNT)
        browser.get(f"{address}/city/{YEAR}")
        row = browser.find_element(By.XPATH, f"//table[@id='board']//tr[td[2]='{YANFENG}']")
        assert "已确认待审核" in row.text
        browser.save_screenshot(str(shots / "review-city-board.png"))
        row.find_element(By.LINK_TEXT, "已确认待审核").click()
        browser.find_element(By.ID, "return-comment").send_keys("送温暖慰问人次与上年差异较大，请核对")
        browser.find_element(By.ID, "return").click()
        shows(browser, "done", "已退回")

        # 雁峰区's clerk sees the comment, corrects and confirms again
        log_in(browser, address, *district_account(YANFENG))
        browser.get(f"{address}/d/{YANFENG}/{YEAR}")
        assert "送温暖慰问人次与上年差异较大" in browser.find_element(By.ID, "year-returned").text
        assert browser.find_element(By.ID, "year-review-state").text == "已退回"
        assert "市总工会退回" in browser.find_element(By.ID, "versions").text  # and in the receipt history
        browser.save_screenshot(str(shots / "review-clerk-returned.png"))
        browser.find_element(By.ID, "figures-link").click()
        assert "送温暖慰问人次与上年差异较大" in browser.find_element(By.ID, "returned").text

        # ... and resubmits: the corrected report is uploaded, checked and handed in as v2
        browser.get(f"{address}/d/{YANFENG}/{YEAR}")
        browser.find_element(By.NAME, "report").send_keys(str(v2_file))
        browser.find_element(By.CSS_SELECTOR, "#upload button").click()
        assert browser.find_element(By.ID, "verdict").text.startswith("可以报送")
        browser.find_element(By.CSS_SELECTOR, "#confirm button").click()
        assert browser.find_element(By.ID, "receipt-status").text == "已接收"
        assert f"{YANFENG}-{YEAR}-v2" in browser.find_element(By.ID, "receipt").text
        log_in(browser, address, *CITY_ACCOUNT)
        run_from_board(browser, address)
        row = browser.find_element(By.XPATH, f"//table[@id='board']//tr[td[2]='{YANFENG}']")
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        assert cells[3] == "待确认" and "2" in cells  # a new version needs its own confirmation and review

        # the clerk confirms v2's figures (its 人次 now read as written)
        log_in(browser, address, *district_account(YANFENG))
        browser.get(f"{address}/d/{YANFENG}/{YEAR}")
        assert browser.find_element(By.ID, "year-review-state").text == "待确认"
        browser.find_element(By.ID, "figures-link").click()
        assert f"{persons_value + 1:,}" in browser.find_element(By.ID, "figure-aid_person_times").text
        browser.find_element(By.ID, "confirm-figures").click()
        shows(browser, "done", "已确认报送")
        assert browser.find_element(By.ID, "review-state").text == "已确认待审核"

        # the city approves both and runs
        log_in(browser, address, *CITY_ACCOUNT)
        for code in (ZHUHUI, YANFENG):
            browser.get(f"{address}/city/review/{code}/{YEAR}")
            browser.save_screenshot(str(shots / f"review-city-{code}.png"))
            browser.find_element(By.ID, "approve").click()
            shows(browser, "done", "已审核通过")
        run_from_board(browser, address)
        browser.get(f"{address}/city/reports/{YEAR}/city_report.html")
        zhuhui = browser.find_element(By.ID, f"row-{ZHUHUI}")
        yanfeng = browser.find_element(By.ID, f"row-{YANFENG}")
        assert "已审核・区县更正" in zhuhui.text and "312,600.00" in zhuhui.text
        assert "已审核" in yanfeng.text and "区县更正" not in yanfeng.text  # v2 is read as written
        browser.save_screenshot(str(shots / "review-city-report.png"))
        provenance = browser.find_element(By.ID, f"fact-{ZHUHUI}-{YEAR}-v1-{cumulative}")
        assert "不计入：累计数（非本年）" in provenance.get_attribute("textContent")
    finally:
        browser.quit()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute(
            "SELECT review_state FROM reports.rpt_city_rollup WHERE year = ? AND district_code IN (?, ?)",
            [YEAR, ZHUHUI, YANFENG],
        ).fetchall() == [("approved",), ("approved",)]
        assert con.execute(
            "SELECT excluded_reason, read_value FROM marts.fct_beneficiaries WHERE submission_id = ? AND fact_id = ?",
            [f"{ZHUHUI}-{YEAR}-v1", cumulative],
        ).fetchall() == [("cumulative", 3373400)]
        assert con.execute("SELECT count(*) FROM raw.fact_corrections").fetchone()[0] == 1
        assert con.execute(  # the review of v1 (returned) and of v2 (approved), each of its own version's bytes
            """SELECT s.version, r.decision FROM raw.reviews r JOIN raw.submissions s USING (district_code, year, sha256)
               WHERE r.district_code = ? AND r.year = ? ORDER BY r.seq""",
            [YANFENG, YEAR],
        ).fetchall() == [(1, "return"), (2, "approve")]
    finally:
        con.close()
