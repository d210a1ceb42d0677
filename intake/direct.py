"""A file handed in directly (`uwh submit`, the portal): landed, then taken in at once with a receipt — the same
`take_in` the nightly run uses. When a run holds the warehouse the file waits safely in landing/ and that run (or the
next) takes it in and writes the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.config import Layout
from core.db import beijing_minute
from core.labels import Status
from ingest.tenants import Tenant
from intake import warehouse
from intake.landing import IntakeError, check_partition, land_file
from intake.receipt import write_receipt
from intake.submission import SubmissionOutcome, take_in_file
from intake.work_lock import WorkBusy, work_lock


@dataclass(frozen=True)
class HandedIn:
    landed: Path  # where the file waits or waited, under landing/<year>/<code>/
    outcome: SubmissionOutcome | None  # None: a run is in progress and will take the file in
    receipt: Path | None
    busy: str = ""  # why it was not taken in at once (Chinese)

    @property
    def accepted(self) -> bool:
        """A duplicate is as good as the version it repeats: re-sending a rejected file is still a rejection."""
        o = self.outcome
        return o is not None and (
            o.status == Status.ACCEPTED or (o.status == Status.DUPLICATE and o.previous_status == Status.ACCEPTED)
        )


def hand_in(
    layout: Layout,
    tenants: dict[str, Tenant],
    *,
    data: bytes,
    file_name: str,
    district_code: str,
    year: int,
    actor: str,
) -> HandedIn:
    """Land `data` as `file_name` for the district-year, take it in and write its receipt. IntakeError (Chinese)
    when the district or year cannot take a submission."""
    year, code = check_partition(year, district_code)
    if code not in tenants:
        raise IntakeError(f"区县代码 {code} 不在登记名册中（unknown district code）")
    landed = land_file(layout.landing, Path(file_name), year, code, data)
    try:
        with work_lock(layout.work_db, wait=False, who=actor):
            con = warehouse.connect(layout.work_db)
            try:
                outcome = take_in_file(
                    con,
                    archive_dir=layout.archive,
                    landing_root=layout.landing,
                    path=landed,
                    tenants=tenants,
                    district_code=code,
                    year=year,
                    actor=actor,
                )
            finally:
                con.close()
    except WorkBusy as busy:
        return HandedIn(landed, None, None, busy.args[0])
    receipt = write_receipt(layout.receipts, outcome, tenants.get(code), f"{beijing_minute()}（北京时间）")
    return HandedIn(landed, outcome, receipt)
