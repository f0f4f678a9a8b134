from __future__ import annotations

from pathlib import Path

import pytest

from casetracker.importing.reader import ImportFileError, open_source

HEADER = "Docket No.;Last Name;First Name;DOB;Charge"


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", b"", ","),
        ("utf-8", b"\xef\xbb\xbf", ";"),
        ("cp1252", b"", "\t"),
        ("cp1252", b"", ";"),
    ],
)
def test_csv_encodings_and_delimiters(
    tmp_path: Path, encoding: str, bom: bytes, delimiter: str
) -> None:
    lines = [HEADER, "2016KN016969;Peña;José;3/4/1980;PL 221.05", "2016KN016970;Ngo;Anh;;221.10"]
    text = "\r\n".join(line.replace(";", delimiter) for line in lines) + "\r\n"
    path = tmp_path / "list.csv"
    path.write_bytes(bom + text.encode(encoding))
    rows = open_source(path).sheet("list").rows
    assert rows[0] == ["Docket No.", "Last Name", "First Name", "DOB", "Charge"]
    assert rows[1][1:3] == ["Peña", "José"]
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.xlsx", b"", "is empty"),
        ("notes.docx", b"hello", "not a spreadsheet"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "damaged"),
        ("binary.csv", b"\x00\x01\x02" * 100, "not a text"),
    ],
)
def test_unusable_files_are_refused_with_one_line(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        open_source(path).sheet(open_source(path).sheet_names[0])
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        open_source(tmp_path / "nope.xlsx")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_text_from_excel_is_read(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode Text": UTF-16 with a byte order mark, tab-separated; also without."""
    lines = [HEADER, "2016KN016969;Peña;José;3/4/1980;PL 221.05", "2016KN016970;Ngo;Anh;;221.10"]
    text = "\r\n".join(line.replace(";", "\t") for line in lines) + "\r\n"
    path = tmp_path / "list.txt"
    path.write_bytes(text.encode(encoding))  # "utf-16" writes the byte order mark
    rows = open_source(path).sheet("list").rows
    assert rows[0] == ["Docket No.", "Last Name", "First Name", "DOB", "Charge"]
    assert rows[1][1:3] == ["Peña", "José"]
    assert len(rows) == 3
