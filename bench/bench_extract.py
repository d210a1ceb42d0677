"""Extraction throughput: reports per second per core on text input, and its ratio to a plain read of the same bytes.

usage: python bench/bench_extract.py [--repeat N]   (writes bench/results.json, prints a table)
Each figure is the median of several timed passes over the corpus and the samples (text files only, already in
memory, so the figure is the extractor's, not the disk's). One process: the figure is per core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from ingest.extract import extract_text
from ingest.readers import decode_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"corpus": ROOT / "tests" / "fixtures" / "corpus", "samples": ROOT / "samples" / "landing"}
TARGET_PER_CORE = 1_000  # the extraction issue: ≥ 1,000 reports/s/core on text input


def texts(folder: Path) -> list[str]:
    return [
        decode_text(p.read_bytes(), p.name).text
        for p in sorted(folder.rglob("*"))
        if p.suffix in {".txt", ".md"} and p.name != "README.md"
    ]


def timed(fn, docs: list[str], repeat: int) -> float:
    """Median seconds for one pass over docs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for doc in docs:
            fn(doc)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    results = {"cores": os.cpu_count(), "extraction": {}}
    print(f"{'input':<10}{'docs':>6}{'KB/doc':>9}{'reports/s/core':>16}{'vs plain read':>15}{'target':>9}")
    for name, folder in SOURCES.items():
        docs = texts(folder)
        raw = [d.encode("utf-8") for d in docs]
        extract_seconds = timed(extract_text, docs, args.repeat)
        read_seconds = timed(lambda b: b.decode("utf-8"), raw, args.repeat)
        per_second = len(docs) / extract_seconds
        row = {
            "docs": len(docs),
            "kb_per_doc": sum(map(len, raw)) / len(raw) / 1024,
            "reports_per_second_per_core": per_second,
            "ratio_to_plain_read": extract_seconds / read_seconds,
            "meets_target": per_second >= TARGET_PER_CORE,
        }
        results["extraction"][name] = row
        print(
            f"{name:<10}{row['docs']:>6}{row['kb_per_doc']:>9.1f}{per_second:>16.0f}"
            f"{row['ratio_to_plain_read']:>14.0f}x{'ok' if row['meets_target'] else 'MISSED':>9}"
        )
    out = ROOT / "bench" / "results.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing.update(results)
    out.write_text(json.dumps(existing, indent=1, ensure_ascii=False) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
