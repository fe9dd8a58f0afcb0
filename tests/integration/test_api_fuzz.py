"""Whatever a client puts in the URL, the API answers JSON and never a 500."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import messy_kenya_database

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from mycandidate import create_app
    from mycandidate.settings import Settings

    url = messy_kenya_database(tmp_path_factory.mktemp("fuzz"))
    app = create_app(Settings(database_url=url, secret_key="k", testing=True))
    yield app.test_client()
    app.extensions["mycandidate.engine"].dispose()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ward_id=st.text(min_size=1, max_size=300))
def test_any_ward_id_gets_json_and_no_server_error(client, ward_id):
    for suffix in ("/candidates", "", "/ballot"):
        response = client.get(f"/api/v1/wards/{quote(ward_id, safe='')}{suffix}")
        assert response.status_code < 500
        assert response.mimetype == "application/json"
        if response.status_code >= 400:
            assert set(response.get_json()["error"]) == {"code", "message"}


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=150), page=st.text(max_size=8), kind=st.text(max_size=40))
def test_any_search_query_gets_json_and_no_server_error(client, q, page, kind):
    response = client.get("/api/v1/areas", query_string={"q": q, "page": page, "kind": kind})
    assert response.status_code < 500 and response.mimetype == "application/json"
    site = client.get("/", query_string={"q": q, "ballot": kind, "area": page})
    assert site.status_code == 200
