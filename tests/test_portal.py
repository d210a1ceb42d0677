"""The portal against a real published installation (a real `uwh run`), through the real application: every route ×
every kind of visitor, sessions, CSRF, throttling, one-time links, uploads checked by content and kept byte for byte."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import timedelta

import pytest

from intake.review_ledger import ReviewLedger
from portal.accounts import AccountStore, Role
from portal.app import create_app
from portal.demo_accounts import ADMIN_ACCOUNT, CITY_ACCOUNT, district_account
from tests.conftest import SAMPLES
from tests.portal_support import YANFENG, ZHUHUI, ZHUHUI_2022, csrf_of, log_in, published_installation

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    found = published_installation(tmp_path_factory.mktemp("portal"))
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = found.env["DAGSTER_HOME"]  # the board asks Dagster for the last run
    yield found
    if previous is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = previous


VISITORS = {
    "anonymous": None,
    "district A": district_account(ZHUHUI),
    "district B": district_account(YANFENG),
    "city": CITY_ACCOUNT,
    "admin": ADMIN_ACCOUNT,
}
# Concrete values for the route table's parameters: everything names district A (珠晖区) or its files.
PARAMETERS = {
    "code": ZHUHUI,
    "year:int": "2021",
    "submission_id": f"{ZHUHUI}-2021-v1",
    "path:path": "2021/city_report.html",
    "token": "not-a-real-token-000000000000",
    "username": district_account(ZHUHUI)[0],
    "action": "enable",
}


def expected_status(visitor: str, method: str, path: str) -> int:
    """What each visitor must get: the rule the portal promises, written out independently of its code."""
    public = path in {"/login", "/static/portal.css"} or path.startswith("/invite/")
    if path == "/":
        return 303
    if public:
        if path.startswith("/invite/"):
            return 404  # an unknown token
        if path == "/login" and method == "POST":
            return 403  # no login form token
        return 200
    if visitor == "anonymous":
        return 303  # to the login page
    city = visitor in {"city", "admin"}
    if path.startswith("/admin/"):
        if visitor != "admin":
            return 404
        return 303 if path.endswith("/{action}") else 200
    if path.startswith("/city"):
        if not city:
            return 404
        if path == "/city/run":
            return 403  # the walk sends no CSRF token here: authorised, but it must not start a real run
        if path == "/city":
            return 303
        if path.startswith("/city/review/") and method == "POST":
            return 303  # back to the review page, which says the form named no version: nothing is decided
        return 200
    if path.startswith("/d/"):
        if visitor == "district B":
            return 404  # another district's page, file or receipt: as if it did not exist
        if path.endswith("/check/{token}"):
            # a check running for a clerk's upload: only clerks upload; an unknown check is told it has expired
            return 404 if city else 400
        if method == "POST":
            if city:
                return 404  # only the district's clerks upload, correct and confirm
            # an empty form is told what is missing: the upload at once, a correction on its figures page
            return 303 if "/figures/" in path else 400
        return 200
    if path == "/logout":
        return 303
    raise AssertionError(path)


def route_table(app) -> list[tuple[str, str]]:
    routes = []
    for entry in app.routes:
        for route in getattr(entry, "original_router", None).routes if hasattr(entry, "original_router") else [entry]:
            routes += [(method, route.path) for method in sorted(route.methods) if method != "HEAD"]
    return routes


def concrete(path: str) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: PARAMETERS[m.group(1)], path)


def test_every_route_answers_every_visitor_as_promised(installation):
    table = route_table(create_app(installation.layout))
    assert len(table) >= 24
    failures = []
    for visitor, account in VISITORS.items():
        client = installation.client()
        csrf = log_in(client, *account) if account else ""
        for method, path in table:
            if path == "/logout":
                continue  # ends the session the walk uses; tested on its own below
            url = concrete(path)
            form = {"csrf": csrf} if method == "POST" and path != "/city/run" else None
            response = client.request(method, url, data=form, follow_redirects=False)
            want = expected_status(visitor, method, path)
            if response.status_code != want:
                failures.append(f"{visitor} {method} {url}: {response.status_code}, expected {want}")
            if visitor == "district B" and response.status_code == 404:
                assert "珠晖" not in response.text, url  # not even the name of the district it asked about
            if want == 303 and visitor == "anonymous":
                assert response.headers["location"].startswith("/login"), url
    assert not failures, "\n".join(failures)
    denied = [
        e
        for e in AccountStore(installation.layout.portal / "accounts.sqlite").audit_entries(1000)
        if e["action"] == "denied"
    ]
    assert any(e["username"] == district_account(YANFENG)[0] and ZHUHUI in e["target"] for e in denied)


def test_a_clerk_sees_only_their_own_districts_data(installation):
    client = installation.client()
    log_in(client, *district_account(YANFENG))
    own = client.get(f"/d/{YANFENG}/2022")
    assert own.status_code == 200 and "雁峰区总工会" in own.text and "珠晖" not in own.text
    workbook = client.get(f"/d/{YANFENG}/extract.xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    from io import BytesIO

    from openpyxl import load_workbook

    sheets = load_workbook(BytesIO(workbook.content), read_only=True)
    text = " ".join(str(c) for ws in sheets for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "雁峰区" in text and "珠晖区" not in text and "430405" not in text
    extract = client.get(f"/d/{YANFENG}/extract.duckdb")
    assert (
        extract.status_code == 200
        and extract.content == (installation.layout.tenant_dbs / f"{YANFENG}.duckdb").read_bytes()
    )


def test_pages_carry_the_security_headers_and_a_hardened_session_cookie(installation):
    client = installation.client()
    page = client.get("/login")
    csp = page.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    landed = client.post(
        "/login", data={"username": district_account(ZHUHUI)[0], "password": district_account(ZHUHUI)[1], "token": token},
        follow_redirects=False,
    )  # fmt: skip
    cookie = next(v for k, v in landed.headers.multi_items() if k == "set-cookie" and v.startswith("uwh_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Max-Age=28800" in cookie
    district_page = client.get(f"/d/{ZHUHUI}")
    assert "no-store" in district_page.headers["cache-control"] and "private" in district_page.headers["cache-control"]
    assert "<script" not in district_page.text and " style=" not in district_page.text  # the CSP allows none
    # the session lives on the server: logging out ends it even for a copy of the cookie
    stolen = client.cookies.get("uwh_session")
    client.post("/logout", data={"csrf": csrf_of(district_page.text)}, follow_redirects=False)
    replay = installation.client()
    replay.cookies.set("uwh_session", stolen)
    assert replay.get(f"/d/{ZHUHUI}", follow_redirects=False).status_code == 303


def test_passwords_are_stored_as_argon2id_hashes(installation):
    con = sqlite3.connect(installation.layout.portal / "accounts.sqlite")
    hashes = [h for (h,) in con.execute("SELECT password_hash FROM users")]
    con.close()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(district_account(ZHUHUI)[1] in h for h in hashes)


def test_forms_without_the_sessions_csrf_token_are_refused(installation):
    clerk = installation.client()
    log_in(clerk, *district_account(ZHUHUI))
    other = installation.client()
    other_csrf = log_in(other, *district_account(ZHUHUI))
    files = {"report": ("r.txt", ZHUHUI_2022.read_bytes(), "text/plain")}
    assert clerk.post(f"/d/{ZHUHUI}/2022/check", files=files).status_code == 403
    assert clerk.post(f"/d/{ZHUHUI}/2022/check", data={"csrf": other_csrf}, files=files).status_code == 403
    assert "表单已过期" in clerk.post(f"/d/{ZHUHUI}/2022/check", files=files).text


def test_logins_are_throttled_per_account_and_recorded(installation):
    store = AccountStore(installation.layout.portal / "accounts.sqlite")
    store.add_user("throttled", Role.CITY, password="right-password-1")
    client = installation.client()
    for _ in range(5):
        page = client.get("/login")
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        assert (
            client.post("/login", data={"username": "throttled", "password": "wrong", "token": token}).status_code
            == 401
        )
    page = client.get("/login")
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    blocked = client.post("/login", data={"username": "throttled", "password": "right-password-1", "token": token})
    assert blocked.status_code == 429 and "15分钟" in blocked.text
    log_in(installation.client(), *CITY_ACCOUNT)  # other accounts are unaffected
    actions = [e["action"] for e in store.audit_entries(50) if e["username"] == "throttled"]
    assert actions.count("login_failed") == 5 and "login_throttled" in actions


def test_invitation_links_set_a_password_once_and_expire(installation):
    added = installation.uwh("users", "add", "zhuhui02", "--district", ZHUHUI, "--name", "李四")
    assert added.returncode == 0, added.stderr
    link = re.search(r"http://\S+/invite/(\S+)", added.stdout).group(1)
    client = installation.client()
    assert "zhuhui02" in client.get(f"/invite/{link}").text
    done = client.post(
        f"/invite/{link}",
        data={"password": "a-new-password-9", "password2": "a-new-password-9"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert client.get(f"/invite/{link}").status_code == 404  # used once
    log_in(installation.client(), "zhuhui02", "a-new-password-9")
    store = AccountStore(installation.layout.portal / "accounts.sqlite")
    expired = store.issue_link("zhuhui02", "reset", timedelta(seconds=-1))
    assert client.get(f"/invite/{expired}").status_code == 404
    wrong = installation.uwh("users", "add", "nobody", "--district", "999999")
    assert wrong.returncode == 2 and "不在登记名册中" in wrong.stderr and "Traceback" not in wrong.stderr
    disabled = installation.uwh("users", "disable", "zhuhui02")
    assert disabled.returncode == 0
    page = client.get("/login")
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    assert (
        client.post("/login", data={"username": "zhuhui02", "password": "a-new-password-9", "token": token}).status_code
        == 401
    )


def test_uploads_are_typed_by_content_and_limited_in_size(installation):
    client = installation.client()
    csrf = log_in(client, *district_account(YANFENG))

    def check(name: str, data: bytes, client=client):
        return client.post(
            f"/d/{YANFENG}/2022/check", data={"csrf": csrf}, files={"report": (name, data, "application/octet-stream")}
        )

    import io
    import zipfile

    fake_docx = io.BytesIO()
    with zipfile.ZipFile(fake_docx, "w") as z:
        z.writestr("payload.exe", b"MZ")
    refused = check("报告.docx", fake_docx.getvalue())
    assert refused.status_code == 400 and "不是 Word 或 Excel" in refused.text and "报告.docx" in refused.text
    assert check("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00").status_code == 400
    # an old Office container holding neither a Word body nor a workbook (old .doc/.xls themselves are read)
    old_office = check("报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert old_office.status_code == 400 and "没有 Word 正文或 Excel 工作表" in old_office.text
    # a text report named .pdf is read as the text it is
    text_report = next((SAMPLES / "landing" / "2022" / YANFENG).iterdir()).read_bytes()
    named_pdf = check("雁峰区报告.pdf", text_report)
    assert named_pdf.status_code == 200 and 'id="verdict">可以报送' in named_pdf.text
    staged = list((installation.layout.portal / "staging").glob("*.txt"))
    assert staged and all(re.fullmatch(r"[A-Za-z0-9_-]+\.txt", p.name) for p in staged)
    small = installation.client(max_file_mb=0.05)
    small_csrf = log_in(small, *district_account(YANFENG))
    too_big = small.post(
        f"/d/{YANFENG}/2022/check",
        data={"csrf": small_csrf},
        files={"report": ("大.txt", "帮扶".encode() * 200_000, "text/plain")},
    )
    assert too_big.status_code == 413 and "大小上限" in too_big.text


def test_submission_keeps_the_original_bytes_and_no_user_text_in_paths(installation):
    client = installation.client()
    csrf = log_in(client, *district_account(ZHUHUI))
    data = ZHUHUI_2022.read_bytes()
    verdict = client.post(
        f"/d/{ZHUHUI}/2022/check", data={"csrf": csrf}, files={"report": ("../../../etc/passwd", data, "text/plain")}
    )
    assert verdict.status_code == 200 and "可以报送" in verdict.text
    assert "<mark>" in verdict.text  # each figure marked in its sentence
    token = re.search(r'name="upload" value="([^"]+)"', verdict.text).group(1)
    receipt = client.post(f"/d/{ZHUHUI}/2022/submit", data={"csrf": csrf, "upload": token})
    assert receipt.status_code == 200 and "已接收" in receipt.text and f"{ZHUHUI}-2022-v1" in receipt.text
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    archived = [p for p in installation.layout.archive.rglob("*") if p.is_file() and sha in p.name]
    assert archived and archived[0].read_bytes() == data
    landed = [p.name for p in (installation.layout.landing / "2022" / ZHUHUI).iterdir()]
    assert landed == ["珠晖区总工会2022年度报告（网上报送）.txt"]
    download = client.get(f"/d/{ZHUHUI}/2022/receipt/{ZHUHUI}-2022-v1/download")
    assert download.status_code == 200 and "报送回执" in download.text
    # the token is spent: confirming twice files nothing more
    assert client.post(f"/d/{ZHUHUI}/2022/submit", data={"csrf": csrf, "upload": token}).status_code == 400
    year_page = client.get(f"/d/{ZHUHUI}/2022")
    assert 'id="pending"' in year_page.text and f"{ZHUHUI}-2022-v1" in year_page.text


def test_a_report_with_a_breakdown_error_shows_the_finding_with_its_sentences_marked(installation):
    client = installation.client()
    csrf = log_in(client, *district_account("430408"))
    report = next((SAMPLES / "landing" / "2023" / "430408").iterdir())  # its 困难职工帮扶 items exceed the total
    verdict = client.post(
        "/d/430408/2023/check",
        data={"csrf": csrf},
        files={"report": (report.name, report.read_bytes(), "application/octet-stream")},
    )
    assert verdict.status_code == 200 and "发现须更正的问题" in verdict.text
    finding = re.search(r'<tr class="finding"><td>BRK001</td>.*?</tr>', verdict.text, re.S)
    assert finding and "<mark>" in finding.group(0) and "须更正" in finding.group(0)


def test_the_template_is_prefilled_with_last_years_accepted_figures(installation):
    client = installation.client()
    log_in(client, *district_account(YANFENG))
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get(f"/d/{YANFENG}/2023/template")
    sheet = load_workbook(BytesIO(response.content))["概况"]
    assert sheet["D1"].value == "2022年度数（元，仅供参考）"
    assert sheet["B5"].value is None  # this year's cell stays for the clerk
    import duckdb

    con = duckdb.connect(str(installation.layout.published_db), read_only=True)
    (total,) = con.execute(
        "SELECT total_spending_yuan FROM reports.rpt_city_rollup WHERE year = 2022 AND district_code = ?", [YANFENG]
    ).fetchone()
    con.close()
    assert sheet["D5"].value == pytest.approx(total)


def test_the_city_board_lists_every_district_and_who_to_chase(installation):
    client = installation.client()
    log_in(client, *CITY_ACCOUNT)
    board = client.get("/city/2021")
    assert board.status_code == 200
    rows = re.findall(r'<tr class="(\w+)"><td>([^<]+)</td><td>(\d{6})</td>', board.text)
    assert len(rows) == 12 and ("missing", "南岳区", "430412") in rows  # 南岳区 2021 was never submitted
    chase = re.search(r'<ul id="chase">(.*?)</ul>', board.text, re.S).group(1)
    assert "南岳区" in chase and "上次运行" in board.text and "成功" in board.text
    report = client.get("/city/reports/2021/city_report.html")
    assert report.status_code == 200 and "'unsafe-inline'" in report.headers["content-security-policy"]
    assert client.get("/city/reports/../portal_data/accounts.sqlite").status_code == 404
    assert client.get("/city/reports/%2e%2e/portal_data/secret.key").status_code == 404


def test_pages_read_the_file_publication_swapped_in(installation, tmp_path):
    """The portal keeps its read-only database open between requests; a run's atomic swap must still be seen at once."""
    import os
    import shutil

    import duckdb

    from core.config import Layout
    from ingest.tenants import load_tenants
    from portal import published

    layout = Layout(tmp_path / "home").ensure()
    shutil.copy(installation.layout.published_db, layout.published_db)
    tenants = load_tenants(layout.registry)
    assert {r.district_code: r.status for r in published.city_board(layout, tenants, 2021)}["430412"] == "missing"
    next_file = tmp_path / "next.duckdb"
    shutil.copy(layout.published_db, next_file)
    con = duckdb.connect(str(next_file))
    con.execute("UPDATE reports.rpt_city_rollup SET status = 'accepted' WHERE district_code = '430412' AND year = 2021")
    con.close()
    os.replace(next_file, layout.published_db)
    assert {r.district_code: r.status for r in published.city_board(layout, tenants, 2021)}["430412"] == "accepted"


def test_simultaneous_guesses_cannot_outrun_the_throttle(installation):
    from concurrent.futures import ThreadPoolExecutor

    AccountStore(installation.layout.portal / "accounts.sqlite").add_user(
        "raced", Role.CITY, password="right-password-2"
    )

    def guess(_):
        client = installation.client()
        page = client.get("/login")
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        return client.post("/login", data={"username": "raced", "password": "wrong", "token": token}).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(guess, range(24)))
    assert answers.count(401) <= 5 and answers.count(429) >= 19, answers  # at most 5 passwords were ever checked


def test_no_message_comes_from_the_address_bar(installation):
    client = installation.client()
    assert "Phish" not in client.get("/login?error=Phish").text
    # the login redirect keeps the path asked for (encoded, as the form's next) and shows no message from it
    assert 'id="login-error"' not in client.get("/d/x%26error%3DPhish").text
    log_in(client, *ADMIN_ACCOUNT)
    page = client.get("/admin/users?link=Phish&error=Phish")
    assert page.status_code == 200 and "Phish" not in page.text
    assert "<td>登录</td>" in page.text  # the audit log reads in Chinese


def test_a_dead_checking_worker_costs_one_upload_not_the_portal(installation):
    import time

    client = installation.client()
    csrf = log_in(client, *district_account(YANFENG))
    report = next((SAMPLES / "landing" / "2022" / YANFENG).iterdir())

    def check():
        files = {"report": (report.name, report.read_bytes(), "text/plain")}
        return client.post(f"/d/{YANFENG}/2022/check", data={"csrf": csrf}, files=files)

    assert 'id="verdict">可以报送' in check().text
    for worker in list(client.app.state.portal.examiner._processes.values()):
        worker.kill()  # as the kernel's OOM killer would
    time.sleep(1)
    lost = check()
    assert lost.status_code == 200 and "进程意外终止" in lost.text and "重新上传" in lost.text
    assert 'id="verdict">可以报送' in check().text  # a new pool checks the next upload


def test_a_clerk_corrects_and_confirms_their_figures_and_only_the_city_reviews_them(installation):
    ledger = ReviewLedger(installation.layout.review_ledger)
    clerk, other, city = installation.client(), installation.client(), installation.client()
    csrf = log_in(clerk, *district_account(ZHUHUI))
    other_csrf = log_in(other, *district_account(YANFENG))
    city_csrf = log_in(city, *CITY_ACCOUNT)
    page = clerk.get(f"/d/{ZHUHUI}/2021/figures")
    assert page.status_code == 200 and "本次将计入全市汇总的数字" in page.text and 'id="confirm-figures"' in page.text
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', page.text).group(1)
    fact = re.search(r'<option value="(f\d+)">', page.text).group(1)
    form = {"csrf": csrf, "sha256": sha, "fact": fact, "field": "value", "value": "12345", "reason": "以决算为准"}
    # another district can neither see nor change them; the city sees them, without the forms
    assert other.get(f"/d/{ZHUHUI}/2021/figures").status_code == 404
    tried = other.post(f"/d/{ZHUHUI}/2021/figures/correct", data={**form, "csrf": other_csrf}, follow_redirects=False)
    assert tried.status_code == 404 and ledger.events(ZHUHUI, 2021) == []
    seen = city.get(f"/d/{ZHUHUI}/2021/figures")
    assert seen.status_code == 200 and "correct-submit" not in seen.text
    assert city.post(f"/d/{ZHUHUI}/2021/figures/correct", data={**form, "csrf": city_csrf}).status_code == 404
    # a page shown for another version acts on nothing
    stale = clerk.post(f"/d/{ZHUHUI}/2021/figures/correct", data={**form, "sha256": "0" * 64})
    assert "页面显示的版本已不是当前版本" in stale.text and ledger.events(ZHUHUI, 2021) == []
    done = clerk.post(f"/d/{ZHUHUI}/2021/figures/correct", data=form)
    assert done.status_code == 200 and "已记录更正" in done.text
    assert [(e.fact_id, e.field, e.after_text) for e in ledger.events(ZHUHUI, 2021)] == [(fact, "value", "12345.0")]
    assert "12,345.00" in done.text and "以决算为准" in done.text
    # the clerk cannot review; the city cannot before the clerk confirms
    assert clerk.post(f"/city/review/{ZHUHUI}/2021/approve", data={"csrf": csrf, "sha256": sha}).status_code == 404
    early = city.post(f"/city/review/{ZHUHUI}/2021/approve", data={"csrf": city_csrf, "sha256": sha})
    assert "区县尚未确认" in early.text
    confirmed = clerk.post(f"/d/{ZHUHUI}/2021/figures/confirm", data={"csrf": csrf, "sha256": sha, "v": "1"})
    assert "已确认报送" in confirmed.text and "已确认待审核" in confirmed.text
    board = city.get("/city/2021").text
    # the board lists the correction in force and puts the year's headline beside last year's
    listed = rf"{ZHUHUI}</td>.*?已确认待审核</a></td>\s*<td class=\"corrections\"><details><summary>1 处</summary>"
    assert re.search(listed + rf"<ul><li>{fact} 数值：[^<]*→ 12,345.00（portal:", board, re.S)
    assert "整体支出（上年）" in board and "帮扶金额（上年）" in board
    review = city.get(f"/city/review/{ZHUHUI}/2021")
    assert review.status_code == 200 and "与上年比较" in review.text and "12,345.00" in review.text
    approved = city.post(f"/city/review/{ZHUHUI}/2021/approve", data={"csrf": city_csrf, "sha256": sha})
    assert "已审核通过" in approved.text
    assert "已审核" in clerk.get(f"/d/{ZHUHUI}/2021").text
    locked = clerk.post(f"/d/{ZHUHUI}/2021/figures/correct", data=form)
    assert "锁定" in locked.text
    actions = [e["action"] for e in AccountStore(installation.layout.portal / "accounts.sqlite").audit_entries(1000)]
    assert {"correct", "confirm", "review"} <= set(actions)
