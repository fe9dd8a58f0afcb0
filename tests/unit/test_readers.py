from pathlib import Path

import pytest

from mycandidate.importer.errors import ImportFailed
from mycandidate.importer.readers import read_table


def write(tmp_path: Path, data: bytes, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_quoted_line_breaks_stay_in_one_record_and_lines_are_counted(tmp_path):
    path = write(tmp_path, b'a,b\r\n1,"x\ry"\r\n2,z\r\n')
    table = read_table(path)
    assert [line for line, _ in table.rows] == [2, 4]
    assert table.rows[0][1] == {"a": "1", "b": "x\ry"}


def test_byte_order_mark_is_not_part_of_the_first_header(tmp_path):
    table = read_table(write(tmp_path, "\ufeffWard Code,Ward Name\n1,X\n".encode()))
    assert list(table.headers) == ["wardcode", "wardname"]


def test_broken_encoding_names_file_and_line(tmp_path):
    path = write(tmp_path, b"a,b\n1,ok\n2,caf\xe9\n")
    with pytest.raises(ImportFailed) as caught:
        read_table(path)
    assert "f.csv, line 3" in str(caught.value)
    assert "UTF-8" in str(caught.value)


def test_truncated_file_with_open_quote_is_rejected(tmp_path):
    path = write(tmp_path, b'a,b\n1,ok\n2,"unterminated\n')
    with pytest.raises(ImportFailed) as caught:
        read_table(path)
    assert "f.csv, line" in str(caught.value)
    assert "truncated" in str(caught.value)


def test_short_row_is_rejected_with_its_line(tmp_path):
    path = write(tmp_path, b"a,b,c\n1,2,3\n4,5\n")
    with pytest.raises(ImportFailed) as caught:
        read_table(path)
    assert "line 3" in str(caught.value) and "expected 3 fields, found 2" in str(caught.value)


def test_empty_file_and_duplicate_headers_are_rejected(tmp_path):
    with pytest.raises(ImportFailed, match="empty"):
        read_table(write(tmp_path, b""))
    with pytest.raises(ImportFailed, match="duplicate column"):
        read_table(write(tmp_path, b"Party Code,PartyCode\n1,2\n", "d.csv"))


def test_xlsx_rows_have_the_same_shape_as_csv_rows(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ward Code", "Ward Name", None])
    sheet.append([1, "Port Reitz", None])
    path = tmp_path / "w.xlsx"
    workbook.save(path)
    csv_table = read_table(write(tmp_path, b"Ward Code,Ward Name\n1,Port Reitz\n"))
    assert read_table(path).rows == csv_table.rows
