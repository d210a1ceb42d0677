"""The bundled sample submissions, landed as districts would drop them."""

from __future__ import annotations

import shutil
from pathlib import Path

from core.config import SAMPLES_DIR


def land_samples(landing: Path, samples: Path = SAMPLES_DIR, *, years: set[int] | None = None) -> int:
    """Copy samples/landing/<year>/<code>/<file> into landing/ (files already there are left alone)."""
    landed = 0
    for source in sorted(p for p in samples.rglob("*") if p.is_file()):
        relative = source.relative_to(samples)
        if years is not None and int(relative.parts[0]) not in years:
            continue
        target = landing / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            landed += 1
    return landed
