"""What `make eval` prints after the shared scorer: per file, what the reading missed (figures not read, read with
the wrong meaning or parent) and the audit's unexplained money — the number to drive to zero on any text, labelled
or not.

usage: python bench/eval_report.py TRUTH.jsonl REPORTS_DIR [TRUTH REPORTS ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.extraction_scoring import score_corpus  # noqa: E402


def report(truth: Path, reports: Path) -> None:
    scores = score_corpus(truth, reports)
    print(f"\n== {reports}: per-file misses")
    for s in scores:
        if s.misses or s.unread_money:
            print(f"{s.file}: {len(s.misses)} misses, {s.unread_money} unread money")
            for miss in s.misses:
                print(f"    {miss}")
    total = sum(s.unread_money for s in scores)
    clean = sum(not s.misses for s in scores)
    print(
        f"{reports}: {clean}/{len(scores)} files without a miss | audit: {total} money-like numbers neither read "
        f"nor dismissed"
    )


def main(argv: list[str]) -> None:
    if len(argv) < 2 or len(argv) % 2:
        raise SystemExit(__doc__)
    for truth, reports in zip(argv[::2], argv[1::2]):
        report(Path(truth), Path(reports))


if __name__ == "__main__":
    main(sys.argv[1:])
