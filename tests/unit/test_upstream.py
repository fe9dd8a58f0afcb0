import json

import pytest

from mycandidate.importer.errors import ImportFailed
from mycandidate.importer.upstream import dataset_from_settings, loads_lenient, read_settings
from tests.messy import GOOD, HEADERS, PROVINCIAL, SCHEMAS, workbook, write_files


def test_trailing_commas_are_forgiven_without_eval():
    assert loads_lenient('{"a": [1, 2,], "b": "x,}",}') == {"a": [1, 2], "b": "x,}"}
    with pytest.raises(json.JSONDecodeError):
        loads_lenient("{'a': __import__('os')}")


def test_settings_are_read_and_mapped(tmp_path):
    site, schemas = read_settings(workbook(tmp_path / "s.xlsx", GOOD))
    assert set(schemas) == {"provincial", "national_regional"}
    assert site["title"] == "South Africa"
    assert site["partner_url"] == "https://opencitieslab.org"
    assert site["colours"] == {"logo": "#ffc4ab", "footer": "#1d3437"}
    assert "analytics_id" not in site  # the gTag script is never taken from the sheet


def test_shifted_values_are_rejected_naming_sheet_row_column_and_value(tmp_path):
    shifted = ["Title", "Short", "/x.png", "green", "gold", "/y.png", SCHEMAS, *GOOD[7:]]
    with pytest.raises(ImportFailed) as caught:
        read_settings(workbook(tmp_path / "shifted.xlsx", shifted))
    message = str(caught.value)
    assert "shifted.xlsx, sheet site_settings, row 2, column D (data_schemas): 'green'" in message
    assert "column G (google_analytics_key)" in message


def test_bad_colour_is_named(tmp_path):
    values = list(GOOD)
    values[10] = "salmon"
    with pytest.raises(ImportFailed, match=r"column K \(logo_colour\): 'salmon' is not a colour"):
        read_settings(workbook(tmp_path / "c.xlsx", values))


def test_dataset_from_settings_finds_hand_named_files(tmp_path):
    data = write_files(
        tmp_path / "csv", {"provincial.noid.csv": PROVINCIAL, "Regional.csv": PROVINCIAL}
    )
    spec = dataset_from_settings(workbook(tmp_path / "Seed Doc.xlsx", GOOD), data)
    assert spec.name == "seed-doc"
    assert [b.key for b in spec.ballots] == ["provincial", "national_regional"]
    assert [b.file for b in spec.ballots] == ["provincial.noid.csv", "Regional.csv"]
    assert spec.site["explainers"] == {
        "provincial": "Provincial text",
        "national_regional": "Regional text",
    }


def test_missing_data_file_is_named(tmp_path):
    with pytest.raises(ImportFailed, match=r"Provincial\.csv"):
        dataset_from_settings(workbook(tmp_path / "s.xlsx", GOOD), tmp_path)


def test_search_engine_is_a_white_label_setting(tmp_path):
    headers = [*HEADERS, "search_engine"]
    search = "https://www.startpage.com/do/search?q={query}"
    site, _ = read_settings(workbook(tmp_path / "s.xlsx", [*GOOD, search], headers))
    assert site["search_url"] == search
    with pytest.raises(ImportFailed, match=r"'javascript:alert\(1\)' is not a search link"):
        read_settings(workbook(tmp_path / "bad.xlsx", [*GOOD, "javascript:alert(1)"], headers))
    with pytest.raises(ImportFailed, match=r"is not a search link"):
        read_settings(workbook(tmp_path / "noq.xlsx", [*GOOD, "https://example.org/"], headers))
