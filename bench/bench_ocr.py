"""OCR throughput: scanned pages recognised per second, per core, and how exactly the headline figures come back.

usage: python bench/bench_ocr.py [--pages N] [--repeat N]   (adds "ocr" to bench/results.json, prints a table)
The pages are the seed report (珠晖区 2022) laid out on A4 at 200 dpi with a CJK font, turned 0.8° and speckled: a
scan's cost does not depend on what it says, only on its size and how much ink it holds. The figure is the median
over passes; onnxruntime uses every core it is given, so pages/s/core divides by the cores the process may use.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ingest.ocr import read_pages

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "corpus" / "000_9080c3ed6720e0e2.txt"
A4 = (1654, 2339)  # pixels at 200 dpi
MARGIN, FONT_PX, LEADING = 150, 29, 46


def cjk_font() -> ImageFont.FreeTypeFont:
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh"], capture_output=True, text=True, check=False
    ).stdout
    if not found or not Path(found).exists():
        raise SystemExit("no CJK font (fonts-noto-cjk: `make browser` installs it)")
    return ImageFont.truetype(found, FONT_PX)


def seed_pages(count: int) -> list[Image.Image]:
    font = cjk_font()
    lines = []
    for paragraph in SEED.read_text(encoding="utf-8").splitlines():
        row = ""
        for ch in paragraph:
            if font.getlength(row + ch) > A4[0] - 2 * MARGIN:
                lines.append(row)
                row = ""
            row += ch
        lines.append(row)
    per_page = (A4[1] - 2 * MARGIN) // LEADING
    rng = random.Random(3)
    pages = []
    for k in range(count):
        img = Image.new("L", A4, 255)
        draw = ImageDraw.Draw(img)
        chunk = [lines[(k * per_page + i) % len(lines)] for i in range(per_page)]
        for i, line in enumerate(chunk):
            draw.text((MARGIN, MARGIN + i * LEADING), line, fill=0, font=font)
        img = img.rotate(0.8, resample=Image.BICUBIC, fillcolor=255)
        pixels = img.load()
        for _ in range(img.width * img.height // 300):
            pixels[rng.randrange(img.width), rng.randrange(img.height)] = rng.choice((0, 90, 160))
        pages.append(img)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = seed_pages(args.pages)
    read_pages(pages[:1])  # load the models once, outside the timing
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        read = read_pages(pages)
        runs.append(time.perf_counter() - start)
    seconds = statistics.median(runs)
    cores = len(os.sched_getaffinity(0))
    found = "107.70万元" in read.text and "314029元" in read.text
    result = {
        "pages": args.pages,
        "seconds_per_page": round(seconds / args.pages, 2),
        "pages_per_second": round(args.pages / seconds, 3),
        "cores": cores,
        "pages_per_second_per_core": round(args.pages / seconds / cores, 3),
        "headline_figures_read_exactly": found,
    }
    out = ROOT / "bench" / "results.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    results["ocr"] = result
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"{'OCR (200 dpi A4, rotated, speckled)':<40}{'median':>10}")
    print(f"{'seconds per page':<40}{result['seconds_per_page']:>10}")
    print(f"{'pages/s':<40}{result['pages_per_second']:>10}")
    print(f"{'pages/s/core (' + str(cores) + ' cores)':<40}{result['pages_per_second_per_core']:>10}")
    print(f"{'107.70万元 and 314029元 read exactly':<40}{str(found):>10}")


if __name__ == "__main__":
    main()
