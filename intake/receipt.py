"""The receipt (回执) a district gets for every submission: what was received, its status and what happens next."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.labels import SEVERITY_ZH, STATUS_ZH
from ingest.tenants import Tenant

if TYPE_CHECKING:
    from intake.submission import SubmissionOutcome


def render_receipt(outcome: SubmissionOutcome, tenant: Tenant | None, received_at: str) -> str:
    lines = [
        "报送回执",
        f"报送单位：{tenant.union_name if tenant else outcome.district_code}（{outcome.district_code}）",
        f"报送年度：{outcome.year}",
        f"文件名称：{outcome.file_name}",
        f"接收时间：{received_at}",
        f"登记编号：{outcome.submission_id or '—'}    版本：{outcome.version or '—'}",
        f"文件指纹（SHA-256）：{outcome.sha256 or '—'}",
        f"状态：{STATUS_ZH.get(outcome.status, outcome.status)}",
        f"说明：{outcome.message}",
    ]
    if outcome.findings:
        lines.append("校验结果：")
        lines += [f"  [{SEVERITY_ZH[f.severity]}] {f.rule_id} {f.message}" for f in outcome.findings]
    return "\n".join(lines) + "\n"


def write_receipt(receipts_dir: Path, outcome: SubmissionOutcome, tenant: Tenant | None, received_at: str) -> Path:
    """receipts/<submission_id>.txt (or <code>-<year>-<status>.txt when nothing was registered)."""
    name = outcome.submission_id or f"{outcome.district_code}-{outcome.year}-{outcome.status}"
    receipts_dir.mkdir(parents=True, exist_ok=True)
    path = receipts_dir / f"{name}.txt"
    path.write_text(render_receipt(outcome, tenant, received_at), encoding="utf-8")
    return path
