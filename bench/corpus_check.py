"""Checks a folder of collected reports and its truth.jsonl (the shared corpus format plus `headline`).

usage: python bench/corpus_check.py FOLDER [FOLDER…]

Errors: a truth line that is not JSON, a file missing, a fact whose `text` is not in its file (whitespace aside), a
`value_yuan` the text's own number and unit do not give, a headline key the rollup does not have, a headline figure
that is not the sum of the facts it names. Warnings: units it cannot check (e.g. 萬元), a report under 400 characters.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HEADLINE_KEYS = {"total", "basic", "project", "aid", "aid_persons", "activity", "subsidy"}
UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000, "千元": 1_000}
NUMBER = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|千元|元)")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_folder(folder: Path) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    truth = folder / "truth.jsonl"
    if not truth.exists():
        return [f"{folder}: no truth.jsonl"], []
    seen_sources: dict[str, str] = {}
    for n, line in enumerate(truth.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{truth}:{n}: not JSON ({exc})")
            continue
        name = rec.get("file", "")
        path = folder / name
        where = f"{folder.name}/{name}"
        if not path.is_file():
            errors.append(f"{where}: file missing")
            continue
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        if not first.startswith("source: "):
            errors.append(f"{where}: line 1 must be 'source: URL'")
        else:
            url = first[len("source: ") :].strip()
            if url in seen_sources:
                errors.append(f"{where}: same source as {seen_sources[url]}")
            seen_sources[url] = name
        if len(squeeze(text)) < 400:
            warnings.append(f"{where}: short text ({len(squeeze(text))} characters)")
        body = squeeze(text)
        facts = rec.get("facts", [])
        labels = {}
        for f in facts:
            labels[f.get("label")] = f
            if squeeze(f.get("text", "")) not in body:
                errors.append(f"{where}: fact {f.get('label')!r}: text not in the file: {f.get('text')!r}")
            value = f.get("value_yuan")
            found = NUMBER.findall(f.get("text", ""))
            if value is not None and found:
                options = [float(num.replace(",", "").replace("，", "")) * UNITS[unit] for num, unit in found]
                if not any(abs(o - value) < 0.6 for o in options):
                    errors.append(f"{where}: fact {f.get('label')!r}: {value} is none of {options}")
            elif value is not None and f.get("kind") not in ("standard",):
                warnings.append(f"{where}: fact {f.get('label')!r}: unit not checkable in {f.get('text')!r}")
        headline = rec.get("headline")
        if headline is None:
            errors.append(f"{where}: no headline object ({{}} when nothing is for the rollup)")
            continue
        for key, fig in headline.items():
            if key not in HEADLINE_KEYS:
                errors.append(f"{where}: headline key {key!r} is not one of {sorted(HEADLINE_KEYS)}")
                continue
            names = fig.get("from", [])
            missing = [x for x in names if x not in labels and x not in {c.get("label") for c in rec.get("counts", [])}]
            if missing:
                errors.append(f"{where}: headline {key}: from {missing} not among the facts' or counts' labels")
                continue
            field = "value" if key == "aid_persons" else "value_yuan"
            want = fig.get(field)
            if want is None:
                errors.append(f"{where}: headline {key}: no {field}")
                continue
            pool = {c.get("label"): c for c in rec.get("counts", [])} if key == "aid_persons" else labels
            got = sum(float(pool[x].get("value" if key == "aid_persons" else "value_yuan") or 0) for x in names)
            if names and abs(got - float(want)) > 0.6:
                errors.append(f"{where}: headline {key}: {want} is not the sum of {names} ({got})")
    return errors, warnings


def main(folders: list[str]) -> int:
    total_errors = 0
    for folder in folders:
        errors, warnings = check_folder(Path(folder))
        for e in errors:
            print("ERROR", e)
        for w in warnings:
            print("warning", w)
        total_errors += len(errors)
        print(f"{folder}: {len(errors)} errors, {len(warnings)} warnings")
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
