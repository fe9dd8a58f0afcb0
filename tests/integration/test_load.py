"""Loading into real SQLite and PostgreSQL: one transaction, re-load replaces, failure changes nothing."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from mycandidate.importer import ImportFailed, load_named
from mycandidate.migrate import current_revision, head_revision
from tests.messy import GOOD, HEADERS, KENYA_FILES, PROVINCIAL, workbook, write_files

pytestmark = pytest.mark.integration
TABLES = ("datasets", "ballots", "areas", "parties", "candidates", "site_settings")


def snapshot(engine: sa.Engine) -> dict[str, object]:
    with engine.connect() as connection:
        counts = {
            t: connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES
        }
        versions = connection.execute(
            sa.text("SELECT name, version FROM datasets ORDER BY name")
        ).all()
        names = (
            connection.execute(sa.text("SELECT full_name FROM candidates ORDER BY id"))
            .scalars()
            .all()
        )
    return {"counts": counts, "versions": versions, "names": names}


def kenya_dir(tmp_path: Path, files: dict[str, str] = KENYA_FILES) -> Path:
    write_files(tmp_path / "data" / "kenya-2022", files)
    return tmp_path / "data"


def test_migrations_reach_head(engine):
    assert current_revision(engine) == head_revision()


def test_load_then_reload_replaces_without_duplicates(engine, tmp_path):
    data = kenya_dir(tmp_path)
    first = load_named(engine, "kenya-2022", data_dir=data, cache_dir=tmp_path / "cache")
    before = snapshot(engine)
    second = load_named(engine, "kenya-2022", data_dir=data, cache_dir=tmp_path / "cache")
    after = snapshot(engine)
    assert not first.replaced and second.replaced
    assert before["counts"] == after["counts"]
    assert after["counts"]["candidates"] == 12 and after["counts"]["datasets"] == 1
    # Local copies that differ from the published files are named, not silently used.
    assert any("differs from the published file" in w for w in first.warnings)


@pytest.mark.parametrize(
    ("file", "content", "expected"),
    [
        (
            "Ward_Final.csv",
            KENYA_FILES["Ward_Final.csv"].replace("Ward Code", "Ward Kode"),
            "line 1",
        ),
        ("Senate_Final.csv", KENYA_FILES["Senate_Final.csv"] + '1,Mombasa,"Truncated', "truncated"),
        (
            "Women_Final.csv",
            KENYA_FILES["Women_Final.csv"].replace("Amina", "Am\udce9na"),
            "line 2",
        ),
    ],
    ids=["wrong-columns", "truncated", "broken-encoding"],
)
def test_bad_file_leaves_the_database_exactly_as_it_was(engine, tmp_path, file, content, expected):
    load_named(engine, "kenya-2022", data_dir=kenya_dir(tmp_path), cache_dir=tmp_path / "cache")
    before = snapshot(engine)
    broken = tmp_path / "broken"
    write_files(broken / "kenya-2022", KENYA_FILES)
    (broken / "kenya-2022" / file).write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(ImportFailed) as caught:
        load_named(engine, "kenya-2022", data_dir=broken, cache_dir=tmp_path / "cache")
    assert file in str(caught.value) and expected in str(caught.value)
    assert snapshot(engine) == before


def test_failure_inside_the_write_rolls_back(engine, tmp_path, monkeypatch):
    """A database error halfway through the insert leaves the old load intact."""
    from mycandidate.importer import load as load_module

    data = kenya_dir(tmp_path)
    load_named(engine, "kenya-2022", data_dir=data, cache_dir=tmp_path / "cache")
    before = snapshot(engine)

    def explode(*_args, **_kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(load_module, "_insert_areas", explode)
    with pytest.raises(sa.exc.OperationalError):
        load_named(engine, "kenya-2022", data_dir=data, cache_dir=tmp_path / "cache")
    assert snapshot(engine) == before


def test_dry_run_writes_nothing(engine, tmp_path):
    report = load_named(
        engine, "kenya-2022", data_dir=kenya_dir(tmp_path), cache_dir=tmp_path / "c", dry_run=True
    )
    assert report.candidates == 12 and report.dry_run
    assert snapshot(engine)["counts"]["candidates"] == 0


def test_offline_without_files_says_where_to_put_them(engine, tmp_path):
    with pytest.raises(ImportFailed) as caught:
        load_named(engine, "kenya-2022", data_dir=tmp_path, cache_dir=tmp_path / "c", offline=True)
    assert str(tmp_path / "kenya-2022") in str(caught.value)
    assert caught.value.hint and "MYCANDIDATE_DATA_DIR" in caught.value.hint


def test_the_settings_workbook_search_engine_is_stored(engine, tmp_path):
    from mycandidate.importer import load_upstream

    search = "https://www.startpage.com/do/search?q={query}"
    settings = workbook(tmp_path / "s.xlsx", [*GOOD, search], [*HEADERS, "search_engine"])
    data = write_files(tmp_path / "csv", {"Provincial.csv": PROVINCIAL, "Regional.csv": PROVINCIAL})
    load_upstream(engine, settings, data)
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT search_url FROM site_settings")).scalar()
    assert stored == search
