from collections import Counter
from pathlib import Path

import pytest

from mycandidate.importer.catalog import KENYA_2022, SOUTH_AFRICA_2024, SOUTH_AFRICA_LGE_SAMPLE
from mycandidate.importer.errors import ImportFailed
from mycandidate.importer.parse import (
    REPAIR_DUPLICATES,
    REPAIR_LINE_BREAKS,
    REPAIR_PARTY_NAMES,
    parse_dataset,
)
from mycandidate.importer.readers import read_table
from tests.messy import KENYA_FILES, LGE, PROVINCIAL, write_files


def parse(spec, folder: Path, files: dict[str, str]):
    write_files(folder, files)
    tables = {name: read_table(folder / name) for name in files}
    return parse_dataset(spec, tables, version="v", source="test")


@pytest.fixture
def kenya(tmp_path):
    return parse(KENYA_2022, tmp_path, KENYA_FILES)


def test_kenya_hierarchy_county_constituency_ward(kenya):
    areas = {(a.kind, a.code): a for a in kenya.areas}
    assert areas[("ward", "1")].name == "Port Reitz"
    assert areas[("ward", "1")].parent == ("constituency", "1")
    assert areas[("constituency", "1")].parent == ("county", "1")
    assert areas[("county", "1")].name == "Mombasa"  # MOMBASA and Mombasa are one county
    kinds = [a.kind for a in kenya.areas]
    assert kinds.index("county") < kinds.index("constituency") < kinds.index("ward")


def test_party_spellings_merge_into_one_readable_party(kenya):
    by_abbreviation = {p.abbreviation: p.name for p in kenya.parties}
    assert by_abbreviation["UDM"] == "United Democratic Movement"
    assert by_abbreviation["ODM"] == "Orange Democratic Movement"
    # '.....' is a placeholder; the abbreviation finds the real name elsewhere in the data.
    assert by_abbreviation["CPK"] == "Communist Party of Kenya"
    assert len({p.name for p in kenya.parties}) == len(kenya.parties)


def test_repairs_are_counted(kenya):
    assert kenya.repairs[REPAIR_DUPLICATES] == 1
    assert kenya.repairs[REPAIR_LINE_BREAKS] >= 5
    assert kenya.repairs[REPAIR_PARTY_NAMES] >= 4


def test_candidate_names_are_title_cased_and_complete(kenya):
    ward_1 = sorted(c.full_name for c in kenya.candidates if c.area == ("ward", "1"))
    assert ward_1 == [
        "Ahmed Kibwana Juba",
        "Esha Abdallah Abushiri",
        "Jane Ndagano Mwambi",
        "Nicholas Otieno Aloo",
    ]
    assert Counter(c.ballot for c in kenya.candidates) == {
        "ward": 7,
        "national_assembly": 2,
        "women": 1,
        "senate": 1,
        "county_governor": 1,
    }


def test_missing_column_is_reported_with_the_file(tmp_path):
    files = dict(KENYA_FILES)
    files["Women_Final.csv"] = "County Code,Surname,Other Names\r\n1,A,B\r\n"
    with pytest.raises(ImportFailed) as caught:
        parse(KENYA_2022, tmp_path, files)
    message = str(caught.value)
    assert "Women_Final.csv, line 1" in message and "countyname" in message


def test_bad_list_position_is_reported_with_file_line_and_column(tmp_path):
    bad = PROVINCIAL.replace("Gauteng,2,PETUNIA", "Gauteng,two,PETUNIA", 1)
    files = {
        "National.noid.csv": PROVINCIAL,
        "Provincial.noid.csv": bad,
        "Regional.noid.csv": PROVINCIAL,
    }
    with pytest.raises(ImportFailed) as caught:
        parse(SOUTH_AFRICA_2024, tmp_path, files)
    assert "Provincial.noid.csv, line 3, column 'orderno'" in str(caught.value)


def test_south_africa_lists_keyed_by_province_name(tmp_path):
    files = {
        "National.noid.csv": PROVINCIAL,
        "Provincial.noid.csv": PROVINCIAL,
        "Regional.noid.csv": PROVINCIAL,
    }
    parsed = parse(SOUTH_AFRICA_2024, tmp_path, files)
    provinces = {a.code: a.name for a in parsed.areas if a.kind == "province"}
    assert provinces == {"gauteng": "Gauteng", "kwazulu-natal": "KwaZulu-Natal"}
    leaders = [c for c in parsed.candidates if c.ballot == "provincial" and c.list_position == 1]
    assert {c.full_name for c in leaders} == {"Motsamai John Mathuhle", "Sihle Zikalala"}
    # One-word brand names in capitals are kept as written.
    assert "#HOPE4SA" in {p.name for p in parsed.parties}


def test_local_election_ward_and_pr_candidates(tmp_path):
    parsed = parse(SOUTH_AFRICA_LGE_SAMPLE, tmp_path, {SOUTH_AFRICA_LGE_SAMPLE.files[0].name: LGE})
    areas = {(a.kind, a.code): a for a in parsed.areas}
    assert areas[("ward", "30804001")].name == "Ward 1"
    assert areas[("ward", "30804001")].parent == ("municipality", "NC084")
    assert areas[("municipality", "NC084")].name == "!Kheis"
    by_ballot = Counter(c.ballot for c in parsed.candidates)
    assert by_ballot == {"ward": 2, "pr": 2}
    assert {c.area for c in parsed.candidates if c.ballot == "pr"} == {("municipality", "NC084")}
