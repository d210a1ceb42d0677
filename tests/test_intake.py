"""Intake: bytes kept once, paths never built from unchecked names, nothing followed out of landing/."""

from __future__ import annotations

import os

import pytest

from intake.landing import (
    IntakeError,
    archive_original,
    check_partition,
    landed_files,
    landed_partitions,
    read_landed_bytes,
    safe_file_name,
    sha256_of,
)


def test_archive_is_content_addressed_write_once_and_read_only(tmp_path):
    digest = archive_original(tmp_path, "报告".encode())
    stored = tmp_path / digest
    assert digest == sha256_of("报告".encode()) and stored.read_bytes() == "报告".encode()
    assert not os.access(stored, os.W_OK) or os.geteuid() == 0  # root ignores modes; the mode is still 0444
    assert stored.stat().st_mode & 0o777 == 0o444
    assert archive_original(tmp_path, "报告".encode()) == digest
    assert [p.name for p in tmp_path.iterdir()] == [digest]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("/abs/path/报告.docx", "报告.docx"),
        ("..\\..\\x.txt", "x.txt"),
        ("my report 2022.pdf", "my report 2022.pdf"),
        ("..", "submission"),
        (".hidden", "hidden"),
    ],
)
def test_safe_file_name_strips_directories(name, expected):
    assert safe_file_name(name) == expected


@pytest.mark.parametrize("year, code", [("22", "430405"), ("2022", "43040"), ("2022", "../430"), ("20x2", "430405")])
def test_partition_must_be_year_and_six_digit_code(year, code):
    with pytest.raises(IntakeError):
        check_partition(year, code)


def test_landed_partitions_ignore_malformed_folders_and_symlinks(tmp_path):
    landing = tmp_path / "landing"
    (landing / "2022" / "430405").mkdir(parents=True)
    (landing / "2022" / "430405" / "a.txt").write_text("x", encoding="utf-8")
    (landing / "2022" / "430406").mkdir()  # empty: nothing to do
    (landing / "2022" / "bad-code").mkdir()
    (landing / "2022" / "bad-code" / "a.txt").write_text("x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.txt").write_text("x", encoding="utf-8")
    (landing / "2022" / "430407").symlink_to(outside)
    assert landed_partitions(landing) == [("430405", 2022)]


def test_reading_refuses_symlink_out_of_landing_and_oversized(tmp_path):
    landing = tmp_path / "landing"
    folder = landing / "2022" / "430405"
    folder.mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (folder / "link.txt").symlink_to(secret)
    (folder / "big.txt").write_bytes(b"x" * 2048)
    files = {f.file_name: f for f in landed_files(landing, 2022, "430405")}
    with pytest.raises(IntakeError, match="符号链接"):
        read_landed_bytes(files["link.txt"].path, landing)
    with pytest.raises(IntakeError, match="超过上限"):
        read_landed_bytes(files["big.txt"].path, landing, max_bytes=1024)
    assert read_landed_bytes(files["big.txt"].path, landing) == b"x" * 2048


def test_folders_no_partition_reads_are_reported(tmp_path):
    from intake.landing import unclaimed_partitions

    for year, code in [(2022, "430405"), (2022, "999999"), (1999, "430405")]:
        (tmp_path / str(year) / code).mkdir(parents=True)
        (tmp_path / str(year) / code / "a.txt").write_text("x", encoding="utf-8")
    problems = unclaimed_partitions(tmp_path, {"430405"}, 2000, 2035)
    assert len(problems) == 2 and "999999" in problems[1] and "1999" in problems[0]
