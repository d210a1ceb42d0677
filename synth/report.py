"""One generated report: the outline of a 部门整体支出绩效报告 with the figures of one district-year."""

from __future__ import annotations

import random

from synth.figures import Figures
from synth.narrative import SAMPLE_MARK, Writer

TITLES = [
    "{union}{year}年度部门整体支出绩效报告",
    "{union}{year}年度部门整体支出绩效自评报告",
    "关于{union}{year}年度部门整体支出绩效情况的报告",
]
DUTIES = [
    "主要职能为：督促基层工会加强组织建设；维护职工合法权益；组织开展劳动竞赛和职工文体活动；做好困难职工帮扶工作。",
    "主要职责是团结引导职工群众，维护职工合法权益，推动基层工会规范化建设，开展困难职工帮扶和劳模管理服务。",
    "承担全区（县）工会组织建设、职工权益维护、职工服务和帮扶救助等工作。",
]
FILLER = {
    "三、部门项目组织实施情况": [
        "各项专项资金均明确责任人，按用途专款专用，严格执行财务制度。",
        "项目实施前进行论证，实施中加强监督检查，实施后开展绩效自评。",
    ],
    "四、资产管理情况": [
        "建立健全资产管理制度，资产配置、使用、处置各环节责任明确，账实相符。",
        "定期清查固定资产，资产保存完整，处置程序规范。",
    ],
    "六、存在的主要问题": [
        "一是预算编制的精细化程度有待提高；二是绩效目标与产出指标的关联性不够紧密。",
        "部分项目执行进度偏慢，绩效评价结果运用不够充分。",
    ],
    "七、改进措施和有关建议": [
        "进一步细化预算编制，严格预算执行，加强绩效目标管理，提高资金使用效益。",
        "强化预算约束，完善绩效评价指标体系，注重结果运用。",
    ],
}


def write_report(
    union: str, year: int, figures: Figures, rng: random.Random, *, errors: set[str], full_width: bool = False
) -> Writer:
    w = Writer(rng, full_width=full_width)
    w.line(SAMPLE_MARK)
    w.line(rng.choice(TITLES).format(union=union, year=year))
    w.line("一、部门概况")
    w.line("（一）部门基本情况")
    staff = figures.staff
    parts = []
    for label, n in staff.items():
        if n:
            text = f"{label}{w.count_text(n, '人')}"
            w.count_fact(label, n, "人", text, "staff")
            parts.append(text)
    w.line(
        rng.choice(["{u}", "我会"]).format(u=union)
        + rng.choice(["现有", "有", ""])
        + "，".join(parts)
        + "。"
        + rng.choice(DUTIES)
    )
    w.line(rng.choice(["（二）部门整体支出规模、使用方向和主要内容", "（二）部门整体支出情况"]))

    project = figures.project + (200_000 if "identity" in errors else 0)
    inline = "identity" in errors or rng.random() < 0.4
    total_text, total_label = w.figure(
        "部门整体支出",
        figures.total,
        "total_spending",
        rng.choice(
            [
                "部门整体支出为{m}",
                f"{year}年度部门整体支出{{m}}",
                "全年部门整体支出合计{m}",
                "本年度部门整体支出共计{m}",
            ]
        ),
    )
    if inline:
        basic_text, _ = w.figure("基本支出", figures.basic, "basic_spending", "基本支出{m}", parent=total_label)
        project_text, _ = w.figure("项目支出", project, "project_spending", "项目支出{m}", parent=total_label)
        w.line(f"{total_text}，其中{basic_text}，{project_text}。")
    else:
        w.line(
            f"{total_text}，"
            + rng.choice(["使用方向为基本支出和项目支出。", "主要用于维持工会日常运转、开展职工服务和困难帮扶等工作。"])
        )
    if figures.prior_total and rng.random() < 0.6:
        diff = figures.total - figures.prior_total
        word = "增加" if diff >= 0 else "减少"
        text, _ = w.figure(
            "部门整体支出比上年变化",
            abs(diff),
            "yoy_change",
            rng.choice([f"较上年{word}{{m}}", f"比上年{word}{{m}}"]),
            measure="change",
        )
        w.line(f"部门整体支出{text}，主要原因是职工服务和帮扶项目有所调整。")

    w.line("二、部门整体支出管理及使用情况")
    w.line("（一）基本支出")
    if inline:
        w.line("基本支出主要用于人员经费和日常公用经费，无“三公”经费支出。")
    else:
        text, _ = w.figure(
            "基本支出",
            figures.basic,
            "basic_spending",
            rng.choice(["全年基本支出{m}", "基本支出{m}", "本年度基本支出共计{m}"]),
            parent=total_label,
        )
        w.line(f"{text}，" + rng.choice(["包含人员经费支出、商品和服务支出。", "主要用于人员工资和日常公用开支。"]))
    w.line("（二）项目支出")
    if not inline:
        text, _ = w.figure(
            "项目支出", project, "project_spending", rng.choice(["项目支出{m}", "全年项目支出{m}"]), parent=total_label
        )
        w.line(f"{text}，主要用于帮扶帮困、工会组织建设等工作。")
    if figures.budget:
        b = figures.budget
        text, label = w.figure(
            "项目资金预算",
            b.total,
            "budget",
            rng.choice(["年初预算安排项目资金{m}", "项目资金预算{m}"]),
            measure="budget",
            style="wan_short",
        )
        items = [
            w.figure(i.label, i.amount, "budget", f"{i.label}{{m}}", measure="budget", parent=label, style="wan_short")[
                0
            ]
            for i in b.items
        ]
        w.line(f"1、{text}，分别为" + "；".join(f"{n}.{t}" for n, t in enumerate(items, start=1)) + "。")
    for heading in ("三、部门项目组织实施情况", "四、资产管理情况"):
        w.line(heading)
        w.line(rng.choice(FILLER[heading]))

    w.line("五、部门整体支出绩效情况")
    w.line(f"{year}年，我会圆满完成各项工作任务，取得良好的社会效益。部门整体支出绩效情况如下：")
    w.breakdown(
        figures.activity,
        rng.choice(["（一）文体活动方面", "（一）职工文体活动开展情况"]),
        year,
        total_templates=["{year}年共开支{m}", "全年文体活动支出{m}", "文体活动经费支出{m}"],
        verb_choices=["开支", "支出", ""],
    )
    w.breakdown(
        figures.hardship,
        rng.choice(["（二）困难职工帮扶方面", "（二）困难职工帮扶工作"]),
        year,
        total_templates=["{year}年困难职工帮扶支出{m}", "全年困难职工帮扶支出{m}", "困难职工帮扶支出共计{m}"],
        verb_choices=[""],
        overflow=30_000 if "overflow" in errors else 0,
    )
    warm = figures.warmth
    text, _ = w.figure(
        "送温暖支出",
        warm.amount,
        "hardship",
        rng.choice(["送温暖支出{m}", "“两节”送温暖活动投入资金{m}", "开展送温暖活动支出{m}"]),
    )
    count = w.count_text(warm.count, "人次")
    w.count_fact("送温暖走访慰问", warm.count, "人次", f"{warm.count_noun}{count}", "beneficiaries")
    if rng.random() < 0.5:
        closing, _ = w.figure(
            "送温暖慰问标准", figures.per_person_standard, "standard", "每人慰问标准{m}", measure="rate", style="yuan"
        )
    else:
        closing = "叫响了工会送温暖品牌"
    w.line(f"{text}，共{warm.count_noun}{count}，{closing}。")
    w.breakdown(
        figures.subsidy,
        rng.choice(["（三）对下补助方面", "（三）对下补助情况"]),
        year,
        total_templates=["{year}年对下补助支出{m}", "全年对下补助{m}", "对下补助支出合计{m}"],
        verb_choices=["", "共"],
    )
    w.line("六、存在的主要问题")
    w.line(rng.choice(FILLER["六、存在的主要问题"]))
    w.line("七、改进措施和有关建议")
    w.line(rng.choice(FILLER["七、改进措施和有关建议"]))
    return w
