"""The text repairs on the real published rows of kenya-2022 (MYCANDIDATE_DATA_DIR)."""

from pathlib import Path

import pytest

from mycandidate.importer.catalog import KENYA_2022
from mycandidate.importer.parse import REPAIR_PARTY_NAMES, REPAIR_SPLIT_WORDS, parse_dataset
from mycandidate.importer.readers import read_table
from mycandidate.importer.records import ParsedDataset

pytestmark = [pytest.mark.integration, pytest.mark.realdata]


@pytest.fixture(scope="module")
def kenya(data_dir: Path) -> ParsedDataset:
    folder = data_dir / "kenya-2022"
    tables = {f.name: read_table(folder / f.name) for f in KENYA_2022.files}
    return parse_dataset(KENYA_2022, tables, version="v", source="test")


def names_in(kenya: ParsedDataset, ballot: str, county: str) -> set[str]:
    return {c.full_name for c in kenya.candidates if c.ballot == ballot and c.area[1] == county}


def test_names_a_line_break_split_are_whole_again(kenya):
    mombasa, taita_taveta = (
        names_in(kenya, "county_governor", "1"),
        names_in(kenya, "county_governor", "6"),
    )
    assert "Abdullswamad Sheriff Nassir" in mombasa
    assert "Agnes Wakesho Mwang'ombe" in taita_taveta
    every_name = {c.full_name for c in kenya.candidates}
    assert "Geofrey Ndong'o Kamau" in every_name  # a ward candidate in capitals
    assert not [n for n in every_name if n.endswith((" d", " e"))]
    # Each rejoined word is reported; one-letter initials after several names stay.
    assert kenya.repairs[REPAIR_SPLIT_WORDS] == 8
    assert "Bernard N" in " ".join(every_name)


def test_party_names_read_as_the_parties_write_them(kenya):
    names = {p.name for p in kenya.parties}
    assert {
        "Communist Party of Kenya",
        "Forum for Restoration of Democracy-Kenya",
        "Wiper Democratic Movement-Kenya",
        "Muungano Party",
    } <= names
    assert not [n for n in names if " Of " in n or " For " in n or "- " in n or " -" in n]
    assert kenya.repairs[REPAIR_PARTY_NAMES] > 0
