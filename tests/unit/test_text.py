import pytest

from mycandidate.importer.text import (
    clean_cell,
    compact_key,
    fold,
    header_key,
    party_title,
    slug,
    smart_title,
    split_words,
)


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


@pytest.mark.parametrize(
    ("raw", "clean", "split"),
    [
        ("Abdullswama\rd Sheriff", "Abdullswamad Sheriff", 1),  # lower case goes on
        ("Mwang'omb\re", "Mwang'ombe", 1),
        ("GEOFREY NDONG'\rO", "GEOFREY NDONG'O", 1),  # no word ends in an apostrophe
        ("MWAKWAMBIRIZW\rA", "MWAKWAMBIRIZWA", 1),  # a one-word cell ending in a letter
        ("Lonyang'apu\rO", "Lonyang'apuo", 1),
        ("Mwakulegw\rA", "Mwakulegwa", 1),
        ("BRIAN CHIENG'\rANYANGO", "BRIAN CHIENG' ANYANGO", 0),  # Luo names end in one
        ("GITONGA BERNARD\rN", "GITONGA BERNARD N", 0),  # an initial after several words
        ("Said Mbovu Hassan\rW", "Said Mbovu Hassan W", 0),
        ("ABDULMAJID\rSWALEH", "ABDULMAJID SWALEH", 0),
        ("Forum For Restoration\rof Democracy", "Forum For Restoration of Democracy", 0),
        ("Agnes\rWakesho", "Agnes Wakesho", 0),
        ("FESTUS  KIRIMI M\r`TURUCHIU", "FESTUS KIRIMI M `TURUCHIU", 0),
    ],
)
def test_words_split_by_a_line_break_are_rejoined_and_counted(raw, clean, split):
    assert clean_cell(raw) == clean
    assert split_words(raw) == split


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Communist Party Of Kenya", "Communist Party of Kenya"),
        ("Forum For Restoration Of Democracy- Kenya", "Forum for Restoration of Democracy-Kenya"),
        ("Wiper Democratic Movement- Kenya", "Wiper Democratic Movement-Kenya"),
        ("Movement For Democracy And Growth", "Movement for Democracy and Growth"),
        ("The Service Party", "The Service Party"),  # a first word keeps its capital
        ("Democratic Action Party -Kenya", "Democratic Action Party-Kenya"),
    ],
)
def test_party_titles_keep_particles_lower_case_and_hyphens_tight(raw, title):
    assert party_title(raw) == title


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
