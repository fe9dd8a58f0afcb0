"""The real published files (MYCANDIDATE_DATA_DIR): every ward answers with exactly its CSV rows."""

import csv
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from mycandidate.db import make_engine
from mycandidate.importer import ImportFailed, load_named, load_upstream
from mycandidate.migrate import upgrade
from tests.conftest import fresh_postgres_database

pytestmark = [pytest.mark.integration, pytest.mark.realdata]


def _norm(text: str) -> str:
    # Spaces do not count: the importer rejoins words a line break split (NDONG'O).
    return "".join(text.split()).casefold()


def expected_wards(data_dir: Path) -> dict[str, Counter[tuple[str, str]]]:
    """An independent reading of Ward_Final.csv: ward code -> the names its rows give."""
    wards: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    with (data_dir / "kenya-2022" / "Ward_Final.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            wards[row["Ward Code"].strip()][(_norm(row["Surname"]), _norm(row["Other Names"]))] += 1
    return wards


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kenya_url(request, data_dir, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'kenya.sqlite3'}"
    else:
        url = fresh_postgres_database(request.getfixturevalue("pg_server"))
    engine = make_engine(url)
    upgrade(engine)
    report = load_named(
        engine, "kenya-2022", data_dir=data_dir, cache_dir=tmp_path_factory.mktemp("c")
    )
    engine.dispose()
    assert report.candidates == 16093 and report.ballots["ward"] == 12996
    assert report.areas == {"county": 47, "constituency": 290, "ward": 1450}
    return url


def test_every_ward_answers_with_exactly_its_csv_rows(kenya_url, data_dir, make_app):
    expected = expected_wards(data_dir)
    assert len(expected) == 1450
    client = make_app(kenya_url).test_client()
    for code, names in expected.items():
        response = client.get(f"/api/v1/wards/{code}/candidates")
        assert response.status_code == 200, code
        body = response.get_json()
        got = Counter((_norm(c["surname"]), _norm(c["other_names"])) for c in body)
        assert got == names, f"ward {code}"
        assert all(c["ward"]["code"] == code and c["ballot"] == "ward" for c in body)
        keys = [(c["surname"].casefold(), c["other_names"].casefold()) for c in body]
        assert keys == sorted(keys), f"ward {code} not ordered by surname"


def test_ward_one_is_port_reitz_with_its_ballots(kenya_url, make_app):
    client = make_app(kenya_url).test_client()
    body = client.get("/api/v1/wards/1/ballot").get_json()
    assert body["ward"]["name"] == "Port Reitz"
    assert [b["key"] for b in body["ballots"]] == [
        "ward", "national_assembly", "women", "senate", "county_governor",
    ]  # fmt: skip
    assert all(b["candidates"] for b in body["ballots"])


def test_no_party_is_left_run_together_or_a_placeholder(kenya_url, make_app):
    import sqlalchemy as sa

    engine = make_engine(kenya_url)
    with engine.connect() as connection:
        names = connection.execute(sa.text("SELECT name FROM parties")).scalars().all()
    engine.dispose()
    assert "....." not in names
    assert not [n for n in names if " " not in n and len(n) > 15]


def test_local_election_sample_serves_ward_candidates_only(data_dir, tmp_path, make_app):
    url = f"sqlite:///{tmp_path / 'lge.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load_named(engine, "south-africa-lge-sample", data_dir=data_dir, cache_dir=tmp_path / "c")
    engine.dispose()
    client = make_app(url, dataset="south-africa-lge-sample").test_client()
    body = client.get("/api/v1/wards/30805001/candidates").get_json()
    assert body and all(c["ballot"] == "ward" and c["ward"]["code"] == "30805001" for c in body)
    assert "list_position" not in body[0]


def test_upstream_seed_settings_load_and_shifted_sample_is_rejected(data_dir, tmp_path):
    url = f"sqlite:///{tmp_path / 'up.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    settings = data_dir / "upstream-settings"
    report = load_upstream(
        engine, settings / "MyCandidate Seed Doc.xlsx", data_dir / "south-africa-2024"
    )
    assert set(report.ballots) == {"national", "provincial", "national_regional"}
    assert report.repairs["duplicate candidate rows dropped"] > 0
    with pytest.raises(ImportFailed) as caught:
        load_upstream(engine, settings / "sample_data.xlsx", data_dir / "kenya-2022")
    assert "sheet site_settings, row 2, column D (data_schemas): 'green'" in str(caught.value)
    engine.dispose()


def test_checksums_of_the_local_files_match_the_catalog(data_dir, tmp_path):
    from mycandidate.importer.catalog import DATASETS
    from mycandidate.importer.locate import locate_files

    for spec in DATASETS.values():
        located = locate_files(spec, data_dir, tmp_path, offline=True)
        assert all(f.verified for f in located), spec.name


def test_cache_copy_with_wrong_checksum_is_not_used(data_dir, tmp_path):
    from mycandidate.importer.catalog import KENYA_2022
    from mycandidate.importer.locate import locate_files

    cache = tmp_path / "datasets" / "kenya-2022"
    cache.mkdir(parents=True)
    for file in KENYA_2022.files:
        shutil.copy(data_dir / "kenya-2022" / file.name, cache / file.name)
    (cache / "Ward_Final.csv").write_text("tampered")
    with pytest.raises(ImportFailed, match=r"Ward_Final\.csv"):
        locate_files(KENYA_2022, None, tmp_path, offline=True)
    assert not (cache / "Ward_Final.csv").exists()
