"""Pure parsing: tables + spec -> records, with every repair counted and every error located."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from mycandidate.importer.errors import ImportFailed, RowError
from mycandidate.importer.readers import Table
from mycandidate.importer.records import (
    AreaKey,
    AreaRecord,
    BallotRecord,
    CandidateRecord,
    ParsedDataset,
    PartyRecord,
)
from mycandidate.importer.specs import (
    ABBREVIATION,
    OTHER_NAMES,
    PARTY,
    POSITION,
    SENSITIVE,
    SURNAME,
    AreaLevel,
    BallotSpec,
    DatasetSpec,
)
from mycandidate.importer.text import (
    clean_cell,
    compact_key,
    has_line_break,
    is_shouting,
    party_title,
    slug,
    smart_title,
    split_words,
)

MAX_ERRORS = 50

REPAIR_LINE_BREAKS = "line breaks inside cells joined"
REPAIR_SPLIT_WORDS = "words split by a line break rejoined"
REPAIR_NAMES_CASE = "names in capitals set in title case"
REPAIR_PARTY_NAMES = "party name spellings merged (run together, case, placeholders)"
REPAIR_AREA_NAMES = "area names unified across spellings and case"
REPAIR_DUPLICATES = "duplicate candidate rows dropped"


@dataclass(frozen=True)
class _Row:
    ballot: BallotSpec
    path: list[tuple[AreaKey, str]]
    surname: str
    other_names: str
    party: str | None
    abbreviation: str | None
    position: int | None


@dataclass(frozen=True)
class _Columns:
    surname: str
    other_names: str
    party: str | None
    abbreviation: str | None
    position: str | None
    # Every column the ballot reads: only their repairs are worth reporting.
    used: frozenset[str]


def parse_dataset(
    spec: DatasetSpec, tables: dict[str, Table], *, version: str, source: str
) -> ParsedDataset:
    """Turn the dataset's tables into records; raise ImportFailed listing what is wrong."""
    errors: list[RowError] = []
    repairs: Counter[str] = Counter()
    rows: list[_Row] = []
    dropped: dict[str, list[str]] = {}

    for ballot in spec.ballots:
        table = tables[ballot.file]
        columns = _resolve_columns(ballot, table, errors)
        if columns is None:
            continue
        sensitive = [table.headers[k] for k in table.headers if k in SENSITIVE]
        if sensitive:
            dropped[table.name] = sensitive
        for line, row in table.rows:
            if ballot.row_filter and clean_cell(row.get(ballot.row_filter[0])).casefold() != (
                ballot.row_filter[1].casefold()
            ):
                continue
            for key in columns.used:
                if has_line_break(row[key]):
                    repairs[REPAIR_LINE_BREAKS] += 1
                    repairs[REPAIR_SPLIT_WORDS] += split_words(row[key])
            try:
                rows.append(_parse_row(ballot, columns, row))
            except _CellError as exc:
                errors.append(RowError(table.name, line, exc.message, exc.column))
            if len(errors) >= MAX_ERRORS:
                raise ImportFailed(errors)
    if errors:
        raise ImportFailed(errors)

    areas = _unify_areas([row.path for row in rows], repairs)
    parties = _unify_parties(Counter((row.party, row.abbreviation) for row in rows), repairs)
    candidates = _candidates(rows, parties, repairs)

    return ParsedDataset(
        name=spec.name,
        title=spec.title,
        country=spec.country,
        source=source,
        version=version,
        ballots=[BallotRecord(b.key, b.title, b.area_kind) for b in spec.ballots],
        areas=areas,
        parties=sorted(set(parties.values()), key=lambda p: p.name),
        candidates=candidates,
        site=dict(spec.site),
        repairs=+repairs,
        dropped_columns=dropped,
    )


class _CellError(Exception):
    def __init__(self, column: str | None, message: str):
        self.column = column
        self.message = message


def _first_present(table: Table, choices: tuple[str, ...]) -> str | None:
    return next((c for c in choices if c in table.headers), None)


def _resolve_columns(ballot: BallotSpec, table: Table, errors: list[RowError]) -> _Columns | None:
    levels = [lvl.code_column for lvl in ballot.levels] + [
        lvl.name_column for lvl in ballot.levels if lvl.name_column
    ]
    needed = list(levels)
    if ballot.row_filter:
        needed.append(ballot.row_filter[0])
    surname = _first_present(table, SURNAME)
    other = _first_present(table, OTHER_NAMES)
    missing = [c for c in needed if c not in table.headers]
    if surname is None:
        missing.append("surname")
    if other is None:
        missing.append("other names / full names")
    if missing:
        found = ", ".join(table.headers.values())
        errors.append(
            RowError(table.name, 1, f"missing column(s) {', '.join(missing)}; found: {found}")
        )
        return None
    assert surname is not None and other is not None
    optional = [_first_present(table, choices) for choices in (PARTY, ABBREVIATION, POSITION)]
    party, abbreviation, position = optional
    return _Columns(
        surname=surname,
        other_names=other,
        party=party,
        abbreviation=abbreviation,
        position=position,
        used=frozenset([*levels, surname, other, *(c for c in optional if c)]),
    )


def _parse_row(ballot: BallotSpec, columns: _Columns, row: dict[str, str]) -> _Row:
    path = [_area(level, row) for level in ballot.levels]
    surname = clean_cell(row[columns.surname])
    other = clean_cell(row[columns.other_names])
    if not surname and not other:
        raise _CellError(columns.surname, "candidate has no name")
    party = clean_cell(row[columns.party]) if columns.party else None
    abbreviation = clean_cell(row[columns.abbreviation]) if columns.abbreviation else None
    position = None
    if columns.position:
        text = clean_cell(row[columns.position])
        if text:
            if not text.isdigit() or int(text) < 1:
                raise _CellError(columns.position, f"list position {text!r} is not a number ≥ 1")
            position = int(text)
    return _Row(ballot, path, surname, other, party or None, abbreviation or None, position)


def _area(level: AreaLevel, row: dict[str, str]) -> tuple[AreaKey, str]:
    code = clean_cell(row[level.code_column])
    name = clean_cell(row[level.name_column]) if level.name_column else code
    if level.pattern:
        match = re.match(level.pattern, code)
        if not match:
            raise _CellError(level.code_column, f"{code!r} does not look like a {level.kind}")
        code, name = match["code"].strip(), match["name"].strip()
    if not code:
        raise _CellError(level.code_column, f"empty {level.kind} code")
    if level.code_from_name:
        code = slug(code)
    if level.name_from_code:
        name = level.name_from_code(code)
    return (level.kind, code), name


def _display(variants: Counter[str], *, title_single_words: bool = True) -> str:
    """Pick the best spelling: has letters, has spaces, not all capitals, most common.

    A one-word party name in capitals is usually an acronym-like brand (ACTIONSA,
    #HOPE4SA), so parties pass title_single_words=False.
    """

    def score(item: tuple[str, int]) -> tuple[bool, bool, bool, int]:
        text, count = item
        return any(c.isalpha() for c in text), " " in text, not is_shouting(text), count

    best = max(variants.items(), key=score)[0]
    if is_shouting(best) and (title_single_words or " " in best):
        return smart_title(best)
    return best


def _unify_areas(paths: list[list[tuple[AreaKey, str]]], repairs: Counter[str]) -> list[AreaRecord]:
    names: dict[AreaKey, Counter[str]] = defaultdict(Counter)
    parents: dict[AreaKey, Counter[AreaKey | None]] = defaultdict(Counter)
    depth: dict[AreaKey, int] = {}
    for path in paths:
        parent: AreaKey | None = None
        for index, (key, name) in enumerate(path):
            names[key][name] += 1
            parents[key][parent] += 1
            depth[key] = max(depth.get(key, 0), index)
            parent = key
    records = []
    for key, variants in names.items():
        if len(variants) > 1:
            repairs[REPAIR_AREA_NAMES] += 1
        parent = parents[key].most_common(1)[0][0]
        records.append(AreaRecord(key[0], key[1], _display(variants), parent))
    records.sort(key=lambda r: (depth[(r.kind, r.code)], r.kind, r.code))
    return records


def _party_keys(name: str | None, abbreviation: str | None) -> list[str]:
    keys = []
    if abbreviation and compact_key(abbreviation):
        keys.append("abbr:" + compact_key(abbreviation))
    if name and compact_key(name) and any(c.isalpha() for c in name):
        keys.append("name:" + compact_key(name))
    return keys


def _unify_parties(
    pairs: Counter[tuple[str | None, str | None]], repairs: Counter[str]
) -> dict[tuple[str | None, str | None], PartyRecord]:
    """One party per group of spellings that share an abbreviation or a compacted name.

    'ORANGEDEMOCRATICMOVEMENT', 'Orange Democratic Movement' and a '.....' row whose
    abbreviation is ODM all become one party with the best spelling.
    """
    root: dict[str, str] = {}

    def find(key: str) -> str:
        root.setdefault(key, key)
        while root[key] != key:
            root[key] = root[root[key]]
            key = root[key]
        return key

    for pair in pairs:
        keys = _party_keys(*pair)
        for other in keys[1:]:
            root[find(other)] = find(keys[0])
        if keys:
            find(keys[0])

    names: dict[str, Counter[str]] = defaultdict(Counter)
    abbreviations: dict[str, Counter[str]] = defaultdict(Counter)
    for (name, abbreviation), count in pairs.items():
        keys = _party_keys(name, abbreviation)
        if not keys:
            continue
        group = find(keys[0])
        if name and any(c.isalpha() for c in name):
            names[group][name] += count
        if abbreviation:
            abbreviations[group][abbreviation.upper()] += count

    records: dict[str, PartyRecord] = {}
    used: set[str] = set()
    for group in sorted({find(k) for k in root}):
        abbreviation = abbreviations[group].most_common(1)[0][0] if abbreviations[group] else None
        display = (
            party_title(_display(names[group], title_single_words=False))
            if names[group]
            else (abbreviation or group)
        )
        if display in used:
            display = f"{display} ({abbreviation or group})"
        used.add(display)
        records[group] = PartyRecord(group, display, abbreviation)

    by_pair: dict[tuple[str | None, str | None], PartyRecord] = {}
    for pair, count in pairs.items():
        keys = _party_keys(*pair)
        if keys:
            by_pair[pair] = records[find(keys[0])]
            if pair[0] != by_pair[pair].name:
                repairs[REPAIR_PARTY_NAMES] += count
    return by_pair


def _candidates(
    rows: list[_Row],
    parties: dict[tuple[str | None, str | None], PartyRecord],
    repairs: Counter[str],
) -> list[CandidateRecord]:
    seen: set[tuple[object, ...]] = set()
    candidates = []
    for row in rows:
        surname, other = row.surname, row.other_names
        if is_shouting(surname + other):
            surname, other = smart_title(surname), smart_title(other)
            repairs[REPAIR_NAMES_CASE] += 1
        party = parties.get((row.party, row.abbreviation))
        record = CandidateRecord(
            ballot=row.ballot.key,
            area=row.path[-1][0],
            party=party.key if party else None,
            surname=surname,
            other_names=other,
            list_position=row.position,
        )
        identity = (
            record.ballot,
            record.area,
            record.party,
            compact_key(record.full_name),
            record.list_position,
        )
        if identity in seen:
            repairs[REPAIR_DUPLICATES] += 1
            continue
        seen.add(identity)
        candidates.append(record)
    return candidates
