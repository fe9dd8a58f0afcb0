"""Schemathesis against the served OpenAPI document, every check, on both databases.

A bounded, derandomized run (the same examples each time, about a minute): positive
and negative data for every operation, each answer validated by every built-in check
(server errors, status code, content type and headers conformance, response schemas,
negative data rejected, positive data accepted, unsupported methods).
"""

import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from werkzeug.serving import make_server

from tests.conftest import fresh_postgres_database, messy_kenya_database

pytestmark = pytest.mark.integration
EXAMPLES = 40  # per operation and mode


@pytest.fixture(params=["sqlite", "postgresql"])
def served_schema(request, tmp_path, make_app):
    url = None
    if request.param == "postgresql":
        url = fresh_postgres_database(request.getfixturevalue("pg_server"))
    app = make_app(messy_kenya_database(tmp_path, url))
    # Over real HTTP, as clients see it: answers arrive compressed and are decoded.
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield schemathesis.openapi.from_url(f"http://127.0.0.1:{server.port}/api/v1/openapi.json")
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode))
def test_the_api_keeps_its_openapi_contract(served_schema, mode):
    operations = [result.ok() for result in served_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case):
            case.call_and_validate()

        conforms()
