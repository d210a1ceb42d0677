"""`uwh`: the command line of union-warehouse.

Heavy imports (dagster, dbt, GX) happen inside the commands that need them, so `uwh extract` and `uwh sql` stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from core.config import PROJECT_ROOT, Layout
from union_warehouse.cli_portal import add_portal_commands
from union_warehouse.cli_review import add_review_commands

QUIET_ENV = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DO_NOT_TRACK": "1", "GX_ANALYTICS_ENABLED": "False"}


def _environment() -> None:
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / "dagster_home"))


def _say_page(page: int, pages: int) -> None:
    """A scan's recognition takes seconds a page: staff at a terminal see where it is (stderr: stdout is the JSON)."""
    print(f"正在识别扫描件第 {page}/{pages} 页……", file=sys.stderr, flush=True)


def _cmd_extract(args: argparse.Namespace) -> int:
    from ingest.extract import extract_file

    path = Path(args.file)
    if not path.is_file():
        print(f"{path}：文件不存在（file not found）", file=sys.stderr)
        return 2
    extraction = extract_file(path, _say_page)
    if args.audit:
        _print_audit(path, extraction)
        return 0
    json.dump(extraction.to_json(), sys.stdout, ensure_ascii=False, indent=1 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def _print_audit(path: Path, extraction) -> None:
    """Every number of the document and what became of it: the dismissed ones with their reason, then the
    money-like numbers that were neither read nor dismissed (the reading's unexplained remainder)."""
    from ingest.audit import unread_money

    notes = extraction.numbers
    facts = [n for n in notes if n.verdict == "fact"]
    dismissed = [n for n in notes if n.verdict == "dismissed"]
    unread = [n for n in notes if n.verdict == "unread"]
    money = unread_money(notes)
    print(
        f"{path.name}：数字 {len(notes)} 个 — 读为事实 {len(facts)}，排除 {len(dismissed)}，"
        f"未解释 {len(unread)}（其中疑似金额 {len(money)}）"
    )
    if dismissed:
        print("\n排除的数字（原因）：")
        for n in dismissed:
            print(f"  {n.text:>14}  {n.reason:<10} {n.sentence[:60]}")
    others = [n for n in unread if not n.money_like]
    if others:
        print("\n未解释的其他数字：")
        for n in others:
            print(f"  {n.text:>14}  {n.sentence[:60]}")
    print("\n未能读出的疑似金额：" + ("无" if not money else ""))
    for n in money:
        print(f"  {n.text:>14}  {n.reason:<8} {n.sentence[:60]}")


def _cmd_run(args: argparse.Namespace) -> int:
    import dagster as dg

    from ingest.tenants import load_tenants
    from intake.landing import unclaimed_partitions
    from intake.work_lock import WorkBusy, work_lock
    from orchestration.defs.partitions import FIRST_YEAR, last_year
    from orchestration.recovery import fail_dead_runs
    from orchestration.runner import run_pipeline

    layout = Layout.from_env().ensure()
    codes = list(load_tenants(layout.registry))
    for problem in unclaimed_partitions(layout.landing, set(codes), FIRST_YEAR, last_year()):
        print(f"未接收：{problem}", file=sys.stderr)
    # dbt's own progress lines (printed by dagster-dbt) go to a log file: the console keeps what needs reading.
    run_log = layout.work_db.parent / "run.log"
    try:
        os.setpgrp()  # lead a process group: after a crash the next run can end what this one started
    except OSError:
        pass
    instance = dg.DagsterInstance.get()
    try:
        with (
            work_lock(layout.work_db, wait=False, who="uwh run"),
            run_log.open("w", encoding="utf-8") as log,
            contextlib.redirect_stdout(log),
        ):
            for run_id in fail_dead_runs(instance):
                print(f"run {run_id} had no process left (a crash): marked failed", file=sys.stderr)
            # progress to stderr: stdout is the run log while the run lasts
            # the summary below lists every file needing attention: Dagster's own warnings would only repeat it
            summary = run_pipeline(
                layout, instance, codes=codes, log_level="ERROR", progress=lambda line: print(line, file=sys.stderr)
            )
    except WorkBusy as busy:
        print(f"未运行：{busy}", file=sys.stderr)
        return 1
    _print_submissions(summary.submissions, summary.file_counts)
    print(f"运行日志：{run_log}")
    for check in summary.failed_checks:
        print(f"全市汇总核对未通过，报告未更新、数据仓库未发布 — {check}", file=sys.stderr)
    if not summary.success:
        print(f"运行失败（{summary.run_id}）：{summary.error}", file=sys.stderr)
        return 1
    _print_outputs(layout)
    return 0


def _print_submissions(outcomes: list[dict], counts: dict[str, int]) -> None:
    """One line of counts, then every file that was not simply accepted (what someone has to look at)."""
    from core.labels import STATUS_ZH

    seen_before = counts.get("duplicate", 0)
    new = {s: n for s, n in counts.items() if s != "duplicate"}
    listed = "，".join(f"{STATUS_ZH.get(s, s)} {n} 个" for s, n in new.items())
    print(
        f"本次新接收文件 {sum(new.values())} 个"
        + (f"（{listed}）" if listed else "")
        + (f"；另有 {seen_before} 个此前已接收、未变" if seen_before else "")
    )
    for o in outcomes:
        if o["status"] not in {"accepted", "duplicate"}:
            status = STATUS_ZH.get(o["status"], o["status"])
            print(f"  需处理：{o['district_code']} {o['year'] or ''} {o['file']}：{status} — {o['message']}")


def _print_outputs(layout: Layout) -> None:
    print(f"报告目录：  {layout.reports / 'index.html'}（各年度报告、Excel、反馈页和校验结果的入口）")
    for report in sorted(layout.reports.glob("*/city_report.html")):
        print(f"汇总报告：  {report}")
        print(f"汇总表：    {report.with_suffix('.xlsx')}")
        print(f"反馈页：    {report.parent / 'feedback'}/<区县代码>.html")
    print(f"校验结果：  {layout.reports / 'validation' / 'index.html'}")
    print(f'数据仓库：  {layout.published_db}（只读；试试：uwh sql "select * from reports.rpt_city_rollup"）')


def _cmd_demo(args: argparse.Namespace) -> int:
    """Lands the bundled sample submissions (those not landed yet), runs the whole pipeline, makes the demo's portal
    accounts and says how to open the portal."""
    from core.settings import installation_settings
    from portal.demo_accounts import ensure_demo_accounts
    from union_warehouse.demo import land_samples

    layout = Layout.from_env().ensure()
    landed = land_samples(layout.landing)
    print(f"sample submissions landed: {landed} (in {layout.landing})")
    code = _cmd_run(args)
    accounts = ensure_demo_accounts(layout)
    print(f"报送平台：  运行 uwh portal（或 make portal）后打开 {installation_settings().portal_address}/")
    print("  演示账号（用户名 / 密码）：")
    for username, password, who in accounts:
        print(f"    {username:<10} {password:<18} {who}")
    return code


def _cmd_sql(args: argparse.Namespace) -> int:
    from union_warehouse.sql import run_query, sql_prompt

    layout = Layout.from_env()
    db = Path(args.db) if args.db else layout.published_db
    if not db.exists():
        print(f"尚无已发布的数据仓库（{db}）：请先运行 make demo 或 uwh run。", file=sys.stderr)
        return 2
    if args.query is None:
        return sql_prompt(db, allow_files=args.allow_files)
    return run_query(
        db,
        args.query,
        output=Path(args.output) if args.output else None,
        limit=args.limit,
        allow_files=args.allow_files,
    )


SERVE_GRACE_SECONDS = 10


def _kill_group(pgid: int) -> None:
    import signal

    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _cmd_serve(args: argparse.Namespace) -> int:
    import signal
    import subprocess
    import threading

    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    cmd = [
        str(Path(sys.executable).with_name("dagster")),
        "dev",
        "-m",
        "orchestration.definitions",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
    ]
    proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, start_new_session=True)

    def stop(signum, frame):
        # forward Ctrl-C/SIGTERM to the whole dagster dev process group (webserver, daemon, code server); whatever
        # has not stopped after the grace period is killed, so a service manager's stop never hangs
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        threading.Timer(SERVE_GRACE_SECONDS, lambda: _kill_group(proc.pid)).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    finally:
        _kill_group(proc.pid)  # daemon children the webserver left behind


RULES_TEMPLATE = """# Thresholds of this federation's rules (defaults shown; uncomment to change).
# aid_per_person_band = [50, 50000]    # 元 per 人次 considered plausible (PBN001)
# yoy_max_change = 0.5                 # share of the previous year's headline total (YOY001)
# max_amount_yuan = 1e10               # no amount beyond this (MAG001)
"""


def _cmd_init(args: argparse.Namespace) -> int:
    """A new federation is a new home: its registry, its rule thresholds, its folders — the code stays the same."""
    import shutil

    from core.settings import PROJECT_ROOT
    from ingest.tenants import load_tenants

    home = Path(args.home).resolve() if args.home else Layout.from_env().home
    if home == PROJECT_ROOT:
        print("请用 --home（或 UWH_HOME）指定新联合会的目录：本检出目录是自带的演示联合会。", file=sys.stderr)
        return 2
    source = Path(args.registry)
    try:
        tenants = load_tenants(source)
    except (OSError, ValueError, KeyError) as exc:
        print(
            f"登记名册无法读取：{source}（{exc}）。名册为CSV，列：district_code,district_name,union_name,city_name,active",
            file=sys.stderr,
        )
        return 2
    if not tenants:
        print(f"登记名册 {source} 中没有任何区县。", file=sys.stderr)
        return 2
    if (home / "registry.csv").exists() or any((home / "landing").glob("*/*/*")):
        print(f"{home} 已经是一个联合会的目录（已有 registry.csv 或报送文件），未做任何改动。", file=sys.stderr)
        return 2
    layout = Layout(home).ensure()
    shutil.copyfile(source, home / "registry.csv")
    if not (home / "rules.toml").exists():
        (home / "rules.toml").write_text(RULES_TEMPLATE, encoding="utf-8")
    cities = sorted({t.city_name for t in tenants.values() if t.city_name})
    print(f"已建立联合会：{home}（{'、'.join(cities) or '—'}，{len(tenants)}个区县）")
    print(f"  登记名册：{home / 'registry.csv'}    规则阈值：{home / 'rules.toml'}")
    print(f"  下一步：各区县报告放入 {layout.landing}/<年度>/<六位区县代码>/，然后运行  UWH_HOME={home} uwh run")
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    """Per year, which districts are in which state (from the published warehouse), and the last and next runs."""
    import duckdb

    from orchestration.run_info import NIGHTLY_HOUR, last_run, next_nightly

    layout = Layout.from_env()
    if layout.published_db.exists():
        con = duckdb.connect(str(layout.published_db), read_only=True)
        try:
            rows = con.execute(
                """SELECT year, status_zh, count(*), string_agg(district_name, '、' ORDER BY district_code)
                   FROM reports.rpt_city_rollup GROUP BY 1, 2 ORDER BY 1 DESC, 2"""
            ).fetchall()
        finally:
            con.close()
        current = None
        for year, status, n, names in rows:
            if year != current:
                print(f"{year}年度")
                current = year
            print(f"  {status} {n}个：{names}")
    else:
        print("尚无已发布的数据仓库。")
    run = last_run()
    if run:
        when = f"{run.started:%Y-%m-%d %H:%M}" if run.started else "—"
        print(f"上次运行：{when}（北京时间） {run.status_zh}")
    else:
        print("上次运行：无")
    print(
        f"下次定时运行：{next_nightly():%Y-%m-%d %H:%M}（北京时间，每晚 {NIGHTLY_HOUR:02d}:00；uwh serve 运行时生效）"
    )
    return 0


def _cmd_tenants(args: argparse.Namespace) -> int:
    from ingest.tenants import load_tenants

    for t in load_tenants(Layout.from_env().registry).values():
        print(f"{t.district_code}\t{t.district_name}\t{t.union_name}\t{'active' if t.active else 'inactive'}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from ingest.tenants import load_tenants, require_tenant
    from intake.submission import examine, prior_facts_published

    layout = Layout.from_env()
    tenants = load_tenants(layout.registry)
    tenant = require_tenant(args.district, tenants)
    path = Path(args.file)
    # the same verdict the city's run will reach: same function, same previous year (from the published warehouse)
    examined = examine(
        path,
        args.district,
        args.year,
        tenants,
        prior_facts_published(layout.published_db, args.district, args.year - 1),
        _say_page,
    )
    print(f"文件：{path.name}  报送单位：{tenant.union_name}（{tenant.district_code}）  年度：{args.year}")
    if examined.status == "quarantined":
        print(f"不能接收：{examined.crash or examined.problem}")
        return 1
    print(f"读取数字 {len(examined.extraction.facts)} 项")
    for f in examined.findings:
        print(f"[{f.severity}] {f.rule_id} {f.message}")
    fatal = examined.status == "rejected"
    print("结论：" + ("未通过，需更正后报送" if fatal else "可以报送"))
    return 1 if fatal else 0


def _cmd_submit(args: argparse.Namespace) -> int:
    from ingest.tenants import load_tenants
    from intake.direct import hand_in
    from intake.landing import IntakeError

    layout = Layout.from_env().ensure()
    source = Path(args.file)
    try:
        handed = hand_in(
            layout,
            load_tenants(layout.registry),
            data=source.read_bytes(),
            file_name=source.name,
            district_code=args.district,
            year=args.year,
            actor="uwh submit",
        )
    except (IntakeError, OSError) as exc:
        print(f"{source.name}：未接收 — {exc}", file=sys.stderr)
        return 2
    if handed.outcome is None:
        # the file is safely in landing/: the run in progress (or the next one) takes it in and writes the receipt
        print(
            f"{source.name}：已放入接收目录（{handed.landed.relative_to(layout.home)}）。{handed.busy}"
            f"本次运行结束后将自动处理并生成回执（也可稍后运行 uwh history 查看）。"
        )
        return 0
    assert handed.receipt is not None
    print(handed.receipt.read_text(encoding="utf-8"), end="")
    print(f"回执已保存：{handed.receipt}")
    return 0 if handed.accepted else 1


def _cmd_history(args: argparse.Namespace) -> int:
    import duckdb

    from core.db import beijing_minute
    from intake import warehouse

    layout = Layout.from_env()
    if not layout.work_db.exists():
        print("尚无任何报送记录。", file=sys.stderr)
        return 2
    try:
        con = warehouse.connect(layout.work_db, read_only=True)
    except duckdb.IOException:
        if not layout.published_db.exists():
            print("运行正在进行，数据仓库暂不可读，请稍后再试。", file=sys.stderr)
            return 1
        print("（运行正在进行：以下为最近一次发布的记录）")
        con = warehouse.connect(layout.published_db, read_only=True)
    try:
        rows = con.execute(
            """SELECT submission_id, version, status, file_name, received_at, sha256, coalesce(status_reason, '')
               FROM raw.submissions WHERE district_code = ? AND year = ? ORDER BY version""",
            [args.district, args.year],
        ).fetchall()
    finally:
        con.close()
    for sid, version, status, name, at, sha, reason in rows:
        print(f"v{version}\t{status}\t{beijing_minute(at)}\t{sha[:12]}\t{name}\t{sid}\t{reason}")
    if not rows:
        print(f"{args.district} {args.year}年度尚无报送记录。")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from ingest.template import write_template
    from ingest.tenants import load_tenants, require_tenant

    tenant = require_tenant(args.district, load_tenants(Layout.from_env().registry))
    out = Path(args.output or f"{tenant.union_name}{args.year}年度报表模板.xlsx")
    write_template(out, union_name=tenant.union_name, district_code=tenant.district_code, year=args.year)
    print(f"template written: {out}")
    return 0


def _cmd_docs(args: argparse.Namespace) -> int:
    from union_warehouse.docs import write_schema_docs

    layout = Layout.from_env()
    if not layout.published_db.exists():
        print(f"no published warehouse at {layout.published_db}: run `make demo` or `uwh run` first", file=sys.stderr)
        return 2
    page = write_schema_docs(layout.published_db, Path(args.output) if args.output else layout.home / "docs-site")
    print(f"schema documentation: {page}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="uwh", description="union-warehouse: 区县总工会绩效报告数据仓库")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "extract",
        help="print the facts of one report as JSON (DESIGN.md contract)",
        description="读取一份报告中的全部数字（JSON，见 DESIGN.md）。--audit 列出每个数字的去向。",
        epilog="例：uwh extract 报告.docx --pretty   |   uwh extract 报告.pdf --audit",
    )
    p.add_argument("file")
    p.add_argument("--pretty", action="store_true")
    p.add_argument(
        "--audit",
        action="store_true",
        help="every number and what became of it: read, dismissed (with the reason) or unexplained",
    )
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser(
        "run",
        help="take in every landed file, rebuild the warehouse and reports, publish",
        description="接收 landing/ 中的全部新文件，重建数据仓库与报告并发布。",
        epilog="例：uwh run",
    )
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "demo",
        help="land the bundled sample submissions and run the whole pipeline",
        description="放入自带的样例报告并运行完整流程，打印报告与数据仓库的位置。",
        epilog="例：uwh demo",
    )
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "sql",
        help="query the published warehouse read-only (no query: interactive prompt)",
        description="只读查询已发布的数据仓库；不带查询语句时进入交互提示。",
        epilog='例：uwh sql "SELECT * FROM reports.rpt_city_rollup LIMIT 5" -o 汇总.xlsx',
    )
    p.add_argument("query", nargs="?")
    p.add_argument("--db", help="DuckDB file (default: warehouse/city.duckdb)")
    p.add_argument("--output", "-o", help="write the result to a .csv, .parquet or .xlsx file")
    p.add_argument("--limit", type=int, default=50, help="rows to print")
    p.add_argument(
        "--allow-files",
        action="store_true",
        help="let the query read and write files on this machine (trusted local use only)",
    )
    p.set_defaults(func=_cmd_sql)

    p = sub.add_parser(
        "docs",
        help="write a browsable offline page of every table and column (dbt docs)",
        description="生成可离线浏览的数据字典（每张表、每一列的说明）。",
        epilog="例：uwh docs -o 数据字典",
    )
    p.add_argument("--output", "-o", help="folder (default: <UWH_HOME>/docs-site)")
    p.set_defaults(func=_cmd_docs)

    p = sub.add_parser(
        "serve",
        help="start the Dagster UI on 127.0.0.1",
        description="在 127.0.0.1 启动 Dagster 界面（运行、定时任务与数据资产）。",
        epilog="例：uwh serve --port 3000",
    )
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser(
        "submit",
        help="submit one district's file for a year; prints and stores a receipt (回执)",
        description="报送某区县某年度的一份文件：存档、登记版本、校验并生成回执。",
        epilog="例：uwh submit 珠晖区2022年度绩效报告.docx --district 430405 --year 2022",
    )
    p.add_argument("file")
    p.add_argument("--district", required=True)
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=_cmd_submit)

    p = sub.add_parser(
        "template",
        help="write the Excel template for a district-year",
        description="生成某区县某年度的统一报表模板（Excel）。",
        epilog="例：uwh template --district 430405 --year 2023 -o 模板.xlsx",
    )
    p.add_argument("--district", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--output", "-o")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser(
        "history",
        help="every version submitted for a district-year",
        description="列出某区县某年度报送过的每一个版本及其状态。",
        epilog="例：uwh history --district 430405 --year 2022",
    )
    p.add_argument("--district", required=True)
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=_cmd_history)

    p = sub.add_parser(
        "status",
        help="per year, which districts are in which state; the last and the next run",
        description="按年度列出各区县的报送状态（已接收 / 待更正 / 未报送），以及上次和下次运行时间。",
        epilog="例：uwh status",
    )
    p.set_defaults(func=_cmd_status)

    p = sub.add_parser(
        "init",
        help="start a new federation in an empty home from its registry file",
        description="在一个空目录中建立新的联合会：登记名册、规则阈值和各目录。代码不变，联合会是一份配置。",
        epilog="例：uwh init --registry 益阳市区县名册.csv --home /srv/uwh-yiyang",
    )
    p.add_argument("--registry", required=True, help="CSV: district_code,district_name,union_name,city_name,active")
    p.add_argument("--home", help="the new installation's folder (default: UWH_HOME, else the current folder)")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser(
        "tenants",
        help="list the tenant registry",
        description="列出登记名册中的区县。",
        epilog="例：uwh tenants",
    )
    p.set_defaults(func=_cmd_tenants)

    p = sub.add_parser(
        "validate",
        help="run the rule catalogue on one file without touching the warehouse",
        description="按城市运行时的同一规则校验一份文件，不写入数据仓库。",
        epilog="例：uwh validate 报告.docx --district 430405 --year 2022",
    )
    p.add_argument("file")
    p.add_argument("--district", required=True)
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=_cmd_validate)
    add_portal_commands(sub)
    add_review_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ingest.tenants import UnknownTenant
    from intake.landing import IntakeError

    _environment()
    args = build_parser().parse_args(argv)
    try:
        _check_common(args)
        return args.func(args)
    except UnknownTenant as exc:
        print(f"区县代码 {exc.args[0]} 不在登记名册中（uwh tenants 列出全部区县）。", file=sys.stderr)
        return 2
    except IntakeError as exc:
        print(f"未执行：{exc}", file=sys.stderr)
        return 2


def _check_common(args: argparse.Namespace) -> None:
    """--district and --year mean the same in every command: a registered six-digit code and a year that can be
    reported (2000 to this year); a wrong one is told in Chinese, never as a traceback."""
    from ingest.tenants import UnknownTenant, load_tenants
    from intake.landing import IntakeError, check_partition
    from intake.submission import check_year

    if args.command == "users" and args.action != "list" and not args.username:
        raise IntakeError("请给出用户名（例：uwh users add zhuhui01 --district 430405）")
    if getattr(args, "district", None) is not None and getattr(args, "year", None) is not None:
        year, code = check_partition(args.year, args.district)
        check_year(year)
        if code not in load_tenants(Layout.from_env().registry):
            raise UnknownTenant(code)


if __name__ == "__main__":
    sys.exit(main())
