"""The portal under load on 127.0.0.1: 50 sessions browsing and 12 districts uploading at once, while a pipeline run
publishes a new warehouse underneath.

usage: python bench/bench_portal.py [--sessions 50] [--rounds 10] [--think 1.0]
Builds a published demo installation in a temporary home (a real `uwh run`), starts `uwh portal`, logs every session
in, then at once: each browsing session opens its pages `rounds` times with `think` seconds between clicks (a clerk's
years and year pages, or the city's boards), every district's clerk uploads a report for checking (珠晖区 a 20-page
docx made of its real 2022 report, the others their 2023 sample), and `uwh run` publishes. Prints errors, p50/p95 page
latency and p95 upload-to-verdict time against the targets (pages < 300 ms, verdict < 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.demo_accounts import CITY_ACCOUNT, district_account  # noqa: E402
from tests.browser import free_port  # noqa: E402
from tests.portal_support import UWH, published_installation  # noqa: E402

PAGE_TARGET_MS, VERDICT_TARGET_MS = 300, 1000


async def log_in(client: httpx.AsyncClient, username: str, password: str) -> str:
    page = await client.get("/login")
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    landed = await client.post(
        "/login", data={"username": username, "password": password, "token": token}, follow_redirects=True
    )
    landed.raise_for_status()
    return re.search(r'name="csrf" value="([^"]+)"', landed.text).group(1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def twenty_page_docx(folder: Path) -> Path:
    """The real 珠晖区 2022 report ten times over (~17,000 characters, twenty A4 pages), as Word writes paragraphs."""
    import docx

    text = (ROOT / "samples" / "landing" / "2022" / "430405").glob("*.txt").__next__().read_text(encoding="utf-8")
    document = docx.Document()
    for _ in range(10):
        for line in text.splitlines():
            document.add_paragraph(line)
    path = folder / "珠晖区总工会2022年度部门整体支出绩效报告（20页）.docx"
    document.save(str(path))
    return path


async def main(sessions: int, rounds: int, think: float) -> int:
    with tempfile.TemporaryDirectory(prefix="uwh-portal-bench-") as tmp:
        installation = published_installation(Path(tmp))
        codes = sorted(p.name for p in (ROOT / "samples" / "landing" / "2023").iterdir())
        port = free_port()
        server = subprocess.Popen([UWH, "portal", "--port", str(port)], env=installation.env, stdout=subprocess.DEVNULL)
        address = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    httpx.get(f"{address}/login")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            page_ms: list[float] = []
            verdict_ms: list[float] = []
            long_ms: list[float] = []
            errors: list[str] = []
            limits = httpx.Limits(max_connections=4)
            browsers = []
            for i in range(sessions):
                client = httpx.AsyncClient(base_url=address, timeout=60, limits=limits)
                account = CITY_ACCOUNT if i % 5 == 0 else district_account(codes[i % len(codes)])
                await log_in(client, *account)
                code = account[0][1:]
                urls = ["/city/2023", "/city/2022"] if account == CITY_ACCOUNT else [f"/d/{code}", f"/d/{code}/2023"]
                browsers.append((client, urls))
            uploaders = []
            for code in codes:
                client = httpx.AsyncClient(base_url=address, timeout=120)
                uploaders.append((client, code, await log_in(client, *district_account(code))))

            async def browse(client: httpx.AsyncClient, urls: list[str]) -> None:
                for _ in range(rounds):
                    for url in urls:
                        started = time.perf_counter()
                        response = await client.get(url)
                        page_ms.append((time.perf_counter() - started) * 1000)
                        if response.status_code != 200:
                            errors.append(f"GET {url}: {response.status_code}")
                        await asyncio.sleep(think)

            long_docx = twenty_page_docx(Path(tmp))

            async def upload(client: httpx.AsyncClient, code: str, csrf: str) -> None:
                year = 2022 if code == "430405" else 2023
                report = (
                    long_docx if code == "430405" else next((ROOT / "samples" / "landing" / "2023" / code).iterdir())
                )
                started = time.perf_counter()
                response = await client.post(
                    f"/d/{code}/{year}/check", data={"csrf": csrf}, files={"report": (report.name, report.read_bytes())}
                )
                verdict_ms.append((time.perf_counter() - started) * 1000)
                if code == "430405":
                    long_ms.append(verdict_ms[-1])
                if response.status_code != 200 or 'id="verdict"' not in response.text:
                    errors.append(f"upload {code}: {response.status_code}")

            client, code, csrf = uploaders[0]
            alone = []
            for _ in range(5):  # the 20-page docx's verdict on a quiet machine (median of 5)
                started = time.perf_counter()
                await client.post(
                    f"/d/{code}/2022/check",
                    data={"csrf": csrf},
                    files={"report": (long_docx.name, long_docx.read_bytes())},
                )
                alone.append((time.perf_counter() - started) * 1000)
            run = subprocess.Popen(
                [UWH, "run"], env=installation.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            started = time.perf_counter()
            await asyncio.gather(
                *(browse(c, u) for c, u in browsers), *(upload(c, code, t) for c, code, t in uploaders)
            )
            load_seconds = time.perf_counter() - started
            run_code = run.wait()
            for client, *_ in browsers + uploaders:
                await client.aclose()
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    p95_page, p95_verdict = percentile(page_ms, 0.95), percentile(verdict_ms, 0.95)
    print(
        f"portal load: {sessions} sessions × {rounds} rounds ({len(page_ms)} pages) and {len(verdict_ms)} uploads in {load_seconds:.1f} s, a run publishing ({'ok' if run_code == 0 else 'FAILED'})"
    )
    print(f"  errors: {len(errors)}" + (f" — {errors[:5]}" if errors else ""))
    print(
        f"  pages:   p50 {statistics.median(page_ms):.0f} ms, p95 {p95_page:.0f} ms (target < {PAGE_TARGET_MS} ms: {'met' if p95_page < PAGE_TARGET_MS else 'missed'})"
    )
    print(f"  verdict of a 20-page docx: {statistics.median(alone):.0f} ms alone, {long_ms[0]:.0f} ms under the load")
    print(
        f"  verdict: p50 {statistics.median(verdict_ms):.0f} ms, p95 {p95_verdict:.0f} ms (target < {VERDICT_TARGET_MS} ms: {'met' if p95_verdict < VERDICT_TARGET_MS else 'missed'})"
    )
    return 1 if errors or run_code else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between a session's clicks")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.sessions, args.rounds, args.think)))
