from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """Where a file is wrong: file, line (1-based, as an editor counts), column, what."""

    file: str
    line: int | None
    message: str
    column: str | None = None
    sheet: str | None = None  # spreadsheets: rows and lettered columns, not lines

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f", sheet {self.sheet}"
        if self.line is not None:
            where += f", {'row' if self.sheet else 'line'} {self.line}"
        if self.column:
            where += f", column {self.column}" if self.sheet else f", column {self.column!r}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Nothing was loaded; the errors say where and why."""

    def __init__(self, errors: list[RowError] | RowError, hint: str | None = None):
        self.errors = errors if isinstance(errors, list) else [errors]
        self.hint = hint
        shown = "; ".join(str(e) for e in self.errors[:5])
        more = len(self.errors) - 5
        super().__init__(shown + (f" (and {more} more)" if more > 0 else ""))
