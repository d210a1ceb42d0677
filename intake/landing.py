"""Files in: where a submission's bytes are kept and how landed files are found.

Paths are only ever built from validated registry codes, years and content hashes — never from a file's content or
an unchecked name — and nothing is followed out of `landing/` through a symlink.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from core.settings import installation_settings

SUPPORTED_SUFFIXES = {
    ".txt", ".md", ".docx", ".pdf", ".xlsx", ".csv", ".doc", ".wps", ".xls", ".et", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
}  # fmt: skip
_YEAR = re.compile(r"^\d{4}$")
_CODE = re.compile(r"^\d{6}$")


class IntakeError(ValueError):
    """A file that cannot be taken in; the message is for people (names the file and what is wrong)."""


@dataclass(frozen=True)
class LandedFile:
    year: int
    district_code: str
    path: Path

    @property
    def file_name(self) -> str:
        return self.path.name


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive_original(archive_dir: Path, data: bytes) -> str:
    """Store bytes once under archive/<sha256> (write-once, read-only afterwards) and return the hash."""
    digest = sha256_of(data)
    target = archive_dir / digest
    if not target.exists():
        archive_dir.mkdir(parents=True, exist_ok=True)
        tmp = archive_dir / f".{digest}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    return digest


def read_landed_bytes(path: Path, landing_root: Path, max_bytes: int | None = None) -> bytes:
    """Read a landed file, refusing what escapes landing/, is not a regular file, or is over the size limit."""
    if path.is_symlink():
        raise IntakeError(f"{path.name}: 是符号链接，不予接收（symbolic links are not accepted）")
    real = path.resolve()
    if not real.is_relative_to(landing_root.resolve()):
        raise IntakeError(f"{path.name}: 文件位置不在接收目录内（outside landing/）")
    if not real.is_file():
        raise IntakeError(f"{path.name}: 不是普通文件（not a regular file）")
    size = real.stat().st_size
    # a real report is a few MB; the limit is the installation's (UWH_MAX_FILE_MB / uwh.toml max_file_mb)
    max_bytes = max_bytes or installation_settings().max_file_bytes
    if size > max_bytes:
        raise IntakeError(f"{path.name}: 文件大小 {size} 字节超过上限 {max_bytes} 字节（file too large）")
    return real.read_bytes()


def check_partition(year: int | str, district_code: str) -> tuple[int, str]:
    year_s, code = str(year), str(district_code)
    if not _YEAR.match(year_s):
        raise IntakeError(f"年度 {year_s!r} 不是四位年份（year must have four digits）")
    if not _CODE.match(code):
        raise IntakeError(f"区县代码 {code!r} 不是六位行政区划代码（district code must be 6 digits）")
    return int(year_s), code


def safe_file_name(name: str) -> str:
    """The last path component of a user-given name, stripped of anything that could climb directories."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = base.lstrip(".") or "submission"
    return base[:200]


def landing_dir(landing_root: Path, year: int, district_code: str) -> Path:
    year, district_code = check_partition(year, district_code)
    return landing_root / str(year) / district_code


def landed_files(landing_root: Path, year: int, district_code: str) -> list[LandedFile]:
    """Files waiting in landing/<year>/<code>/, oldest first (the order in which they become versions)."""
    folder = landing_dir(landing_root, year, district_code)
    if not folder.is_dir() or folder.is_symlink():
        return []
    # hidden, non-UTF-8 and misplaced files are `stray_files`: each gets its outcome there
    files = [
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and _is_utf8(p.name) and (p.is_file() or p.is_symlink())
    ]
    files.sort(key=lambda p: (p.lstat().st_mtime, p.name))
    return [LandedFile(year, district_code, p) for p in files]


def landed_partitions(landing_root: Path) -> list[tuple[str, int]]:
    """(district_code, year) of every well-formed landing folder that holds at least one file."""
    found: list[tuple[str, int]] = []
    if not landing_root.is_dir():
        return found
    for year_dir in sorted(landing_root.iterdir()):
        if not (year_dir.is_dir() and not year_dir.is_symlink() and _YEAR.match(year_dir.name)):
            continue
        for code_dir in sorted(year_dir.iterdir()):
            if code_dir.is_dir() and not code_dir.is_symlink() and _CODE.match(code_dir.name):
                if any(not p.name.startswith(".") for p in code_dir.iterdir()):
                    found.append((code_dir.name, int(year_dir.name)))
    return found


def land_file(landing_root: Path, source: Path, year: int, district_code: str, data: bytes) -> Path:
    """Place a submitted file in landing/<year>/<code>/ under a safe name that never overwrites an earlier file."""
    folder = landing_dir(landing_root, year, district_code)
    folder.mkdir(parents=True, exist_ok=True)
    name = safe_file_name(source.name)
    stem, suffix = os.path.splitext(name)
    target, n = folder / name, 1
    while target.exists():
        if target.read_bytes() == data:
            return target
        n += 1
        target = folder / f"{stem} ({n}){suffix}"
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


# ---- files no partition will take in ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stray:
    """A file under landing/ that no partition reads, with why (Chinese) — it must get a visible outcome."""

    path: Path
    shown: str  # its place under landing/, printable (a GBK name from a Windows share decoded)
    district_code: str | None
    year: int | None
    reason: str


def printable(path: Path, root: Path) -> str:
    """A path under `root` as people can read it: names that are not UTF-8 (GBK copied from Windows) decoded."""
    parts = []
    for part in path.relative_to(root).parts:
        try:
            part.encode("utf-8")
            parts.append(part)
        except UnicodeEncodeError:
            parts.append(os.fsencode(part).decode("gb18030", errors="replace"))
    return "/".join(parts)


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


OUR_TEMPORARY = re.compile(r"^\..+\.\d+\.tmp$")  # land_file's own half-written files


def stray_files(landing_root: Path, codes: set[str], first_year: int, last_year: int) -> list[Stray]:
    """Every file under landing/ that the partition scan leaves alone, and why: a misplaced file, a folder that is
    no registered code or year (南岳区/, 43041/, "430412 "), a sub-folder, a hidden or non-UTF-8 name, a link."""
    found: list[Stray] = []
    if not landing_root.is_dir():
        return found

    def stray(path: Path, reason: str, code: str | None = None, year: int | None = None) -> None:
        found.append(Stray(path, printable(path, landing_root), code, year, reason))

    def everything_in(folder: Path, reason: str, code: str | None = None, year: int | None = None) -> None:
        for dirpath, dirnames, filenames in os.walk(folder):  # links are not followed
            for name in filenames + [d for d in dirnames if Path(dirpath, d).is_symlink()]:
                stray(Path(dirpath) / name, reason, code, year)

    where = "请放在 landing/<年度>/<六位区县代码>/ 文件夹中"
    for year_entry in sorted(landing_root.iterdir()):
        if year_entry.is_symlink():
            stray(year_entry, "符号链接不予接收")
        elif year_entry.is_file():
            stray(year_entry, f"位置不对：{where}")
        elif not (_YEAR.match(year_entry.name) and first_year <= int(year_entry.name) <= last_year):
            everything_in(
                year_entry,
                f"“{printable(year_entry, landing_root)}”不是可接收的年度（{first_year}–{last_year}），{where}",
            )
        else:
            year = int(year_entry.name)
            for code_entry in sorted(year_entry.iterdir()):
                shown = printable(code_entry, year_entry)
                if code_entry.is_symlink():
                    stray(code_entry, "符号链接（链接到别处的文件夹）不予接收", year=year)
                elif code_entry.is_file():
                    stray(code_entry, f"位置不对：{where}", year=year)
                elif shown not in codes:
                    everything_in(code_entry, f"“{shown}”不是登记的区县代码，{where}（如 430412）", year=year)
                else:
                    for entry in sorted(code_entry.iterdir()):
                        if OUR_TEMPORARY.match(entry.name):
                            continue
                        if entry.is_symlink():
                            continue  # refused, with its reason, when the partition reads it
                        if entry.is_dir():
                            everything_in(
                                entry,
                                "区县文件夹下的子文件夹中的文件不会被读取，请直接放在区县代码文件夹中",
                                shown,
                                year,
                            )
                        elif not _is_utf8(entry.name):
                            stray(
                                entry,
                                "文件名不是UTF-8编码（可能是从Windows共享复制的GBK文件名），请重命名后重新报送",
                                shown,
                                year,
                            )
                        elif entry.name.startswith("."):
                            stray(entry, "隐藏文件（文件名以“.”开头）不会被读取，请改名后重新报送", shown, year)
    return found


def move_aside(stray_path: Path, shown: str, refused_dir: Path, receipt: str, today: str) -> Path:
    """Move a file out of landing/ into refused/<date>/, with its receipt beside it, so it is not found again."""
    folder = refused_dir / today
    folder.mkdir(parents=True, exist_ok=True)
    name = safe_file_name(shown.rsplit("/", 1)[-1]) or "file"
    target, n = folder / name, 1
    while target.exists() or target.with_name(target.name + ".回执.txt").exists():
        n += 1
        target = folder / f"{n}-{name}"
    os.replace(stray_path, target)
    target.with_name(target.name + ".回执.txt").write_text(receipt, encoding="utf-8")
    return target


def unclaimed_partitions(landing_root: Path, codes: set[str], first_year: int, last_year: int) -> list[str]:
    """Landing folders no partition will read (unknown district, year out of range), each with why, in Chinese."""
    problems = []
    for code, year in landed_partitions(landing_root):
        if code not in codes:
            problems.append(f"landing/{year}/{code}：区县代码 {code} 不在登记名册中，文件未处理，原样保留")
        elif not first_year <= year <= last_year:
            problems.append(
                f"landing/{year}/{code}：年度 {year} 超出可接收范围（{first_year}–{last_year}），文件原样保留"
            )
    return problems


def partitions_already_taken_in(
    published_db: Path, landing_root: Path, partitions: list[tuple[str, int]]
) -> set[tuple[str, int]]:
    """The (district_code, year) folders whose every file the published warehouse has recorded unchanged (path, size,
    mtime in raw.landed_files): nothing there to take in. The first sensor tick after `make demo` or a restore used
    to start a run per year that read nothing."""
    if not published_db.exists() or not partitions:
        return set()
    import duckdb

    try:
        with duckdb.connect(str(published_db), read_only=True) as con:
            known = set(con.execute("SELECT path, size_bytes, mtime_ns FROM raw.landed_files").fetchall())
    except duckdb.Error:
        return set()  # an older or unreadable warehouse: take everything in, as before
    done = set()
    for code, year in partitions:
        files = landed_files(landing_root, year, code)
        stats = [(f.path.relative_to(landing_root).as_posix(), f.path.lstat()) for f in files]
        if files and all((key, st.st_size, st.st_mtime_ns) in known for key, st in stats):
            done.add((code, year))
    return done
