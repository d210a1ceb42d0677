"""Old Office files (.doc/.wps Word 97–2003 and WPS text, .xls/.et Excel 97–2003 and WPS sheets) to their current
formats with LibreOffice headless, so that they are read by the same readers as .docx/.xlsx.

LibreOffice runs as a sandboxed, time-limited child: its own throwaway profile (no shared user state, no macros run:
the profile is fresh and macro security stays at its default), its own process group (killed whole on timeout),
limited memory, and a copy of the file in a private directory; the original is never opened for writing.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120  # a 100-page .doc converts in a few seconds; a file that takes minutes is hostile or broken
ADDRESS_SPACE_BYTES = 8 * 1024**3  # soffice maps far more than it uses; a runaway file stops here, not at swap
MAX_OUTPUT_BYTES = 512 * 1024**2
WORD_SUFFIXES = {".doc", ".wps"}  # the rest of what is converted are sheets: .xls, .et
# An OLE compound file (Word/Excel 97–2003, WPS) names its main stream in its directory, in UTF-16: that, not the
# file's name, says which kind it is.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_WORD = "WordDocument".encode("utf-16-le")
OLE_SHEETS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))


def ole_kind(data: bytes) -> str | None:
    """'word' or 'sheet' for an old Office file's bytes, None for anything else."""
    if not data.startswith(OLE_MAGIC):
        return None
    if OLE_WORD in data:
        return "word"
    if any(name in data for name in OLE_SHEETS):
        return "sheet"
    return None


class ConvertError(ValueError):
    """A file LibreOffice could not convert; the message (Chinese) names the file and what to do."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def target_suffix(suffix: str) -> str:
    return ".docx" if suffix.lower() in WORD_SUFFIXES else ".xlsx"


def _limits() -> None:  # runs in the child before exec
    os.setsid()
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_BYTES, MAX_OUTPUT_BYTES))


def convert_old_office(path: Path, out_dir: Path) -> Path:
    """`path` converted into `out_dir` (.doc/.wps → .docx, .xls/.et → .xlsx); the converted file's path."""
    suffix = path.suffix.lower()
    word = suffix in WORD_SUFFIXES
    program = soffice()
    kind = "Word" if word else "Excel"
    target = target_suffix(suffix)
    if program is None:
        raise ConvertError(
            f"{path.name}：本系统未安装旧版{kind}文件的转换程序（LibreOffice），"
            f"请另存为 {target} 后报送，或联系市总工会管理员"
        )
    if ole_kind(path.read_bytes()) != (
        "word" if word else "sheet"
    ):  # LibreOffice would "convert" anything, a text file to a document
        raise ConvertError(
            f"{path.name}：不是有效的旧版{kind}文件（文件可能已损坏或实为其他格式），"
            f"请在 Word/WPS/Excel 中打开后另存为 {target} 重新报送"
        )
    with tempfile.TemporaryDirectory(prefix="uwh-convert-") as work:
        work_dir = Path(work)
        # a plain ASCII name: LibreOffice's own handling of the district's file name is no concern of the reading;
        # .wps/.et are handed over as .doc/.xls, which is what their bytes are (OLE compound files)
        source = work_dir / ("source.doc" if word else "source.xls")
        shutil.copyfile(path, source)
        filter_name = "docx:MS Word 2007 XML" if word else "xlsx:Calc MS Excel 2007 XML"
        # the import filter named: without it LibreOffice reads a damaged file as plain text and "converts" it
        import_filter = "MS Word 97" if word else "MS Excel 97"
        command = [
            program,
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"--infilter={import_filter}",
            "--convert-to",
            filter_name,
            "--outdir",
            str(work_dir / "out"),
            str(source),
        ]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work_dir), "LANG": "C.UTF-8"}
        child = subprocess.Popen(
            command,
            cwd=work_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            preexec_fn=_limits,  # noqa: PLW1509 — setsid and limits before LibreOffice starts; no threads in between
        )
        try:
            child.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            raise ConvertError(
                f"{path.name}：旧版{kind}文件转换超时（超过{TIMEOUT_SECONDS}秒），"
                f"请在 Word/WPS/Excel 中另存为 {target} 后重新报送"
            ) from None
        finally:
            try:
                os.killpg(child.pid, signal.SIGKILL)  # whatever LibreOffice left running
            except ProcessLookupError:
                pass
        converted = work_dir / "out" / f"source{target}"
        if child.returncode != 0 or not converted.exists() or converted.stat().st_size == 0:
            raise ConvertError(
                f"{path.name}：旧版{kind}文件无法转换（文件可能已损坏、加密或并非{kind}文件），"
                f"请在 Word/WPS/Excel 中打开后另存为 {target} 重新报送"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        result = out_dir / (path.stem + target)
        shutil.move(str(converted), result)
        return result
