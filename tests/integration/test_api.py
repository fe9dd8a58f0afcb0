"""The JSON API on real SQLite and PostgreSQL databases loaded with messy Kenya-format files."""

import pytest

from tests.conftest import messy_kenya_database

pytestmark = pytest.mark.integration


@pytest.fixture
def client(db_url, tmp_path, make_app):
    return make_app(messy_kenya_database(tmp_path, db_url)).test_client()


def test_ward_candidates_are_every_candidate_ordered_by_surname(client):
    response = client.get("/api/v1/wards/1/candidates")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert [c["surname"] for c in body] == ["Abushiri", "Aloo", "Juba", "Mwambi"]
    juba = body[2]
    assert juba == {
        "id": juba["id"],
        "full_name": "Ahmed Kibwana Juba",
        "surname": "Juba",
        "other_names": "Ahmed Kibwana",
        "party": {"name": "Independent", "abbreviation": "IND"},
        "ballot": "ward",
        "area": {"kind": "ward", "code": "1", "name": "Port Reitz"},
        "ward": {"code": "1", "name": "Port Reitz"},
    }
    assert isinstance(juba["id"], int)


def test_etag_and_cache_control_give_304(client):
    first = client.get("/api/v1/wards/2/candidates")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/wards/2/candidates", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/v1/wards/1/candidates", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_unknown_ward_is_a_json_404(client):
    response = client.get("/api/v1/wards/9999/candidates")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "ward_not_found"


@pytest.mark.parametrize(
    "ward_id",
    [
        "abc",
        "-1",
        "1" * 200,
        "1%20OR%201=1",
        "1;DROP%20TABLE%20candidates",
        "..%2F..%2Fetc%2Fpasswd",
        "%E2%98%83",
        "%00",
        "1.5",
        "%ZZ",
    ],
)
def test_malformed_ids_get_a_json_4xx_never_500_or_html(client, ward_id):
    response = client.get(f"/api/v1/wards/{ward_id}/candidates")
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/json"
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_unknown_api_path_and_wrong_method_are_json(client):
    assert client.get("/api/v1/nothing").get_json()["error"]["code"] == "not_found"
    response = client.post("/api/v1/wards/1/candidates")
    assert response.status_code == 405 and response.mimetype == "application/json"


def test_ward_detail_has_its_parents(client):
    body = client.get("/api/v1/wards/1").get_json()
    assert body["name"] == "Port Reitz"
    assert [(p["kind"], p["name"]) for p in body["parents"]] == [
        ("constituency", "Changamwe"),
        ("county", "Mombasa"),
    ]


def test_ward_ballot_lists_every_ballot_a_voter_gets(client):
    body = client.get("/api/v1/wards/1/ballot").get_json()
    names = {b["key"]: [c["full_name"] for c in b["candidates"]] for b in body["ballots"]}
    assert names["national_assembly"] == ["Abdi Mohammed Daib"]
    assert names["women"] == ["Amina Abdalla"]
    assert names["senate"] == ["Charles Okumu Bwire"]
    assert names["county_governor"] == ["Abdullswamad Sheriff Nassir"]
    assert len(names["ward"]) == 4


def test_ward_search_pages_and_escapes_wildcards(client):
    page = client.get("/api/v1/wards?q=port").get_json()
    assert [w["name"] for w in page["items"]] == ["Port Reitz"] and page["total"] == 1
    assert client.get("/api/v1/wards?q=%25").get_json()["total"] == 0
    assert client.get("/api/v1/wards?per_page=1&page=2").get_json()["items"][0]["name"] == "Kipevu"
    assert client.get("/api/v1/wards?page=0").status_code == 400
    assert client.get("/api/v1/areas?kind=county&q=mom").get_json()["items"][0]["name"] == "Mombasa"
    assert client.get("/api/v1/areas?kind=County;--").status_code == 400


def test_openapi_document_is_valid_and_covers_the_routes(client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert "/api/v1/wards/{ward_id}/candidates" in document["paths"]
    assert "/api/v1/wards/{ward_id}/ballot" in document["paths"]


def test_health_endpoints_answer_plain_http(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready == {"status": "ready", "release": None, "dataset": "kenya-2022"}


def test_security_headers(client):
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "nosniff" in client.get("/api/v1/wards/1/candidates").headers["X-Content-Type-Options"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/wards?page=%C2%B2",  # "²": str.isdigit() says yes, int() says no
        "/api/v1/wards?per_page=%C2%B2",
        "/api/v1/areas?kind=ward&page=%E2%91%A0",  # "①"
        "/api/v1/wards?page=",
        "/api/v1/wards?page=10001",
        "/api/v1/wards?q=%00",
        "/api/v1/areas?kind=ward&q=a%00b",
    ],
)
def test_malformed_search_parameters_are_a_400_on_every_backend(client, query):
    response = client.get(query)
    assert response.status_code == 400
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_the_schema_states_the_limits_the_server_applies(client):
    document = client.get("/api/v1/openapi.json").get_json()
    params = {
        p["name"]: p["schema"] for p in document["paths"]["/api/v1/wards"]["get"]["parameters"]
    }
    assert params["page"]["maximum"] == 10_000
    assert client.get("/api/v1/wards?page=10000").status_code == 200
    assert params["per_page"]["maximum"] == 100
    assert "\\u0000" in params["q"]["pattern"]


def test_the_site_treats_a_nul_in_its_query_as_matching_nothing(client):
    for query in ("/?ballot=ward&q=%00", "/?ballot=ward&area=1%00"):
        assert client.get(query).status_code == 200
