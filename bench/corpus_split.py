"""Merge collected folders (corpus/incoming/<letter>/, see its INSTRUCTIONS.md) into the project's corpus: duplicates
dropped, every text assigned once and for all to `train` or `heldout`.

usage: python bench/corpus_split.py FOLDER [FOLDER…] --out corpus

A text is a duplicate of one kept before it when it has the same source URL or nearly the same body (the same report
on two mirror sites): 8-character shingles overlapping by more than half. The split is by the SHA-1 of the source URL
(a third held out), so it does not depend on the order texts arrive in, and a text added later never moves a text
already split. Nobody reads the held-out texts when writing rules; `bench/headline_score.py` reports them apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

HELD_OUT_EVERY = 3  # sha1(url) % 3 == 0 → heldout
SAME_BODY = 0.5


def body_of(text: str) -> str:
    lines = text.splitlines()
    return re.sub(r"\s+", "", "\n".join(lines[1:]))


def shingles(body: str, n: int = 8) -> set[str]:
    return {body[i : i + n] for i in range(max(len(body) - n + 1, 1))}


def split_of(url: str) -> str:
    return "heldout" if int(hashlib.sha1(url.encode()).hexdigest(), 16) % HELD_OUT_EVERY == 0 else "train"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--out", default="corpus")
    parser.add_argument("--seen", action="append", default=[], help="a folder of texts already in a corpus (shared)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    kept: dict[str, list[dict]] = {"train": [], "heldout": []}
    seen_urls: dict[str, str] = {}
    seen_bodies: list[tuple[set[str], str]] = []
    # what earlier merges kept stays (and stays where it is)
    for split in kept:
        truth = out / split / "truth.jsonl"
        for line in truth.read_text(encoding="utf-8").splitlines() if truth.exists() else []:
            rec = json.loads(line)
            text = (out / split / rec["file"]).read_text(encoding="utf-8")
            seen_urls[text.splitlines()[0]] = rec["file"]
            seen_bodies.append((shingles(body_of(text)), rec["file"]))
            kept[split].append(rec)
    for folder in map(Path, args.seen):  # the shared corpus: never again in ours
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            seen_bodies.append((shingles(re.sub(r"\s+", "", text)), f"{folder.name}/{path.name}"))
    dropped = []
    for folder in map(Path, args.folders):
        for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            text = (folder / rec["file"]).read_text(encoding="utf-8")
            url = text.splitlines()[0]
            body = shingles(body_of(text))
            same = seen_urls.get(url) or next(
                (
                    name
                    for other, name in seen_bodies
                    if len(body & other) / max(min(len(body), len(other)), 1) > SAME_BODY
                ),
                None,
            )
            if same:
                dropped.append(f"{folder.name}/{rec['file']} = {same}")
                continue
            split = split_of(url.removeprefix("source: ").strip())
            (out / split).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / rec["file"], out / split / rec["file"])
            seen_urls[url] = rec["file"]
            seen_bodies.append((body, rec["file"]))
            kept[split].append(rec)
    for split, records in kept.items():
        (out / split).mkdir(parents=True, exist_ok=True)
        with (out / split / "truth.jsonl").open("w", encoding="utf-8") as f:
            for rec in sorted(records, key=lambda r: r["file"]):
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"train {len(kept['train'])}, heldout {len(kept['heldout'])}, duplicates dropped {len(dropped)}")
    for d in dropped:
        print(f"  duplicate: {d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
