"""`uwh figures` and `uwh review`: what the portal's district and city pages do, from the command line.

The district's side (show, correct, add, confirm) and the city's (approve, return) act on a version the published
warehouse holds, through intake.review like the portal; the next run applies what was said (int_facts_corrected).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from core.config import Layout
from core.labels import FIGURE_ZH, MEASURE_ZH, NOT_SUMMED_ZH, REVIEW_STATE_ZH
from ingest.taxonomy import category_zh

FIELD_CHOICES = ("value", "category", "measure", "parent", "not_summed")


def _actor(args: argparse.Namespace) -> str:
    return args.actor or f"operator:{getpass.getuser()}"


def _open(args: argparse.Namespace):
    from intake import warehouse
    from intake.review import ReviewError
    from intake.review_source import open_review

    layout = Layout.from_env()
    if not layout.published_db.exists():
        raise ReviewError("数据仓库尚未发布（先运行 uwh run），没有可确认或审核的版本。")
    con = warehouse.connect(layout.published_db, read_only=True)
    try:
        return open_review(layout.review_ledger, con, args.district, args.year, args.version)
    finally:
        con.close()


def _print_reading(current, reading, status) -> None:
    from intake.headline import describe
    from intake.review import change_zh

    v = current.version
    print(
        f"{v.district_code} {v.year}年度 第{current.number}版（{current.file_name}，{v.sha256[:12]}）：{REVIEW_STATE_ZH[status.state]}"
    )
    if status.returned is not None:
        print(f"  市总工会退回意见：{status.returned.detail.get('comment', '')}（{status.returned.actor}）")
    if reading.carried:
        print(f"  沿用上次确认的更正 {len(reading.carried)} 项（确认时记入本版本）")
    figures = reading.headline
    print("\n本次将计入全市汇总的数字：")
    for key, name in FIGURE_ZH.items():
        fig = figures.figures.get(key)
        if fig is None:
            print(f"  {name}：—")
            continue
        unit = "人次" if key == "aid_person_times" else "元"
        print(f"  {name}：{fig.value:,.2f}{unit}" + ("（推算）" if fig.derived else ""))
        for f in fig.facts:
            mark = "  【区县更正】" if f.id in reading.changes else ""
            print(f"      {f.id:<5} {describe(f)}{mark}  「{f.text[:60]}」")
    if figures.left_out:
        print("\n未计入的数字及原因：")
        for f, why in figures.left_out:
            print(f"  {f.id:<5} {describe(f)}：{why}")
    if reading.changes:
        print("\n区县更正：")
        for events in reading.changes.values():
            for e in events:
                print(f"  {change_zh(e)}")
    if reading.stale:
        print(f"\n原文已改变、不再适用的更正：{len(reading.stale)} 项")


def _cmd_figures(args: argparse.Namespace) -> int:
    from intake.review import ReviewError, change_zh

    try:
        review, current, reading = _open(args)
        if args.action == "show":
            _print_reading(current, reading, review.status(current.version))
            return 0
        if args.action == "facts":
            for f in reading.facts:
                print(f"{f.id:<5} {f.kind:<6} {f.value:>16,.2f} {f.unit:<4} {MEASURE_ZH.get(f.measure, f.measure)}\t"
                      f"{category_zh(f.category)}\t上级 {f.parent or '—'}\t{f.label}")  # fmt: skip
            return 0
        if args.action == "correct":
            if not (args.fact and args.field and args.value is not None):
                raise ReviewError(
                    "请给出 --fact、--field 和 --value（例：--fact f12 --field not_summed --value cumulative）。"
                )
            e = review.correct(
                current.version, current.facts, args.fact, args.field, args.value, actor=_actor(args),
                reason=args.reason or "",
            )  # fmt: skip
            print(f"已更正 {change_zh(e)}；确认报送后计入。")
            return 0
        if args.action == "add":
            e = review.add(
                current.version, current.facts, current.text, label=args.label or "", value=args.value or "",
                category=args.category or "", measure=args.measure or "actual", unit=args.unit,
                sentence=args.sentence or "", reason=args.reason or "", actor=_actor(args),
            )  # fmt: skip
            print(
                f"已补录 {e.fact_id}：{e.detail['label']} {e.detail['value']:,.2f}{e.detail['unit']}；确认报送后计入。"
            )
            return 0
        if args.action == "confirm":
            e = review.confirm(current.version, current.facts, actor=_actor(args), carried=reading.carried)
            figures = e.detail.get("figures", {})
            print(
                f"已确认报送第{current.number}版的数字（{len(figures)} 项汇总数），等待市总工会审核；下次运行后计入。"
            )
            return 0
    except ReviewError as exc:
        print(f"未执行：{exc}", file=sys.stderr)
        return 2
    return 2


def _cmd_review(args: argparse.Namespace) -> int:
    from intake.review import ReviewError

    try:
        review, current, _ = _open(args)
        if args.action == "approve":
            review.approve(current.version, actor=_actor(args), comment=args.comment or "")
            print(f"已审核通过 {args.district} {args.year}年度第{current.number}版的数字；该版本已锁定。")
        else:
            review.send_back(current.version, actor=_actor(args), comment=args.comment or "")
            print(f"已退回 {args.district} {args.year}年度第{current.number}版，区县将在年度页和反馈页看到退回意见。")
        return 0
    except ReviewError as exc:
        print(f"未执行：{exc}", file=sys.stderr)
        return 2


def _version_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--district", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--version", type=int, help="version number (default: the newest accepted version)")
    p.add_argument("--actor", help="who acts (default: operator:<login name>)")


def add_review_commands(sub) -> None:
    p = sub.add_parser(
        "figures",
        help="the figures the city will sum from a district-year; correct, add, confirm them",
        description="查看某区县某年度将计入全市汇总的数字；逐项更正、补录漏读的数字、确认报送。",
        epilog=(
            "例：uwh figures show --district 430405 --year 2022\n"
            "    uwh figures correct --district 430405 --year 2022 --fact f12 --field not_summed --value cumulative\n"
            "    uwh figures add --district 430405 --year 2022 --label 送温暖慰问金 --value 120000 --category aid.warmth"
            " --sentence '…原文…'\n"
            "    uwh figures confirm --district 430405 --year 2022\n"
            f"不计入的原因（--field not_summed）：{'，'.join(f'{k}={v}' for k, v in NOT_SUMMED_ZH.items())}"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", choices=["show", "facts", "correct", "add", "confirm"])
    _version_arguments(p)
    p.add_argument("--fact", help="correct: the fact id (f12; `uwh figures facts` lists them)")
    p.add_argument("--field", choices=FIELD_CHOICES, help="correct: what to change")
    p.add_argument(
        "--value", help="correct: the new value (元, a category, a measure, a fact id, a reason code); add: 元"
    )
    p.add_argument("--label", help="add: the figure's name")
    p.add_argument("--category", help="add: its category (e.g. aid.warmth)")
    p.add_argument("--measure", default="actual", help="add: actual, budget, change, prior or rate")
    p.add_argument("--unit", default="元", help="add: 元 (default) or 人次 for a count")
    p.add_argument("--sentence", help="add: the sentence of the report that states it")
    p.add_argument("--reason", help="why (required for a figure no sentence states)")
    p.set_defaults(func=_cmd_figures)

    p = sub.add_parser(
        "review",
        help="the city approves or returns a district-year's confirmed figures",
        description="市总工会审核区县确认的数字：审核通过（锁定）或退回（须写明意见）。",
        epilog="例：uwh review approve --district 430405 --year 2022\n"
        "    uwh review return --district 430405 --year 2022 --comment '帮扶金额含历年累计数，请更正'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", choices=["approve", "return"])
    _version_arguments(p)
    p.add_argument("--comment", help="the city's comment (required to return)")
    p.set_defaults(func=_cmd_review)
