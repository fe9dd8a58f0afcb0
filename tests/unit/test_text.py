import pytest

from mycandidate.importer.text import clean_cell, compact_key, fold, header_key, slug, smart_title


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("United\rDemocratic\r\nMovement", "United Democratic Movement"),
        ("  PORT   REITZ ", "PORT REITZ"),
        ("KwaZulu\u2010Natal", "KwaZulu-Natal"),
        (None, ""),
    ],
)
def test_clean_cell_joins_breaks_and_spaces(raw, clean):
    assert clean_cell(raw) == clean


@pytest.mark.parametrize("header", ["Party Code", "PartyCode", '"Party\rCode"', "party_code"])
def test_header_spellings_share_a_key(header):
    assert header_key(header.strip('"')) == "partycode"


def test_header_key_drops_trailing_punctuation():
    assert header_key("Abbrv.") == header_key("Abbrv") == "abbrv"


def test_smart_title_keeps_apostrophes_and_hyphens_readable():
    assert smart_title("ABDULMAJID SWALEH") == "Abdulmajid Swaleh"
    assert smart_title("O'NEIL OLE-SAPIT") == "O'Neil Ole-Sapit"
    assert smart_title("PEOPLE'S MOVEMENT") == "People's Movement"
    assert smart_title("CHELANG'AT") == "Chelang'at"


def test_fold_and_slug_ignore_accents_and_punctuation():
    assert fold("!KHEIS  Ward") == "kheis ward"
    assert fold("Ngóma") == "ngoma"
    assert slug("KwaZulu-Natal") == "kwazulu-natal"


def test_compact_key_matches_run_together_names():
    assert compact_key("ORANGEDEMOCRATICMOVEMENT") == compact_key("Orange Democratic Movement")
    assert compact_key("United DemocraticMovement") == compact_key("United Democratic Movement")
    assert compact_key(".....") == ""
