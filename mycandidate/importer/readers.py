"""Read CSV and XLSX files into the same shape: headers plus (line, row dict) pairs."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mycandidate.importer.errors import ImportFailed, RowError
from mycandidate.importer.text import clean_cell, header_key


@dataclass
class Table:
    """A file's rows keyed by normalised header (see text.header_key)."""

    name: str
    headers: dict[str, str]  # normalised key -> header as written
    rows: list[tuple[int, dict[str, str]]]  # (first line of the record, values)


def read_table(path: Path) -> Table:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    return _read_csv(path)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            RowError(path.name, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"),
            hint="save the file as UTF-8 CSV",
        ) from exc


def _read_csv(path: Path) -> Table:
    text = _decode(path)
    if not text.strip():
        raise ImportFailed(RowError(path.name, 1, "the file is empty"))
    # strict: an unterminated quote (a truncated file) is an error, not a silent merge.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header_row = next(reader)
        headers = _headers(path.name, header_row)
        keys = list(headers)
        rows: list[tuple[int, dict[str, str]]] = []
        start = reader.line_num + 1
        for record in reader:
            if not any(cell.strip() for cell in record):
                start = reader.line_num + 1
                continue
            if len(record) != len(keys):
                raise ImportFailed(
                    RowError(
                        path.name,
                        start,
                        f"expected {len(keys)} fields, found {len(record)} "
                        "(a truncated file or an unquoted comma?)",
                    )
                )
            rows.append((start, dict(zip(keys, record, strict=True))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(
            RowError(path.name, reader.line_num, f"malformed CSV ({exc}); is the file truncated?")
        ) from exc
    return Table(path.name, headers, rows)


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt zip/xml
        raise ImportFailed(RowError(path.name, None, f"not a readable XLSX file ({exc})")) from exc
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header_row = next(values, None)
        if header_row is None:
            raise ImportFailed(RowError(path.name, 1, "the sheet is empty"))
        headers = _headers(path.name, ["" if h is None else str(h) for h in header_row])
        keys = list(headers)
        rows = []
        for line, record in enumerate(values, start=2):
            cells = ["" if v is None else str(v) for v in record[: len(keys)]]
            if any(c.strip() for c in cells):
                cells += [""] * (len(keys) - len(cells))
                rows.append((line, dict(zip(keys, cells, strict=True))))
        return Table(path.name, headers, rows)
    finally:
        workbook.close()


def _headers(file: str, header_row: list[str]) -> dict[str, str]:
    # Trailing empty header cells are spreadsheet padding, not columns.
    while header_row and not header_row[-1].strip():
        header_row = header_row[:-1]
    headers: dict[str, str] = {}
    for position, raw in enumerate(header_row, start=1):
        key = header_key(raw)
        if not key:
            raise ImportFailed(RowError(file, 1, f"column {position} has no header"))
        if key in headers:
            raise ImportFailed(RowError(file, 1, f"duplicate column {clean_cell(raw)!r}"))
        headers[key] = clean_cell(raw)
    return headers
