"""python -m synth --out samples --seed 2026 --years 2021 2022 2023"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from ingest.tenants import load_tenants
from synth.generate import Tenant, generate_submissions

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "corpus"  # the shared corpus, copied
REAL_FILE = "000_9080c3ed6720e0e2.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description="generate the sample submissions with their ground truth")
    parser.add_argument("--out", type=Path, default=Path("samples"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--years", type=int, nargs="+", default=[2021, 2022, 2023])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="where the real 珠晖区 2022 report is")
    args = parser.parse_args()
    tenants = [Tenant(t.district_code, t.union_name) for t in load_tenants().values()]
    truth = next(
        json.loads(line)
        for line in (args.corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["file"] == REAL_FILE
    )
    shutil.rmtree(args.out / "landing", ignore_errors=True)
    records = generate_submissions(
        tenants, args.years, args.out, seed=args.seed, real_sample=args.corpus / REAL_FILE, truth_record=truth
    )
    print(f"{len(records)} submissions written under {args.out / 'landing'}")


if __name__ == "__main__":
    main()
