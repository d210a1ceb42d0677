"""From a report's text to facts with provenance: every amount, count and ratio, what it measures, what category
it belongs to and what it breaks down.

The rules come from the genre (a 部门整体支出绩效报告 follows the finance ministry's outline; news items and 决算
explanations use the same vocabulary), not from any one report:
- a figure's meaning comes from the words before it in its clause, else after it, else its sentence's topic, its
  section heading, the document's title;
- 其中 / 分别为 / 包括 open a breakdown of the latest stated total; unmarked items continue it only while they still
  fit inside the total (arithmetic, within the stated precision), so a new headline after a complete list is not
  taken for one of its items;
- a count belongs to the amount it describes (…支出93000元，帮扶困难职工7人次);
- 基本支出 and 项目支出 break down 部门整体支出; a total whose items are all budget figures is a budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ingest import taxonomy
from ingest.audit import audit_numbers, unread_money
from ingest.count_structure import SENTENCE_END, attach_count_breakdowns
from ingest.identity import identify
from ingest.model import Document, Extraction, Fact, Measure, Problem
from ingest.normalise import normalise
from ingest.numbers import Number, find_amounts, find_counts, find_percentages
from ingest.ocr import Progress
from ingest.readers import ReadError, read_converted, read_document
from ingest.reading import ReadingText, is_page_furniture, other_articles_start, reading_text
from ingest.restatement import in_headline, mark_restatements
from ingest.scan_places import low_confidence_problems, scan_places
from ingest.structure import Bounds, Paragraph, paragraphs
from ingest.submission_codes import TABLE_DOUBT, UNREAD_MONEY
from ingest.tables import TableFigure, line_table_figures, read_tables, table_figures
from ingest.tenants import load_tenants, tenant_named

EXTRACTOR_VERSION = "1.0.0"

# 共筹资/共筹集/累计筹措和投入/多方筹资 …: what was raised or put into a campaign as a whole
CAMPAIGN_FUND = re.compile(
    r"(?:共|共计|合计|总计|累计|多方|积极)[^，。；]{0,6}(?:筹资|筹集|筹措|募集|投入)[^，。；]{0,12}$"
)
PROJECT_WORDS = re.compile(r"项目支出|项目资金|项目经费")
CAMPAIGN_FUND_WORD = re.compile(r"专项资金")
FINANCE_STATEMENT = re.compile(r"项目支出|基本支出|决算|预算|绩效")
ITEM_GAP = 40  # characters between two items of one 合计 (发放慰问金22.68万元，发放慰问品（大米）价值约4.61万元)
SIDE_MEASURES = {"change", "prior", "rate"}  # figures beside the year's money: never its parts or totals
BREAKDOWN = re.compile(r"其中|分别为|分别是|分别用于|(?<!不)包括|(?<!不)包含|具体为|具体是|明细如下|构成为")
STATED_TOTAL = re.compile(r"(?:合计|总计|小计)\s*[:：为是]?\s*$")
TOTAL_WORDS = re.compile(r"共计|合计|总计|累计|共|总额|总计")
CHANGE = re.compile(
    r"(?:比|较|同比|环比|相比)[^，。；,]{0,12}?(增加|增长|提高|上升|减少|下降|降低|压减|节约|缩减|减|增|少|多)"
    r"|(增加|增长|减少|下降|压减|节约|节省)了?$"
)
INCREASE_WORDS = {"增加", "增长", "提高", "上升", "增", "多"}
PRIOR = re.compile(r"上年|去年|上一年|上年度|前年")
UP_TO_YEAR = re.compile(r"截至\s*((?:19|20)\d{2})\s*年")  # 截至2020年…累计 in a report on 2021: an earlier year's
# a total over many years (自2007年…以来累计…, 开展14年来累计…, 历年累计): not this year's figure, whatever its verb
MULTI_YEAR = re.compile(
    r"(?:以来|(?<!近)年来|(?<!截)至今|历年|多年来)[^。；;]{0,30}(?:累计|先后|总计|共计|共)"
    r"|累计[^。；;]{0,6}(?:历年|多年)"
    r"|(?:连续|先后)[^。；;第]{0,12}\d+\s*年[^。；;]{0,20}(?:累计|总计|共计|共)"
    # 已连续26年开展此项活动，帮助17876名: a programme run for years (not 连续工作满20年的职工, 工龄满30年)
    r"|连续\s*\d+\s*年(?:开展|举办|实施)[^。；;]{0,20}(?:帮助|资助|救助|惠及|发放)"
)
YEARS_FRAME = re.compile(r"近年来|近几年来|多年来|长期以来|历年来")
CUMULATIVE = re.compile(r"累计|至今")
PLAN = re.compile(r"(?<![按照作])计划(?!内)|(?<![模虚])拟|预计")  # not 按计划, 工作计划, 模拟
# 受助学生代表; 困难职工代表…参加仪式: who stood for the recipients (not 为200名职工代表发放慰问品: they got it)
REPRESENTATIVES = re.compile(
    r"^[余多]?(?:受助[\u4e00-\u9fff“”]{0,8}?代表(?!大会|团|队)"
    r"|[\u4e00-\u9fff“”]{0,10}?代表[、，,]?[\u4e00-\u9fff、，,]{0,20}?(?:参加|出席)(?:了)?(?:仪式|活动|会议))"
)
# …以及一线职工代表近100人参加。: the representatives named before a count of those attending a ceremony
ATTENDING = re.compile(r"^[余多]?(?:参加|出席)了?(?:仪式|活动|会议|大会)?\s*(?:[。；;！!]|$)")
REPRESENTATIVES_BEFORE = re.compile(r"代表[共计达]*$")
MONEY_UNIT = re.compile(r"\d\s*(?:万元|亿元|元)")
# 2014年以来 in a report on 2014 is this year so far, not many years
SINCE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:[^。；;，,]{0,8})?以来")
# what a sentence announces (今年将对114名…助学，助学款22万元; 预计发放慰问金24.75万): a plan, not money paid. 将 as
# "will" comes before a verb or a preposition; 将 before a noun is 把 (将帮扶资金发放到户) and says nothing of time
FUTURE = re.compile(
    r"预计|即将|(?<![即])将(?:要|会|于|对(?!口)|向(?!上级)|达到?|继续|陆续|分批|逐步|投入|发放|拨付|开展|组织|筹集|筹措|惠及|覆盖|走访|安排|拿出)"
)
# said after the announcement, before the figure: what was done (将继续加大帮扶力度，全年共发放…; 已全部发放到位)
DONE = re.compile(r"已|了|完成|实际|累计|全年|共计|共发放|共为")
# who spends: all unions of the area together (全市各级工会组织共慰问…, 全市筹措120万元, 该市各级工会筹集200万元) or this
# union (市总工会, 县总, 本级); the latest named before the figure in its sentence is the one the figure belongs to
ALL_LEVELS = re.compile(
    r"(?<![向给对为到至导织促合同动召])(?:各(?:级|基层|企业|乡镇|街道|产业|行业|系统|单位|县区|区县|[市县区])"
    r"[\u4e00-\u9fff]{0,4}工会(?!活动|经费|工作)|(?:全[市县区省州]|[省市县区乡镇街、]{2,4})两级工会"
    r"|全(?:市|区|县|省|州|盟|旗)(?:工会|(?=(?:共|共计|累计|已)?(?:筹措|筹集|投入))))"
)
OWN_UNION = re.compile(r"(?:市|区|县|州|旗|省)总(?:工会)?(?!号召)|本级|我会|总工会(?!号召)")
THIS_YEAR = re.compile(r"今年|本年|当年|全年|年初|年内")
RATE = re.compile(r"每(?:人次|户次|人|户|名|位|家|个|次|月|年|天|场|辆|学期|季度|季|周|生)|标准|人均|户均|生均")
# 每新建一家企业工会，给予5000元; 每新发展录入一名会员，补助10元: a reward per thing done is a standard
PER_EACH_DONE = re.compile(r"每(?:新|发展|建|录入|推荐|培育|评)[\u4e00-\u9fff]{0,8}?[一1]\s*(?:名|家|个|户|位|人|所)")
RATE_AFTER = re.compile(r"^\s*/\s*(?:人次|户次|人|户|名|位|家|个|次|月|年|天|场|辆|台)")  # 260元/辆
# the ends of a range of standards (发放3000元—5000元不等的助学金, 按照2000元至3500元不等的标准): what one person got
RANGE_START = re.compile(
    r"^\s*(?:[、，,]\s*[\d.,]+\s*(?:万元|元)?\s*)*(?:[—–~～\-－至到]\s*[\d.,]+\s*(?:万元|元)?)?\s*不等"
)
RANGE_END = re.compile(r"^\s*不等")
BUDGET = re.compile(r"预算|安排|下达|目标|计划|申请|拟|批复|核定|申报|调增|调减|追加|设立")  # adjustments are budget
# names of funds, not statements of a budget: 一般公共预算财政拨款收入 is money received
FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|预算内|预算外|部门预算单位|预算单位")
ACTUAL = re.compile(r"支出|开支|发放|实际|决算|使用|拨付|下拨|投入|花费|筹集|完成|补助|送去|送上")
# a year that qualifies the figure itself (2018年度67.56万元, 2021年决算数为…), not a noun before it
YEAR_QUALIFIER = re.compile(r"(20\d{2}|19\d{2})\s*年度?(?:决算数?|预算数?|实际)?(?:为|是|共|达|:|：)?\s*$")
LABEL_NOISE = re.compile(
    r"^(?:其中|分别为|分别是|包括|具体为|共计|合计|总计|共|全年度|全年|本年度|本年|今年度|今年|当年度|当年|为|达|计|"
    r"[:：、，,；;\s]|\d{1,2}[、.．]|[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十]+[）)]|"
    r"[一二三四五六七八九十]+、|20\d{2}年度?)+"
)
LABEL_TAIL = re.compile(r"(?:为|达|(?<![总合共累小统])计|(?<![总])共|共计|是|约|近|了)+$")  # 收入合计 keeps its 合计
DATE_OR_RANK = re.compile(r"第$")
HEAD_NOUN = re.compile(r"支出|收入")
VERB_ONLY = re.compile(r"^(?:共|累计|全年)?(?:开支|支出|发放|使用|投入|拨付|下拨|花费|筹集)$")
LEAD_CJK = re.compile(r"[\u4e00-\u9fff]")
ANY_NUMBER = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿]")
LONG_SENTENCE = 240  # characters; longer "sentences" are forms or tables that lost their line breaks
QUOTE_BEFORE, QUOTE_AFTER = 40, 16
AREAS_THAT_SPEND = {"spending", "activity", "aid", "subsidy", "income", "balance"}
COUNT_PARENT_AREAS = {"aid", "subsidy", "activity", "spending"}
ITEM_MARKER = re.compile(r"^\s*(?:\d{1,2}\s*[、．.](?!\d)|[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩])")
# a numbered line that is a section title (3.支出情况。…), not an item of a list
NUMBERED_TITLE = re.compile(r"^\s*(?:\d{1,2}\s*[、．.](?!\d)|[（(]\d{1,2}[）)])[^，,。\d]{1,12}[。.]")
# a paragraph that ends by announcing a breakdown (…支出7.8万元。其中。/ 具体如下：) hands it to what follows
BREAKDOWN_AT_END = re.compile(r"(?:其中|分别为|分别是|包括|具体如下|明细如下|如下)\s*[:：。.]?\s*$")
BUDGET_DOC = re.compile(r"预算|申报表|绩效目标")
NOT_BUDGET_DOC = re.compile(r"决算|总结|自评")


# A measure word counts the noun that follows it (组织了15支队伍, 发放10个乡镇街道工会): that noun is what the figure is;
# units that are nouns themselves (人, 人次, 户) name their thing before them (在职人员4人).
CLASSIFIERS = frozenset("支名个家所座场项批期处条台辆张份本套间")
# the words after the figure up to the clause's end or the next figure: a noun when short (15支队伍100余名…)
WORDS_AFTER = re.compile(r"([\u4e00-\u9fff“”\"]+)(?=[，。；、,;:：（(）)\d\s]|$)")
# what the counted do, said right after the noun (100名队员参赛): not part of the noun
# 共有在档困难职工295名, 建档在册困难职工101户: how many are on the register, not how many an aid reached — unless the
# clause names the act or its occasion (对在档的541名困难职工发放…, 此次活动共有30名)
REGISTERED = re.compile(r"在档|建档|在册|共有|现有|尚有")
ACT_ON_PEOPLE = re.compile(
    r"[对为向给]|帮扶|救助|慰问|发放|资助|走访|帮助|受助|受益|惠及|覆盖|看望|救济|补助|此次|本次|活动|仪式"
    r"|获得|领取|领到|参加|参与|享受|得到|获"
)
COUNTED_VERB_TAIL = re.compile(r"(?:参赛|参加|参与|参训|受益|受助|获奖|入选|报名|到场|出席)$")
MAX_COUNTED_NOUN = 8  # longer runs are clauses (有就业意向返乡农民工参加了…): the words before the figure name it


def counted_noun(c: Candidate) -> str | None:
    """The noun a classifier counts, when the words right after the figure are just that noun."""
    if c.number.unit not in CLASSIFIERS:
        return None
    found = WORDS_AFTER.match(c.after.lstrip("余多"))
    noun = COUNTED_VERB_TAIL.sub("", found.group(1)).rstrip("和与及") if found else ""
    return noun if 2 <= len(noun) <= MAX_COUNTED_NOUN else None


@dataclass
class Candidate:
    """A number found in the text, before it becomes a Fact."""

    number: Number
    kind: str  # amount, count, ratio
    para: Paragraph
    start: int  # offsets in document text
    end: int
    before: str = ""  # words between the previous number (or clause start) and this one
    after: str = ""  # words between this number and the next (or clause end)
    sentence: str = ""
    quote: str = ""  # the sentence as the district wrote it (see ingest.reading)
    clause_start: int = 0  # the clause around the number, in paragraph offsets
    clause_end: int = 0

    @property
    def clause_prefix(self) -> str:
        """The words of its clause before the number."""
        return self.para.text[self.clause_start : self.number.start]


@dataclass
class ListState:
    """An open breakdown: which total its items belong to and how much of it they have used."""

    parent: Fact
    used: float = 0.0
    slack: float = 0.0  # precision of the items so far
    in_paren: bool = False
    measure: Measure | None = None  # what the items measure: set by the first item that says so
    announced: bool = False  # opened by a paragraph ending in 其中/如下: items may follow unnumbered
    last_end: int = 0  # where the latest item ended, in its paragraph


@dataclass
class Extractor:
    text: str
    doc_year: int | None
    title: str
    budget_document: bool
    reading: ReadingText | None = None
    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    # ---- facts ---------------------------------------------------------------------------------------------
    def new_fact(self, **kw) -> Fact:
        fact = Fact(id=f"f{len(self.facts) + 1}", **kw)
        self.facts.append(fact)
        return fact

    @cached_property
    def lead(self) -> str:
        """The document's first real paragraph: a news item states its topic there (the title may be a slogan)."""
        return next((line for line in self.text.split("\n")[:12] if len(LEAD_CJK.findall(line)) >= 40), "")

    def quote(self, start: int, end: int) -> str:
        return (self.reading.quote(start, end) if self.reading else self.text[start:end]).strip()

    def run(self) -> None:
        paras = paragraphs(self.text)
        tables = read_tables(self.text, self.doc_year)
        line_figures, row_numbers, line_doubts = line_table_figures(self.text, self.doc_year)
        in_table = self.table_lines(tables) | {self.text.rfind("\n", 0, f.row_start) + 1 for f in line_figures}
        open_list: ListState | None = None
        others_from = other_articles_start([p.text for p in paras])
        for i, para in enumerate(paras):
            if para.start in in_table:
                continue
            if others_from is not None and i >= others_from:  # 相关新闻 and what follows: other articles
                self.dismissed_at.append((para.start, para.start + len(para.text), "页面信息"))
                continue
            if is_page_furniture(para.text):  # 浏览:640次 / 上一篇 / Copyright: the page, not the report
                self.dismissed_at.append((para.start, para.start + len(para.text), "页面信息"))
                continue
            candidates = self.candidates(para)
            carried = open_list if open_list and (self.is_item(para.text) or open_list.announced) else None
            open_list = self.paragraph_facts(para, candidates, carried)
            if open_list is None and i + 1 < len(paras) and self.is_item(paras[i + 1].text):
                open_list = self.heading_total(para)
            if open_list is None and BREAKDOWN_AT_END.search(para.text):
                headline = self.latest_headline(self.facts[-1] if self.facts else None, para)
                open_list = ListState(headline, announced=True) if headline else None
        doubts = list(line_doubts)
        for table in tables:  # after the prose: a table usually repeats what the text states
            self.table_facts(table_figures(table, self.doc_year), paras)
            self.dismissed_at += [(s, e, "行次/栏次") for s, e in table.numbering_cells]
            doubts += table.doubts
        self.problems += [Problem("warning", TABLE_DOUBT, doubt) for doubt in doubts]
        self.table_facts(line_figures, paras)
        self.dismissed_at += [(s, e, "行次/栏次") for s, e in row_numbers]
        self.stated_totals()
        self.complete_by_sum()
        self.campaign_fund_parts()
        attach_count_breakdowns(self.text, self.facts)
        self.propagate_budget()
        self.genre_parents()
        lead_at = self.text.find(self.lead) if self.lead else -1
        mark_restatements(self.text, self.facts, (lead_at, lead_at + len(self.lead)) if lead_at >= 0 else None)
        for fact in self.facts:
            if fact.category == "unclassified":
                self.problems.append(
                    Problem(
                        "info",
                        "unclassified_number",
                        f"未能归类的数字：{fact.label}{self.text[fact.span[0] : fact.span[1]] if fact.span else fact.value}",
                        fact.span or (0, 0),
                    )
                )

    # ---- numbers in a paragraph ------------------------------------------------------------------------------
    def candidates(self, para: Paragraph) -> list[Candidate]:
        text = para.text
        if not ANY_NUMBER.search(text):
            return []
        found: list[tuple[Number, str]] = [(n, "amount") for n in find_amounts(text)]
        found += [(n, "ratio") for n in find_percentages(text)]
        taken = [(n.start, n.end) for n, _ in found]
        for n in find_counts(text):
            if not any(s < n.end and n.start < e for s, e in taken):
                found.append((n, "count"))
        found.sort(key=lambda item: item[0].start)
        bounds = Bounds(text)
        out: list[Candidate] = []
        for n, kind in found:
            if self.is_not_a_figure(text, n):
                continue
            out.append(Candidate(n, kind, para, para.start + n.start, para.start + n.end))
        for i, c in enumerate(out):
            c_start, c_end = c.number.start, c.number.end
            clause_start, clause_end = bounds.clause(c_start, c_end)
            c.clause_start, c.clause_end = clause_start, clause_end
            prev_end = out[i - 1].number.end if i and out[i - 1].number.end > clause_start else clause_start
            next_start = (
                out[i + 1].number.start if i + 1 < len(out) and out[i + 1].number.start < clause_end else clause_end
            )
            c.before = text[prev_end:c_start]
            c.after = text[c_end:next_start]
            s, e = bounds.sentence(c_start)
            c.sentence = text[s:e].strip()
            s, e = self.quote_bounds(bounds, c_start, c_end)
            c.quote = self.quote(para.start + s, para.start + e)
        return out

    @staticmethod
    def quote_bounds(bounds: Bounds, start: int, end: int) -> tuple[int, int]:
        """What a fact quotes: its whole sentence; in a form or table flattened onto one endless line, the cells
        around the number (a thousand characters of form say nothing about one figure)."""
        text = bounds.text
        s, e = bounds.sentence(start, whole=True)
        if e - s <= LONG_SENTENCE:
            return s, e
        s, e = max(s, start - QUOTE_BEFORE), min(e, end + QUOTE_AFTER)
        left = text.find(" ", s, start)
        right = text.rfind(" ", end, e)
        return (left + 1 if left >= 0 else s), (right if right >= 0 else e)

    @staticmethod
    def is_not_a_figure(text: str, n: Number) -> bool:
        """Ranks (第3名), dates, document numbers and Chinese-numeral occasions (一次性, 一期) look like counts but
        are not figures."""
        before = text[max(0, n.start - 1) : n.start]
        after = text[n.end : n.end + 1]
        if DATE_OR_RANK.search(before):
            return True
        if before in {"-", "/", "#", "号"} or (after in {"-", "/"} and not n.unit.endswith("元")):
            return True
        return n.unit in {"次", "期"} and not text[n.start].isdigit() and "人" not in n.unit

    # ---- meaning ----------------------------------------------------------------------------------------------
    def measure_of(self, c: Candidate, sentence_prefix: str) -> tuple[str | None, str | None, bool]:
        """(measure, direction, explicit) of an amount from the words around it."""
        window = FUND_NAMES.sub("", c.before[-24:])
        after = FUND_NAMES.sub("", c.after[:6])
        change = CHANGE.search(window) or CHANGE.search(sentence_prefix[-24:])
        if change:
            word = change.group(1) or change.group(2)
            return "change", "increase" if word in INCREASE_WORDS else "decrease", True
        # a standard governs the figure of its own clause (每名助学金3000元，计1.2万元: only the first is a rate)
        following = c.para.text[c.number.end : c.number.end + 16]
        clause = c.clause_prefix
        if (
            RATE.search(clause)
            or self.reward_per_thing(sentence_prefix)
            or RATE_AFTER.match(c.after)
            or RANGE_START.match(following)
            or RANGE_END.match(following)
        ):
            return "rate", None, True
        if self.other_years(c, sentence_prefix, window):
            return "prior", None, True
        if BUDGET.search(window) or BUDGET.search(after) or self.announced(sentence_prefix, clause):
            return "budget", None, True
        if ACTUAL.search(window) or ACTUAL.search(after):
            return ("budget" if self.budget_document else "actual"), None, True
        if self.budget_document:
            return "budget", None, False
        return None, None, False

    @staticmethod
    def reward_per_thing(sentence_prefix: str) -> bool:
        """每新建一家企业工会，县总工会给予…5000元: the figure right after a per-thing condition, no total between
        (…给予5000元奖励，全年共发放建会奖补资金120万元: the 120万元 is money paid)."""
        found = list(PER_EACH_DONE.finditer(sentence_prefix))
        rest = sentence_prefix[found[-1].end() :] if found else ""
        return bool(found) and not (re.search(r"共|全年|合计|累计|总计", rest) or MONEY_UNIT.search(rest))

    def many_years(self, words: str) -> bool:
        """A figure over many years (自2007年以来累计…, 17年来共…, 连续开展17年): not this year's, unless the years
        start with the report's own (2014年以来 in a report on 2014)."""
        found = MULTI_YEAR.search(words)
        if not found or THIS_YEAR.search(words[max(0, found.start() - 16) : found.start()]):
            return False  # 今年送温暖活动开展以来: since this year's campaign began
        if self.doc_year and f"{self.doc_year}年" in words[found.start() :]:
            return False  # 连续多年开展…，2023年为120名…: the report's own year named after it
        since = SINCE_YEAR.findall(words)
        return not (since and self.doc_year and all(int(y) >= self.doc_year for y in since))

    def in_years_frame(self, paragraph_prefix: str, sentence_prefix: str) -> bool:
        """近年来，…。截至目前，已累计帮扶…: a paragraph opened on recent years makes its 累计/至今 figures theirs,
        unless this year is named between the frame and the figure."""
        if not CUMULATIVE.search(sentence_prefix):
            return False
        frame = YEARS_FRAME.search(paragraph_prefix[: len(paragraph_prefix) - len(sentence_prefix)])
        if frame is None:
            return False
        since = paragraph_prefix[frame.end() :]
        return not THIS_YEAR.search(since) and not (self.doc_year and f"{self.doc_year}年" in since)

    @staticmethod
    def announced(sentence_prefix: str, clause: str) -> bool:
        """The sentence says what will be done (将/预计), and nothing after that, up to the figure, says it was done."""
        found = FUTURE.search(sentence_prefix)
        return found is not None and not DONE.search(sentence_prefix[found.end() :])

    @staticmethod
    def scope_of(sentence_prefix: str) -> str | None:
        """ "all_levels" when the latest spender named before the figure is all unions of the area together."""
        every = [m.end() for m in ALL_LEVELS.finditer(sentence_prefix)]
        own = [m.end() for m in OWN_UNION.finditer(sentence_prefix)]
        return "all_levels" if every and (not own or every[-1] > own[-1]) else None

    def other_years(self, c: Candidate, sentence_prefix: str, window: str) -> bool:
        """The figure is of other years than the report's: many years (17年来共…), a year qualifying it
        (2018年度67.56万元), 截至 an earlier year, or 上年/去年 right before it. Amounts and counts alike."""
        clause = c.clause_prefix
        if self.many_years(sentence_prefix[-60:] + clause) and not THIS_YEAR.search(clause):
            return True
        if self.in_years_frame(c.para.text[: c.number.start], sentence_prefix):
            return True
        qualifier = YEAR_QUALIFIER.search(c.before)
        years = [int(qualifier.group(1))] if qualifier else []
        years += [int(y) for y in UP_TO_YEAR.findall(sentence_prefix)]
        return bool(years and self.doc_year and max(years) < self.doc_year) or bool(PRIOR.search(window))

    def count_measure(self, c: Candidate, sentence_prefix: str) -> str | None:
        """A count of many years, of another year or of a plan is not this year's (17年来共资助3518名); else it
        measures nothing of its own (an amount's count takes its amount's measure where it matters)."""
        clause = c.clause_prefix
        if self.other_years(c, sentence_prefix, c.before[-24:]):
            return "prior"
        if re.search(r"计划|预计|拟|目标", c.before[-24:]) or self.announced(sentence_prefix, clause):
            return "budget"
        # …购置清凉大礼包，计划走访慰问80余家单位，惠及5000余名职工: what the plan will reach, said after the money
        since_money = sentence_prefix[max((m.end() for m in MONEY_UNIT.finditer(sentence_prefix)), default=0) :]
        plan = PLAN.search(since_money)
        if plan and not DONE.search(since_money[plan.end() :]):
            return "budget"
        return None

    def category_of(self, c: Candidate) -> str:
        """The words next to the figure decide; failing them, the topic (first keyword) of its sentence, section
        heading or document title."""
        sentence_end = c.para.text.find(c.sentence) + len(c.sentence) if c.sentence else len(c.para.text)
        rest = c.para.text[c.number.end : max(sentence_end, c.number.end)]  # what the money was for, said after it
        generic = None  # 活动 alone names no topic here: every campaign is one (此次活动共计发放慰问金, 活动共筹集…)
        for context in (c.before, c.after, rest):
            best = self.most_specific(context)
            if best == taxonomy.GENERIC_ACTIVITY or (
                best == "spending.project" and self.names_a_campaign_fund(context)
            ):
                generic = generic or best
            elif best:
                return best
        headings = list(reversed(c.para.section.split(" > "))) if c.para.section else []
        for context in (c.sentence, *headings, self.title, self.lead):
            named = [
                h
                for h in taxonomy.keyword_hits(context)
                if h.category != taxonomy.GENERIC_ACTIVITY
                and not (h.category == "spending.project" and self.names_a_campaign_fund(context[h.start : h.end]))
            ]
            if named:
                return named[0].category
        return generic or "unclassified"

    def names_a_campaign_fund(self, words: str) -> bool:
        """专项资金 outside a finance statement is a campaign's fund (筹集2100余万元专项资金，慰问…), named by what it
        pays for; in a 决算/预算 or 绩效 statement, beside 项目支出 and 基本支出, it is project spending."""
        if PROJECT_WORDS.search(words) or not CAMPAIGN_FUND_WORD.search(words):
            return False
        return not self.finance_statement

    @cached_property
    def finance_statement(self) -> bool:
        """The text is a 决算/预算/绩效 statement (decided once)."""
        return FINANCE_STATEMENT.search(self.text) is not None

    @staticmethod
    def most_specific(text: str) -> str | None:
        """The most specific category the words name; a fund's name (一般公共预算财政拨款支出) says where money came
        from, not what it is."""
        return taxonomy.most_specific(FUND_NAMES.sub("", text) if "预算" in text else text)

    def label_of(self, c: Candidate) -> str:
        counted = counted_noun(c) if c.kind == "count" else None
        if counted:
            return counted
        label = LABEL_TAIL.sub("", LABEL_NOISE.sub("", c.before.strip()))
        label = re.sub(r"^.*?(?:其中|分别为|包括)[:：]?", "", label)
        if len(label) < 2:
            after = re.split(r"[，。；,;和及]", c.after.lstrip("的"), maxsplit=1)[0]
            label = after.strip()[:30] if len(after.strip()) >= 2 else (c.para.section.split(" > ")[-1] or "未命名数字")
        if VERB_ONLY.match(label):
            label = (c.para.section.split(" > ")[-1] or self.title)[:30] + label
        return label[-40:]

    # ---- paragraph pass ---------------------------------------------------------------------------------------
    def paragraph_facts(
        self, para: Paragraph, candidates: list[Candidate], open_list: ListState | None
    ) -> ListState | None:
        last_amount: Fact | None = None
        for c in candidates:
            sentence_start = c.para.text.find(c.sentence) if c.sentence else 0
            prefix = c.para.text[max(sentence_start, 0) : c.number.start]
            common = dict(
                value=c.number.value,
                unit=c.number.unit,
                section=para.section,
                text=c.quote,
                span=None if c.number.unit_apart else (c.start, c.end),
                precision=c.number.precision,
                approx=c.number.approx,
            )
            if c.kind == "amount":
                measure, direction, explicit = self.measure_of(c, prefix)
                category = self.category_of(c)
                if last_amount is not None and self._shares_unit_with(last_amount, c):
                    # 各减少1267.86,2570.97万元: the second number is what the first is
                    measure, direction, category = last_amount.measure, last_amount.direction, last_amount.category
                fact = self.new_fact(
                    kind="amount",
                    label=self.label_of(c),
                    category=category,
                    measure=measure,
                    direction=direction,
                    scope=self.scope_of(prefix),
                    **common,
                )
                self._explicit[fact.id] = explicit
                open_list = self.place_in_breakdown(fact, c, open_list, last_amount)
                if measure is None and fact.parent is None and taxonomy.area(fact.category) in AREAS_THAT_SPEND:
                    fact.measure = "actual"
                last_amount = fact
            elif c.kind == "count":
                # 受助学生代表, 困难职工代表: who stood for the people at a ceremony, not how many were reached
                representatives = REPRESENTATIVES.match(c.after) is not None or (
                    REPRESENTATIVES_BEFORE.search(c.clause_prefix) is not None and ATTENDING.match(c.after) is not None
                )
                registered = self.on_the_register(c)
                parent = None if registered or representatives else self.amount_for_count(c, candidates)
                # the people money from above reached are still people this union's aid reached (争取到上级…资金，对
                # 296名困难职工进行帮扶): their own words name what they got
                if registered:
                    category = taxonomy.REGISTER
                elif representatives:
                    category = taxonomy.REPRESENTATIVES
                elif parent is not None and parent.category != "subsidy.pass_through":
                    category = parent.category
                else:
                    category = self.count_category(c)
                self.new_fact(
                    kind="count",
                    label=self.label_of(c),
                    category=category,
                    measure=self.count_measure(c, prefix),
                    scope=self.scope_of(prefix),
                    parent=parent.id if parent else None,
                    **common,
                )
            else:
                category = self.most_specific(c.before) or self.most_specific(c.after) or "other"
                self.new_fact(kind="ratio", label=self.label_of(c), category=category, **common)
            self.read_at.append((c.start, c.end, self.facts[-1].id))
        if open_list and open_list.in_paren:
            return None
        return open_list

    def _shares_unit_with(self, previous: Fact, c: Candidate) -> bool:
        end = self._end_in_para.get(previous.id)
        return (
            previous.span is None
            and end is not None
            and re.fullmatch(r"\s?[,，、]\s?", c.para.text[end : c.number.start]) is not None
        )

    @staticmethod
    def on_the_register(c: Candidate) -> bool:
        """A count of the people a register holds (在档困难职工295名), not of people an aid reached."""
        before = c.clause_prefix
        after = re.split(r"[，,、；;。]", c.para.text[c.number.end : c.clause_end], maxsplit=1)[0]
        return bool(REGISTERED.search(before)) and not ACT_ON_PEOPLE.search(before + after)

    def count_category(self, c: Candidate) -> str:
        category = self.category_of(c)
        return category if category != "unclassified" else "other"

    def amount_for_count(self, c: Candidate, candidates: list[Candidate]) -> Fact | None:
        """The amount a count describes: one in the same clause, else the latest before it in the same sentence, else
        the first after it there (共计救助困难职工615人，救助金额达33.48万元: the amount is read later, see
        count_structure.attach_to_following_amount)."""
        clause_start, clause_end = c.clause_start, c.clause_end
        best = None
        for other in candidates:
            fact = self._fact_at.get(other.start)
            if fact is None or other.sentence != c.sentence:
                continue
            if clause_start <= other.number.start < clause_end:
                best = fact
                break
            if other.number.start < c.number.start:
                best = fact
        if best is not None and taxonomy.area(best.category) in COUNT_PARENT_AREAS:
            return best
        return None

    def place_in_breakdown(
        self, fact: Fact, c: Candidate, open_list: ListState | None, last_amount: Fact | None
    ) -> ListState | None:
        """Decide the fact's parent; return the breakdown that is open after it. A standard (每人500元) is never a
        part of a total: it leaves the breakdown as it is."""
        self._fact_at[c.start] = fact
        self._end_in_para[fact.id] = c.number.end
        self._para_of[fact.id] = c.para.start
        self._before[fact.id] = c.before
        if fact.measure == "rate":
            return open_list
        if STATED_TOTAL.search(c.before):  # 合计75.56万元 is a total of its own, never an item of a list
            return None
        # the words since the previous amount of the paragraph (or since the paragraph began)
        since = self._end_in_para.get(last_amount.id, 0) if last_amount else 0
        marker = BREAKDOWN.search(c.para.text[since : c.number.start])
        closes_paren = (
            open_list is not None
            and open_list.in_paren
            and re.search(r"[）)]", c.para.text[open_list.last_end : c.number.start])
        )
        if closes_paren:
            open_list = None
        if marker:
            headline = open_list.parent if open_list else self.latest_headline(last_amount, c.para)
            if headline is not None and headline.measure != "change":
                opened = c.para.text[max(0, c.number.start - 60) : c.number.start]  # c.before starts after a "("
                state = open_list or ListState(headline, in_paren=bool(re.search(r"[（(][^）)]*$", opened)))
                self.add_item(state, fact, c)
                return state
            return None
        # a zero line may close a list only in the list's own sentence (…；上缴上级支出0万元), not after a full stop
        same_sentence = open_list is not None and "。" not in c.para.text[open_list.last_end : c.number.start]
        # inside the parentheses a 其中 opened, every figure is an item, whatever the sum (the breakdown rules report it)
        in_paren = open_list is not None and open_list.in_paren and fact.measure not in SIDE_MEASURES
        if open_list is not None and (in_paren or self.fits(open_list, fact, zero_may_close=same_sentence)):
            self.add_item(open_list, fact, c)
            return open_list
        return None

    def add_item(self, state: ListState, fact: Fact, c: Candidate) -> None:
        """Attach an item to an open breakdown; items without a word of their own measure what their list does."""
        self.attach(fact, state.parent, c)
        state.last_end = c.number.end
        if self._explicit.get(fact.id):
            state.measure = state.measure or fact.measure
        elif state.measure:
            fact.measure = state.measure
        state.used += fact.value
        state.slack += fact.precision

    def heading_total(self, para: Paragraph) -> ListState | None:
        """A total stated just before numbered items (全年…支出X元。 1.… 2.…) is what those items break down;
        the items are attached only while they fit inside it."""
        own = [
            f
            for f in self.facts
            if f.kind == "amount" and f.span and para.start <= f.span[0] <= para.start + len(para.text)
        ]
        if own and own[-1].parent is None and own[-1].measure in {"actual", "budget"}:
            return ListState(own[-1])
        return None

    @staticmethod
    def is_item(line: str) -> bool:
        return bool(ITEM_MARKER.match(line)) and not NUMBERED_TITLE.match(line)

    def latest_headline(self, last_amount: Fact | None, para: Paragraph | None = None) -> Fact | None:
        """The total a 其中 refers to: the latest amount of the paragraph that is not itself an item of a breakdown,
        nor a change, prior figure or rate quoted after it (支出合计387.82万元，较上年减少125.51万元…。其中：…)."""
        if last_amount is None:
            return None
        by_id = self.facts_by_id()
        start = para.start if para else (last_amount.span[0] if last_amount.span else 0)
        for fact in reversed(self.facts[: self.facts.index(last_amount) + 1]):
            if fact.span is not None and fact.span[0] < start:
                break
            if fact.kind != "amount" or fact.measure in {"change", "prior", "rate"}:
                continue
            headline = fact if fact.parent is None else by_id[fact.parent]
            return self.first_statement(headline)
        return None

    def first_statement(self, fact: Fact) -> Fact:
        """A total restated later in its paragraph (国内公务接待支出7.8万元……共计支出7.8万元，具体包括：…) is one
        figure: its breakdown belongs to the first statement."""
        para = self._para_of.get(fact.id)
        if fact.value == 0:
            return fact
        for earlier in self.facts:
            if earlier is fact:
                break
            if (
                earlier.kind == "amount"
                and self._para_of.get(earlier.id) == para
                and para is not None
                and earlier.measure == fact.measure
                and earlier.category == fact.category
                and abs(earlier.value - fact.value) <= fact.precision
            ):
                return earlier
        return fact

    @staticmethod
    def fits(state: ListState, fact: Fact, zero_may_close: bool = True) -> bool:
        """An unmarked item continues a breakdown only if the breakdown is not complete and the item still fits.
        A zero line (上缴上级支出0万元) belongs to a complete breakdown when it is the same kind of thing: the
        same area, or the same head noun (…支出 under 本年支出合计)."""
        total, tolerance = state.parent.value, state.parent.precision + state.slack + fact.precision
        complete = state.used >= total - tolerance
        same_measure = fact.measure in (state.measure or state.parent.measure, None)
        if fact.value == 0 and same_measure and zero_may_close:
            head = HEAD_NOUN.search(state.parent.label)
            return taxonomy.area(fact.category) == taxonomy.area(state.parent.category) or bool(
                head and head.group() in fact.label
            )
        return not complete and state.used + fact.value <= total + tolerance and same_measure

    def attach(self, fact: Fact, parent: Fact, c: Candidate) -> None:
        fact.parent = parent.id
        parent_area = taxonomy.area(parent.category)
        # passed-through money stays visible as such; under a plain spending total, aid to people and subsidies to
        # lower levels say more than "spending" (本年支出合计 > 对附属单位补助支出)
        keeps_own = fact.category == "subsidy.pass_through" or (
            parent_area == "spending" and taxonomy.area(fact.category) in {"aid", "subsidy"}
        )
        if (
            parent_area is not None
            and parent_area != "unclassified"
            and taxonomy.area(fact.category) != parent_area
            and not keeps_own
        ):
            fact.category = taxonomy.refine_within(parent_area, c.before + c.after) or parent.category
        if not self._explicit.get(fact.id, False):
            fact.measure = parent.measure

    def facts_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    # ---- document-level rules -------------------------------------------------------------------------------
    def genre_parents(self) -> None:
        """基本支出 and 项目支出 (actual) break down the stated 部门整体支出 (actual): the first statement of each
        (a table repeating them is not a second breakdown)."""
        narrative_first = sorted(self.facts, key=lambda f: f.span is None)
        totals = [
            f
            for f in narrative_first
            if f.kind == "amount" and f.category == "spending.total" and f.measure == "actual" and f.parent is None
        ]
        if not totals:
            return
        total = totals[0]
        for part in ("spending.basic", "spending.project"):
            stated = [f for f in narrative_first if f.kind == "amount" and f.category == part and f.measure == "actual"]
            if stated and stated[0].parent is None and stated[0].value <= total.value + total.precision:
                stated[0].parent = total.id

    def stated_totals(self) -> None:
        """Items followed in their own sentence by 合计/总计/小计 are that total's parts, whatever their sum (发放慰问金
        22.68万元，慰问品价值约4.61万元，合计27.22万元): the wording decides, and where the arithmetic disagrees the
        breakdown rules (BRK001/BRK002) report it. An item attached to a total of another sentence moves here."""
        amounts = sorted(
            (f for f in self.facts if f.kind == "amount" and f.span is not None and f.id in self._para_of),
            key=lambda f: f.span[0],  # type: ignore[index]
        )
        by_id = {f.id: f for f in amounts}
        for i, total in enumerate(amounts):
            if not STATED_TOTAL.search(self._before.get(total.id, "")) or total.measure in SIDE_MEASURES:
                continue
            items: list[Fact] = []
            nearest = total
            for f in reversed(amounts[:i]):
                between = self.text[f.span[1] : total.span[0]]  # type: ignore[index]
                gap = f.span[1] < nearest.span[0] - ITEM_GAP  # type: ignore[index]
                if gap or SENTENCE_END.search(between) or STATED_TOTAL.search(self._before.get(f.id, "")):
                    break  # a form flattened into one line has no full stops: the items stand next to their total
                nearest = f
                if f.measure not in SIDE_MEASURES and f.value <= total.value + total.precision:
                    items.append(f)
            if len(items) < 2:
                continue
            for item in items:
                parent = by_id.get(item.parent or "")
                if parent is None or SENTENCE_END.search(self.text[parent.span[1] : item.span[0]]):  # type: ignore[index]
                    item.parent = total.id
                    if taxonomy.area(item.category) != taxonomy.area(total.category):
                        item.category = total.category  # it had taken the category of the total it left

    def complete_by_sum(self) -> None:
        """Figures that add up exactly to a total stated next to them are its parts, marked or not: items before a
        total stated as such (…30万元，配套30万元，共计60万元) and items after a total in the same or the next
        paragraph (筹集资金16.2万元，…发放救助金11.8万元，…发放慰问金4.4万元)."""
        amounts = [f for f in self.facts if f.kind == "amount" and f.id in self._para_of]
        paragraph_rank = {start: k for k, start in enumerate(sorted(set(self._para_of.values())))}
        rank = {f.id: paragraph_rank[self._para_of[f.id]] for f in amounts}
        sums_to = [f for f in amounts if f.measure not in {"change", "prior", "rate"}]

        def eligible(f: Fact) -> bool:  # a zero line adds nothing, so it is no evidence of belonging
            return f.parent is None and f.measure not in {"change", "prior", "rate"} and f.value > 0

        def settle(total: Fact, run: list[Fact], used: float, tolerance: float) -> bool:
            covered = used + sum(f.value for f in run)
            return abs(covered - total.value) <= tolerance + sum(f.precision for f in run)

        for i, total in enumerate(sums_to):
            # 共计发放帮扶资金75.41万元: the total's word may stand before the verb and the noun
            if total.parent is not None or not TOTAL_WORDS.search(self._before.get(total.id, "")[-12:]):
                continue
            if any(f.parent == total.id for f in amounts):
                continue
            run: list[Fact] = []
            for f in reversed(sums_to[:i]):
                if rank[total.id] - rank[f.id] > 0 or not eligible(f):
                    break
                run.append(f)
                if len(run) >= 2 and settle(total, run, 0.0, total.precision):
                    for item in run:
                        item.parent = total.id
                    break
        for i, total in enumerate(sums_to):
            if total.parent is not None and total.measure != "budget":
                continue
            kids = [f for f in amounts if f.parent == total.id]
            used = sum(f.value for f in kids)
            run = []
            for f in sums_to[i + 1 :]:
                if rank[f.id] - rank[total.id] > 1:
                    break
                if f.parent == total.id:
                    continue
                if not eligible(f) or f.value > total.value:
                    break
                run.append(f)
                if len(kids) + len(run) >= 2 and settle(total, run, used, total.precision):
                    for item in run:
                        item.parent = total.id
                    break
                if used + sum(x.value for x in run) > total.value + total.precision:
                    break

    def campaign_fund_parts(self) -> None:
        """A text stating once what was raised or put into its aid as a whole (活动共筹资约16.2万元，慰问700余人;
        2017年共筹措资金37余万元) and, elsewhere, amounts paid that together stay within it (为143名职工发放慰问金5.72
        万元; 仪式上发放助学金16万元) tells one campaign: the payments are the fund's parts, listed or not in full.
        Two such funds in one text are two campaigns, and nothing is decided here."""
        aid = [
            f
            for f in self.facts
            if f.kind == "amount"
            and f.id in self._para_of
            and taxonomy.area(f.category) == "aid"
            and f.measure == "actual"
            and f.parent is None
            and f.scope is None
            # a title repeating a payment is no payment of its own
            and not (f.span is not None and in_headline(self.text, f))
        ]
        funds = [f for f in aid if CAMPAIGN_FUND.search(self.clause_before(f))]
        if len(funds) != 1:
            return
        (fund,) = funds
        if any(f.parent == fund.id for f in self.facts if f.kind == "amount"):
            return  # its breakdown is stated (其中争取省、市总工会…，县级配套…): nothing else is guessed into it
        parts = [f for f in aid if f is not fund and f.value < fund.value]
        if len(parts) != len(aid) - 1 or not parts:
            return  # a payment as large as the fund is not one of its uses
        if sum(f.value for f in parts) <= fund.value + fund.precision:
            for part in parts:
                part.parent = fund.id

    def clause_before(self, fact: Fact) -> str:
        """The words of the fact's clause before it."""
        start = fact.span[0] if fact.span else 0
        return self.text[max(self.text.rfind(c, 0, start) for c in "，。；,;\n") + 1 : start]

    def propagate_budget(self) -> None:
        """A total with no word of its own whose items are all budget figures is a budget figure too."""
        children: dict[str, list[Fact]] = {}
        for f in self.facts:
            if f.parent and f.kind == "amount":
                children.setdefault(f.parent, []).append(f)
        for f in self.facts:
            kids = children.get(f.id)
            if kids and not self._explicit.get(f.id, True) and all(k.measure == "budget" for k in kids):
                f.measure = "budget"

    # ---- tables -----------------------------------------------------------------------------------------------
    def table_lines(self, tables) -> set[int]:
        """Start offsets of the lines a table holds: the prose pass leaves them to the table."""
        starts = set()
        for table in tables:
            for row in table.rows:
                pos = self.text.rfind("\n", 0, row.start) + 1
                while pos <= row.end:
                    starts.add(pos)
                    nxt = self.text.find("\n", pos)
                    if nxt < 0:
                        break
                    pos = nxt + 1
        return starts

    def table_facts(self, figures: list[TableFigure], paras: list[Paragraph]) -> None:
        section_at = {p.start: p.section for p in paras}
        by_key: dict[int, Fact] = {}
        for fig in figures:
            category = self.most_specific(fig.label) or self.most_specific(fig.context) or "unclassified"
            if fig.label == "总计":  # a statement's bottom line: the totals and what was carried over
                category = "other.grand_total"
            line_start = self.text.rfind("\n", 0, fig.row_start) + 1
            fact = self.new_fact(
                kind="amount",
                label=fig.label,
                value=fig.value,
                unit=fig.unit,
                category=category,
                measure=fig.measure,
                direction=fig.direction,
                section=section_at.get(line_start, ""),
                text=self.quote(fig.row_start, fig.row_end),
                span=None,
                precision=fig.precision,
            )
            by_key[fig.key] = fact
            self.read_at.append((fig.cell_start, fig.cell_end, fact.id))
        for fig in figures:  # parents may stand after their parts (a 合计 row printed last)
            parent = by_key.get(fig.parent) if fig.parent is not None else None
            if parent is None:
                continue
            fact = by_key[fig.key]
            fact.parent = parent.id
            # a row of a breakdown is what its total is (项目支出 > 疫情防控项目), unless it says more precisely
            # what it is within the same area (基本支出 of 支出总额) or names aid to people
            own = taxonomy.area(fact.category)
            if own not in {taxonomy.area(parent.category), "aid"} and fact.category != "subsidy.pass_through":
                fact.category = parent.category

    def __post_init__(self) -> None:
        self._explicit: dict[str, bool] = {}
        self._fact_at: dict[int, Fact] = {}
        self.read_at: list[tuple[int, int, str]] = []  # where each fact's number stands (audit)
        self.dismissed_at: list[tuple[int, int, str]] = []  # numbers the reading set aside itself (行次)
        self._end_in_para: dict[str, int] = {}  # where each amount ends in its paragraph
        self._para_of: dict[str, int] = {}  # the paragraph (its offset) each amount stands in
        self._before: dict[str, str] = {}  # the words before each amount


# ---- document ---------------------------------------------------------------------------------------------------
def document_of(text: str) -> tuple[Document, str]:
    """The document's identity, and its title (what a figure falls back on for its meaning)."""
    identity = identify(text)
    tenant = tenant_named(identity.header, registry())
    return Document(
        org=identity.org,
        year=identity.year,
        kind=identity.kind,
        text=text,
        district_code=tenant.district_code if tenant else None,
        org_confident=identity.org_confident,
        year_confident=identity.year_confident,
        header=identity.header,
        years_covered=identity.years_covered,
    ), identity.title


@lru_cache(maxsize=1)
def registry() -> dict:
    """The tenant registry, read once per process (the district code of a document is looked up by its name)."""
    return load_tenants()


def extract_text(raw: str, *, file_name: str | None = None) -> Extraction:
    reading = reading_text(normalise(raw))
    text = reading.text
    document, title = document_of(text)
    extractor = Extractor(
        text=text,
        doc_year=document.year,
        title=title,
        budget_document=bool(BUDGET_DOC.search(title)) and not NOT_BUDGET_DOC.search(title),
        reading=reading,
    )
    extractor.run()
    numbers = audit_numbers(text, extractor.read_at, extractor.dismissed_at)
    problems = extractor.problems + unread_money_problems(numbers)
    return Extraction(document, extractor.facts, problems, numbers)


def unread_money_problems(numbers) -> list[Problem]:
    """One warning per line that holds money the reading could not read: the district is told where to look."""
    by_line: dict[str, list] = {}
    for note in unread_money(numbers):
        by_line.setdefault(note.sentence, []).append(note)
    problems = []
    for line, notes in by_line.items():
        shown = line if len(line) <= 80 else line[:77] + "…"
        figures = "、".join(n.text for n in notes[:5]) + ("等" if len(notes) > 5 else "")
        problems.append(
            Problem(
                "warning",
                UNREAD_MONEY,
                f"此句中的金额（{figures}）未能读出：“{shown}”",
                (notes[0].start, notes[-1].end),
            )
        )
    return problems


# Limits a district can be told: a year's report is tens of pages; far beyond these is a pasted export or a mistake,
# and reading it would cost the city's run memory and time in proportion.
MAX_TEXT_CHARS = 500_000  # about 300 pages of Chinese text
MAX_FACTS = 5_000  # figures read from one submission
MAX_FIGURE = 1e13  # 元 (10 万亿): larger is a mistyped unit or a stray digit string, never a union's figure


def within_limits(extraction: Extraction, name: str) -> Extraction:
    """The extraction, or — past a limit — none of its figures and a problem saying which limit and what to do."""
    text = extraction.document.text
    why = None
    trim = "绩效报告只需报送本单位本年度的报告正文，请删除附带的明细表或改用统一报表模板报送"
    huge = next((f for f in extraction.facts if abs(f.value) >= MAX_FIGURE), None)
    if len(text) > MAX_TEXT_CHARS:
        why = f"文本过长（{len(text):,}字，上限{MAX_TEXT_CHARS:,}字）。{trim}"
    elif len(extraction.facts) > MAX_FACTS:
        why = f"读出的数字过多（{len(extraction.facts):,}个，上限{MAX_FACTS:,}个）。{trim}"
    elif huge is not None:
        # the warehouse keeps figures as exact decimals (DECIMAL(24,6)); no union's figure comes near this bound
        why = (
            f"数字「{huge.label}」{huge.value:,.0f}{'元' if huge.kind == 'amount' else huge.unit}超出可能的范围"
            f"（上限{MAX_FIGURE:,.0f}），多半是单位或小数点写错，请核对后重新报送"
        )
    if why is None:
        return extraction
    return Extraction(
        Document(extraction.document.org, extraction.document.year, extraction.document.kind, ""),
        [],
        [
            Problem(
                "fatal",
                "over_limit",
                f"{name}：{why}",
            )
        ],
    )


def extract_file(path: Path, progress: Progress | None = None) -> Extraction:
    """What one file says. `progress(page, pages)` is told which page a scan's recognition is on."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".csv", ".xls", ".et"}:
            return within_limits(_read_template_file(path), path.name)
        read = read_document(path, progress)
    except ReadError as exc:
        return Extraction(Document(None, None, None, ""), [], [Problem("fatal", "unreadable_file", str(exc))])
    if len(read.text) > MAX_TEXT_CHARS:  # refused before reading: the cost is in the reading
        return within_limits(Extraction(Document(None, None, None, read.text)), path.name)
    extraction = within_limits(extract_text(read.text, file_name=path.name), path.name)
    if read.ocr is not None:
        extraction.document.scanned_pages = len(read.ocr.pages)
        extraction.places = scan_places(extraction, read.ocr)
        extraction.problems += low_confidence_problems(extraction)
    extraction.problems += [Problem("warning", "reader_warning", w) for w in read.warnings]
    return extraction


def _read_template_file(path: Path) -> Extraction:
    """The unified template as .xlsx or .csv; an .xls/.et workbook converted to .xlsx by LibreOffice first."""
    from ingest.template import read_template, read_template_csv

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_template_csv(path)
    if suffix == ".xlsx":
        return read_template(path)
    extraction = read_converted(path, read_template)
    extraction.problems.append(
        Problem("warning", "reader_warning", f"{path.name}：旧版Excel/WPS表格，已自动转换为 .xlsx 读取")
    )
    return extraction
