"""The original app's format: a settings workbook whose data_schemas names the CSV files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mycandidate.importer.errors import ImportFailed, RowError
from mycandidate.importer.locate import sha256_of
from mycandidate.importer.specs import AreaLevel, BallotSpec, DatasetSpec, SourceFile
from mycandidate.importer.text import clean_cell, header_key, slug

SHEET = "site_settings"
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_ANALYTICS = re.compile(r"^(?:G|UA|GT|AW)-[A-Z0-9-]{4,}$")
_LINK = re.compile(r"^(?:https?://|/|#$)[^\s\"'<>{}]*$|^[a-z0-9.-]+\.[a-z]{2,}(?:/[^\s\"'<>]*)?$")
_COLOURS = {
    "logocolour": "logo",
    "navbarscolour": "nav",
    "footercolour": "footer",
    "bodyforegroundcolour": "foreground",
    "bodybackgroundcolour": "background",
    "findcandidatesbutton": "button",
    "candidatenamescolour": "names",
}
_LINKS = {
    "faviconlink": "favicon_url",
    "partnerwebsite": "partner_url",
    "organizationlink": "organisation_url",
}
# The web search a candidate's name links to: an https URL with {query} for the name.
_SEARCH = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}/[^\s\"'<>]*\{query\}[^\s\"'<>]*$")
_SEARCH_KEYS = ("searchengine", "searchurl", "candidatesearchurl")
_TEXTS = {
    "title": "title",
    "titleshort": "short_title",
    "partnername": "partner_name",
    "organizationname": "organisation_name",
}


@dataclass(frozen=True)
class _Cell:
    row: int
    letter: str
    header: str
    value: str


def loads_lenient(text: str) -> Any:
    """json.loads that forgives trailing commas (as hand-edited settings have); no eval."""
    out: list[str] = []
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            escaped = char == "\\" and not escaped
            if char == '"' and not escaped:
                in_string = False
        elif char == '"':
            in_string = True
        elif char == ",":
            rest = text[index + 1 :].lstrip()
            if rest[:1] in ("}", "]"):
                continue
        out.append(char)
    return json.loads("".join(out))


def read_settings(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Return (site settings, data_schemas) or raise ImportFailed naming each bad cell."""
    cells = _read_cells(path)
    errors: list[RowError] = []
    site: dict[str, Any] = {"colours": {}, "explainers": {}}
    schemas: dict[str, dict[str, Any]] = {}

    def bad(cell: _Cell, message: str) -> None:
        errors.append(
            RowError(
                path.name,
                cell.row,
                f"{_shorten(cell.value)!r} {message}",
                f"{cell.letter} ({cell.header})",
                SHEET,
            )
        )

    for key, cell in cells.items():
        value = cell.value.strip()
        if not value:
            continue
        if key == "dataschemas":
            schemas = _schemas(value, lambda m, c=cell: bad(c, m))
        elif key in _COLOURS:
            if _HEX.match(value):
                site["colours"][_COLOURS[key]] = value.lower()
            else:
                bad(cell, "is not a colour like #1D3437")
        elif key in _LINKS:
            link = value.strip("\"'")
            if _LINK.match(link):
                bare_domain = not link.startswith(("/", "#", "http"))
                site[_LINKS[key]] = f"https://{link}" if bare_domain else link
            else:
                bad(cell, "is not a link or path")
        elif key in _SEARCH_KEYS:
            if _SEARCH.match(value):
                site["search_url"] = value
            else:
                bad(cell, "is not a search link like https://duckduckgo.com/?q={query}")
        elif key == "googleanalyticskey":
            if _ANALYTICS.match(value):
                site["analytics_id"] = value
            else:
                bad(cell, "is not an analytics measurement id like G-XXXXXXX")
        elif key in _TEXTS:
            if value[:1] in "{[" or _HEX.match(value):
                bad(cell, "does not look like text for this column (values shifted?)")
            else:
                site[_TEXTS[key]] = clean_cell(value)
        elif key.endswith("explainer"):
            site["explainers"][key.removesuffix("explainer")] = clean_cell(value)
    if "dataschemas" not in cells or not cells["dataschemas"].value.strip():
        errors.append(RowError(path.name, 2, "data_schemas is missing or empty", None, SHEET))
    if errors:
        raise ImportFailed(errors, hint="fix the named cells in the settings workbook")
    return site, schemas


def dataset_from_settings(path: Path, data_dir: Path, name: str | None = None) -> DatasetSpec:
    site, schemas = read_settings(path)
    available = sorted(p for p in data_dir.iterdir() if p.is_file()) if data_dir.is_dir() else []
    ballots, sources = [], {}
    for key, schema in schemas.items():
        found = _find_file(schema["file"], available)
        if found is None:
            raise ImportFailed(
                RowError(
                    schema["file"], None, f"named by data_schemas[{key!r}] but not in {data_dir}"
                )
            )
        sources[found.name] = SourceFile(found.name, sha256_of(found))
        ballots.append(
            BallotSpec(
                key, key.replace("_", " ").title(), found.name, (_level(key, schema["locator"]),)
            )
        )
    # Explainers are keyed by ballot; "regional_explainer" belongs to "national_regional".
    explainers = {
        ballot.key: text
        for prefix, text in site.pop("explainers").items()
        for ballot in ballots
        if ballot.key == prefix or ballot.key.endswith("_" + prefix)
    }
    return DatasetSpec(
        name=name or slug(path.stem),
        title=site.get("title", path.stem),
        country=site.get("title", ""),
        origin=f"settings workbook {path.name}",
        files=tuple(sources.values()),
        ballots=tuple(ballots),
        site={**site, "explainers": explainers},
    )


def _find_file(wanted: str, available: list[Path]) -> Path | None:
    """Exact name, else the same name ignoring case, else the one file that only adds an
    infix (Provincial.csv -> Provincial.noid.csv): the names sheets give are hand-typed."""
    exact = [p for p in available if p.name == wanted]
    folded = [p for p in available if p.name.casefold() == wanted.casefold()]
    head, _, ext = wanted.casefold().partition(".")
    infixed = [
        p
        for p in available
        if p.name.casefold().startswith(head + ".") and p.name.casefold().endswith("." + ext)
    ]
    for matches in (exact, folded, infixed):
        if len(matches) == 1:
            return matches[0]
    return None


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _level(ballot: str, locator: list[str]) -> AreaLevel:
    keys = [header_key(c) for c in locator]
    code = next((k for k in keys if k.endswith("code")), None)
    name = next((k for k in keys if k != code), None)
    if code is None:  # a list keyed by name only, e.g. list_type = "Gauteng"
        return AreaLevel(ballot, keys[0], keys[0], code_from_name=True)
    return AreaLevel(code.removesuffix("code") or ballot, code, name)


def _schemas(text: str, bad: Any) -> dict[str, dict[str, Any]]:
    try:
        data = loads_lenient(text)
    except json.JSONDecodeError:
        bad("is not a JSON object of ballot schemas")
        return {}
    if not isinstance(data, dict) or not data:
        bad("is not a JSON object of ballot schemas")
        return {}
    for key, schema in data.items():
        if (
            not isinstance(schema, dict)
            or not isinstance(schema.get("file"), str)
            or not isinstance(schema.get("locator"), list)
            or not schema["locator"]
            or not all(isinstance(c, str) for c in schema["locator"])
        ):
            bad(f"has an invalid schema for {key!r}: expected {{'file': ..., 'locator': [...]}}")
            return {}
    return data


def _read_cells(path: Path) -> dict[str, _Cell]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise ImportFailed(RowError(path.name, None, f"not a readable XLSX file ({exc})")) from exc
    try:
        if SHEET not in workbook.sheetnames:
            raise ImportFailed(RowError(path.name, None, f"no sheet named {SHEET!r}"))
        rows = list(workbook[SHEET].iter_rows(min_row=1, max_row=2, values_only=True))
    finally:
        workbook.close()
    if len(rows) < 2:
        raise ImportFailed(RowError(path.name, 2, "no settings row under the headers", None, SHEET))
    cells = {}
    for index, (header, value) in enumerate(zip(rows[0], rows[1], strict=False), start=1):
        if header is None:
            continue
        cells[header_key(str(header))] = _Cell(
            2, get_column_letter(index), str(header), "" if value is None else str(value)
        )
    return cells
