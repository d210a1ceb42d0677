"""The category taxonomy of facts: the one place that says which Chinese words put a figure in which category.

The first segment is fixed by DESIGN.md (spending, activity, aid, subsidy, income, balance, staff, other,
unclassified); subcategories are ours. The marts group by the first segment; rollups add only `actual` amounts.
Order matters: more specific keywords come first, so 医疗互助帮扶 is aid.medical, not aid.hardship.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (category, keywords, what it means) — in matching priority.
CATEGORIES: list[tuple[str, tuple[str, ...], str]] = [
    (
        "subsidy.pass_through",
        (
            "转拨",
            "代拨",
            "争取省",
            "争取市",
            "争取上级",
            "争取到省",
            "争取到市",
            "争取到上级",
            "上级工会拨付",
            "上级拨付",
        ),
        "funds received from higher-level unions and passed on: never counted as the district's own spending",
    ),
    # 决算 statements' grand totals include the balances carried forward: they are neither spending nor income
    ("other.grand_total", ("收入总计", "支出总计", "收支总计", "收、支总计"), "grand total of a 决算 statement"),
    ("spending.three_public", ("三公经费", "公务用车", "公车", "公务接待", "因公出国"), "三公 spending"),
    ("spending.basic.public", ("公用经费",), "public (non-personnel) part of basic spending"),
    ("spending.basic.personnel", ("人员经费",), "personnel part of basic spending"),
    ("spending.basic", ("基本支出",), "basic spending (运行)"),
    ("spending.project", ("项目支出", "项目资金", "项目经费"), "project spending"),
    (
        "spending.total",
        ("部门整体支出", "整体支出", "支出总额", "支出总计", "本年支出合计"),
        "the department's total spending",
    ),
    ("income.fiscal", ("财政拨款", "财政补助", "一般公共预算", "拨款收入", "转移支付"), "fiscal appropriations"),
    ("income.dues", ("工会经费收入", "会费收入", "经费收入"), "union dues income"),
    ("income.higher_subsidy", ("上级补助收入", "上级工会补助"), "subsidies received from higher-level unions"),
    ("income.total", ("收入合计", "总收入", "本年收入", "收入预算"), "total income"),
    (
        "income.other",
        ("事业收入", "经营收入", "附属单位上缴收入", "其他收入", "资金来源", "捐赠收入", "利息收入", "收入项目"),
        "other income lines of a 决算 statement",
    ),
    # money given to the union (由某集团捐助善款80万元): what it receives, not what it spends
    ("income.donation", ("善款", "捐款", "捐助款", "爱心款", "募集", "捐资"), "donations received"),
    ("balance.carryover", ("结转", "结余"), "carry-over and balances"),
    ("aid.warmth", ("送温暖", "两节", "春节慰问", "元旦春节"), "送温暖 campaigns"),
    ("aid.medical", ("医疗互助", "医疗救助", "大病救助", "大病", "医疗"), "medical mutual aid and illness relief"),
    ("aid.living", ("生活救助", "生活困难", "救助金"), "living-cost relief"),
    ("aid.education", ("助学", "金秋", "学习用品", "子女上学"), "education aid for workers' children"),
    ("aid.disaster", ("防汛", "救灾", "抗洪", "受灾", "抗灾"), "disaster relief"),
    ("aid.summer", ("送清凉", "夏送清凉", "防暑降温", "防暑", "清凉"), "夏送清凉: summer relief for outdoor workers"),
    ("aid.hardship", ("困难职工帮扶", "帮扶", "帮困", "解困", "困难职工", "困境"), "hardship aid (headline)"),
    ("aid.condolence", ("慰问金", "慰问品", "慰问物资", "慰问"), "condolence visits and gifts"),
    ("subsidy.station", ("驿站", "服务站点", "爱心驿站", "服务站"), "outdoor workers' service stations"),
    ("subsidy.facilities", ("设施", "阵地建设", "职工之家建设"), "facilities of grassroots unions"),
    (
        "subsidy.grassroots_funding",
        ("乡镇街道工会", "基层工会工作经费", "工作经费"),
        "operating funds for grassroots unions",
    ),
    ("subsidy.lower", ("对下补助", "下拨", "拨付", "补助基层", "基层工会", "补助"), "subsidies to lower-level unions"),
    ("activity.competition", ("劳动竞赛", "技能竞赛", "技能大赛"), "labour and skills competitions"),
    ("activity.model_worker", ("劳模", "劳动模范", "先进"), "model workers"),
    ("activity.training", ("培训", "学习班"), "training"),
    (
        "activity.culture_sports",
        (
            "文体",
            "文化",
            "体育",
            "比赛",
            "运动会",
            "球赛",
            "羽毛球",
            "气排球",
            "篮球",
            "智跑",
            "健步",
            "演出",
            "文艺",
            "读书",
            "分享会",
            "书画",
            "摄影",
        ),
        "cultural and sports activities",
    ),
    ("activity.other", ("活动经费", "活动"), "other activities"),
    # Generic words for a total come last: 对下补助支出合计 is a subsidy total, not the department's.
    # 功能分类: the same total seen by government function; a view of it, never added to it
    (
        "spending.by_function",
        (
            "一般公共服务支出",
            "外交支出",
            "国防支出",
            "公共安全支出",
            "教育支出",
            "科学技术支出",
            "文化旅游体育与传媒支出",
            "社会保障和就业支出",
            "卫生健康支出",
            "节能环保支出",
            "城乡社区支出",
            "农林水支出",
            "交通运输支出",
            "住房保障支出",
            "支出项目",
        ),
        "spending by government function (功能分类)",
    ),
    (
        "spending.total",
        ("支出合计", "总支出", "全年支出", "本年支出", "经费支出", "财政拨款支出", "支出预算"),
        "the department's total spending",
    ),
    # a dedicated fund is project money only when nothing says what it is for (送温暖专项资金 is aid)
    ("spending.project", ("专项资金",), "project spending"),
    (
        "staff",
        (
            "在职人员",
            "退休人员",
            "聘用人员",
            "编制",
            "在职人数",
            "工作人员",
            "实有人数",
            "行政人员",
            "事业人员",
            "参公",
        ),
        "staffing",
    ),
]
# How each category reads in reports for people (Simplified Chinese).
CATEGORY_ZH = {
    "spending.total": "部门整体支出",
    "spending.basic": "基本支出",
    "spending.basic.personnel": "人员经费",
    "spending.basic.public": "公用经费",
    "spending.project": "项目支出",
    "spending.three_public": "三公经费",
    "spending.by_function": "支出（按功能分类）",
    "activity.culture_sports": "文体活动",
    "activity.competition": "劳动竞赛",
    "activity.model_worker": "劳模工作",
    "activity.training": "职工培训",
    "activity.other": "其他活动",
    "aid.hardship": "困难职工帮扶",
    "aid.medical": "医疗互助/大病救助",
    "aid.living": "生活救助",
    "aid.education": "助学",
    "aid.warmth": "送温暖",
    "aid.condolence": "慰问",
    "aid.disaster": "防汛救灾",
    "aid.summer": "夏送清凉",
    "aid.other": "其他帮扶",
    "subsidy.lower": "对下补助",
    "subsidy.station": "户外劳动者服务站点",
    "subsidy.facilities": "设施建设",
    "subsidy.grassroots_funding": "基层工会工作经费",
    "subsidy.pass_through": "转拨上级资金",
    "income.total": "收入",
    "income.fiscal": "财政拨款",
    "income.dues": "工会经费收入",
    "income.higher_subsidy": "上级补助收入",
    "income.other": "其他收入",
    "income.donation": "捐赠收入",
    "other.grand_total": "收支总计（含结转结余）",
    "other.register": "在册人数（建档对象，不是受助人次）",
    "other.representatives": "代表人数（到场代表，不是受助人次）",
    "balance.carryover": "结转结余",
    "staff": "人员编制",
    "other": "其他",
    "unclassified": "未归类",
}


# A keyword ranks by the place of its entry in CATEGORIES, the lower the more specific. A category may stand twice:
# spending.total's own words (部门整体支出) rank early, so 部门整体支出含对下补助 is the total; its generic words
# (支出合计) rank last, so 对下补助支出合计 is a subsidy.
_RANK_OF: dict[str, int] = {}
for _rank, (_category, _keywords, _) in enumerate(CATEGORIES):
    for _k in _keywords:
        _RANK_OF.setdefault(_k, _rank)


REGISTER = "other.register"  # people on a register (在档困难职工295名): never people an aid reached, nor its part
REPRESENTATIVES = "other.representatives"  # 受助学生代表10名: who stood for the recipients at a ceremony
NOT_PEOPLE_REACHED = (REGISTER, REPRESENTATIVES)
GENERIC_ACTIVITY = "activity.other"  # 活动: the genre's word for any campaign, a topic only when nothing else is named


def category_zh(category: str | None) -> str:
    return CATEGORY_ZH.get(category or "", category or "—")


AREAS = ("spending", "activity", "aid", "subsidy", "income", "balance", "staff", "other", "unclassified")


@dataclass(frozen=True)
class KeywordHit:
    start: int
    end: int
    category: str


_PATTERN = re.compile("|".join(sorted({re.escape(k) for _, kws, _ in CATEGORIES for k in kws}, key=len, reverse=True)))
_CATEGORY_OF: dict[str, str] = {}
for _category, _keywords, _ in CATEGORIES:
    for _k in _keywords:
        _CATEGORY_OF.setdefault(_k, _category)


def keyword_hits(text: str) -> list[KeywordHit]:
    """Every taxonomy keyword in the text, left to right (longest keyword wins where they overlap)."""
    return [KeywordHit(m.start(), m.end(), _CATEGORY_OF[m.group()]) for m in _PATTERN.finditer(text)]


def most_specific(text: str) -> str | None:
    """The most specific category the text's keywords name, or None."""
    found = _PATTERN.findall(text)
    return _CATEGORY_OF[min(found, key=_RANK_OF.__getitem__)] if found else None


def area(category: str | None) -> str | None:
    return category.split(".", 1)[0] if category else None


def refine_within(area_name: str, text: str) -> str | None:
    """The most specific category of `area_name` the text names, if any (used for items of a breakdown)."""
    hits = [h.category for h in keyword_hits(text) if area(h.category) == area_name]
    return hits[-1] if hits else None
