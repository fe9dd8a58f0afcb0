"""docs/api.md documents every path the served OpenAPI document declares."""

from pathlib import Path

import pytest

from mycandidate import create_app
from mycandidate.settings import Settings

pytestmark = pytest.mark.unit
API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture
def served_openapi(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'doc.sqlite3'}", testing=True))
    try:
        response = app.test_client().get("/api/v1/openapi.json")
        assert response.status_code == 200
        yield response.get_json()
    finally:
        app.extensions["mycandidate.engine"].dispose()


def test_every_served_path_and_method_has_a_section_in_api_md(served_openapi):
    doc = API_DOC.read_text(encoding="utf-8")
    paths = served_openapi["paths"]
    assert paths, "the OpenAPI document declares no paths"
    missing = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method in operations
        if f"## `{method.upper()} {path}`" not in doc
    ]
    assert missing == []


def test_the_endpoints_outside_the_openapi_document_are_documented_too():
    doc = API_DOC.read_text(encoding="utf-8")
    for path in ("/api/v1/openapi.json", "/healthz", "/readyz"):
        assert f"## `GET {path}`" in doc
