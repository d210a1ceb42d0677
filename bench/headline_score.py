"""The reader judged at the level of the city's rollup: per document, are the figures the city would sum right?

For each document of a corpus folder (its truth.jsonl, the shared corpus format plus `headline`, see
corpus/README.md), the rollup's figures — 整体/基本/项目支出, 帮扶金额, 帮扶人次, 文体活动, 对下补助 — are read the way
the product takes them (uwh's reader, the derived facts, intake.headline: the same selection as dbt's
rpt_rollup_sources) and compared with the hand-labelled `headline`. A document without a `headline` falls back to the
shared scorer's reconstruction from its labelled facts (../shared/tools/headline_score.py), without 人次.

usage: python bench/headline_score.py [--split NAME=TRUTH[,OVERLAY]:DIR …] [--errors N] [-v]
       (default: the project's splits, see SPLITS)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from expectations.derive import with_derived_facts  # noqa: E402
from ingest.extract import extract_file  # noqa: E402
from intake.headline import headline  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
# name → (truth, overlay of headline objects or None, folder of the texts)
SPLITS = {
    "shared": (SHARED / "truth.jsonl", ROOT / "corpus" / "shared_headline.jsonl", SHARED),
    "train": (ROOT / "corpus" / "train" / "truth.jsonl", None, ROOT / "corpus" / "train"),
    "heldout": (ROOT / "corpus" / "heldout" / "truth.jsonl", None, ROOT / "corpus" / "heldout"),
}
FIGURE_KEY = {
    "total_spending_yuan": "total",
    "basic_spending_yuan": "basic",
    "project_spending_yuan": "project",
    "aid_yuan": "aid",
    "aid_person_times": "aid_persons",
    "activity_yuan": "activity",
    "subsidy_yuan": "subsidy",
}
KEY_ZH = {"total": "整体支出", "basic": "基本支出", "project": "项目支出", "aid": "帮扶金额", "aid_persons": "帮扶人次",
          "activity": "文体活动", "subsidy": "对下补助"}  # fmt: skip
# the shared scorer's reconstruction, for a document labelled before `headline` existed
AREA_OF_KIND = {"total_spending": "total", "basic_spending": "basic", "project_spending": "project",
                "hardship": "aid", "activity": "activity", "subsidy_lower": "subsidy"}  # fmt: skip
TOLERANCE = 0.6  # 元 (and 人次): half a unit of the last digit a report states


def truth_headline(rec: dict) -> dict[str, float]:
    if "headline" in rec:
        out = {}
        for key, fig in rec["headline"].items():
            value = fig.get("value") if key == "aid_persons" else fig.get("value_yuan")
            if value is not None:
                out[key] = float(value)
        return out
    facts = [t for t in rec.get("facts", []) if t.get("value_yuan") is not None and not t.get("duplicate_of")
             and t.get("note") != "budget" and t.get("kind") in AREA_OF_KIND]  # fmt: skip
    by_label = {t["label"]: t for t in rec.get("facts", [])}
    out: dict[str, float] = {}
    for t in facts:
        area = AREA_OF_KIND[t["kind"]]
        parent = by_label.get(t.get("parent") or "")
        parent_area = AREA_OF_KIND.get(parent.get("kind")) if parent else None
        if area in ("total", "basic", "project"):
            out[area] = max(out.get(area, 0.0), float(t["value_yuan"]))
        elif parent_area != area:
            out[area] = out.get(area, 0.0) + float(t["value_yuan"])
    return out


def read_headline(path: Path) -> dict[str, float]:
    extraction = with_derived_facts(extract_file(path))
    figures = headline(extraction.facts).figures
    return {FIGURE_KEY[k]: round(fig.value, 2) for k, fig in figures.items() if k in FIGURE_KEY}


@dataclass
class Score:
    figures: int = 0
    right: int = 0
    documents: int = 0
    documents_right: int = 0
    empty: int = 0
    by_key: Counter = field(default_factory=Counter)
    right_by_key: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)


def error_kind(key: str, want: float | None, got: float | None) -> str:
    name = KEY_ZH[key]
    if got is None:
        return f"{name}：漏读"
    if want is None:
        return f"{name}：多读（不应计入）"
    return f"{name}：{'偏大（多计）' if got > want else '偏小（少计）'}"


def score(truth: Path, overlay: Path | None, folder: Path) -> Score:
    extra = {}
    if overlay is not None and overlay.exists():
        for line in overlay.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                extra[rec["file"]] = rec["headline"]
    s = Score()
    if not truth.exists():
        return s
    for line in truth.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec["file"] in extra:
            rec["headline"] = extra[rec["file"]]
        want = truth_headline(rec)
        got = read_headline(folder / rec["file"])
        if "headline" not in rec:
            got.pop("aid_persons", None)  # labelled before 人次 were part of the headline
        # a figure stated as zero (对附属单位补助支出0万元) adds nothing to the rollup: the same as none, as the shared
        # scorer counts it
        want, got = _without_zeros(want), _without_zeros(got)
        keys = sorted(set(want) | set(got))
        if not keys:
            s.empty += 1  # nothing to take and nothing taken: right, but not a figure (as the shared scorer counts)
            continue
        s.documents += 1
        bad = []
        for key in keys:
            s.figures += 1
            s.by_key[key] += 1
            w, g = want.get(key), got.get(key)
            if w is not None and g is not None and abs(w - g) < TOLERANCE:
                s.right += 1
                s.right_by_key[key] += 1
            else:
                s.errors[error_kind(key, w, g)] += 1
                bad.append(f"{key}: truth {w if w is None else f'{w:,.0f}'} read {g if g is None else f'{g:,.0f}'}")
        s.documents_right += not bad
        if bad:
            s.misses.append(f"{rec['file']}: " + "; ".join(bad))
    return s


def _without_zeros(figures: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in figures.items() if abs(v) >= TOLERANCE}


SEALED = {"heldout"}  # splits whose documents' misses are never shown: only their totals are read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", action="append", help="NAME=TRUTH[,OVERLAY]:DIR")
    parser.add_argument("--errors", type=int, default=10, help="how many of the most common errors to list")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every document's misses")
    args = parser.parse_args(argv)
    splits = dict(SPLITS) if not args.split else {}  # --split names the splits to score, instead of the defaults
    for spec in args.split or []:
        name, rest = spec.split("=", 1)
        files, folder = rest.rsplit(":", 1)
        truth, _, overlay = files.partition(",")
        splits[name] = (Path(truth), Path(overlay) if overlay else None, Path(folder))
    print(
        f"{'split':<9} {'docs':>5} {'figures right':>16} {'docs right':>14}  " + "  ".join(f"{k:>11}" for k in KEY_ZH)
    )
    results = {}
    for name, (truth, overlay, folder) in splits.items():
        s = score(truth, overlay, folder)
        results[name] = s
        per_key = "  ".join(
            f"{s.right_by_key[k]:>4}/{s.by_key[k]:<4}{'':>2}" if s.by_key[k] else f"{'—':>11}" for k in KEY_ZH
        )
        print(
            f"{name:<9} {s.documents:>5} {s.right:>6}/{s.figures:<4}={s.right / max(s.figures, 1):.3f} "
            f"{s.documents_right:>4}/{s.documents:<3}={s.documents_right / max(s.documents, 1):.2f}  {per_key}"
            + (f"  (+{s.empty} with nothing to take, nothing taken)" if s.empty else "")
        )
    for name, s in results.items():
        if s.errors:
            print(f"\n{name}: the {args.errors} most common headline errors")
            for kind, n in s.errors.most_common(args.errors):
                print(f"  {n:>3}  {kind}")
        if args.verbose and name in SEALED:
            print(f"  ({name}: per-document misses are not listed: no rule is written against this split)")
        elif args.verbose:
            for miss in s.misses:
                print(f"  {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
