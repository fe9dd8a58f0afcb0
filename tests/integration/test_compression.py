"""Text is sent compressed to clients that accept it: same bytes once decoded, own ETag."""

import gzip
import re

import brotli
import pytest

from tests.conftest import messy_kenya_database

pytestmark = pytest.mark.integration
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.fixture
def client(tmp_path, make_app):
    return make_app(messy_kenya_database(tmp_path)).test_client()


def text_urls(client):
    html = client.get("/?ballot=ward&area=1").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js)[^"]*)"', html)
    return ["/?ballot=ward&area=1", "/api/v1/wards/1/ballot", "/api/v1/openapi.json", *links]


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_html_css_js_and_json_decode_to_the_same_bytes(client, encoding):
    urls = text_urls(client)
    assert any(".css" in u for u in urls) and any(".js" in u for u in urls)
    for url in urls:
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
        assert packed.status_code == plain.status_code == 200, url
        assert "Accept-Encoding" in packed.headers.get("Vary", ""), url
        if len(plain.data) < 500:
            continue  # too small to gain
        assert packed.headers["Content-Encoding"] == encoding, url
        assert DECODE[encoding](packed.data) == plain.data, url
        assert len(packed.data) < len(plain.data)
        if "ETag" in plain.headers:
            etag = packed.headers["ETag"]
            assert etag != plain.headers["ETag"], url  # one representation, one ETag
            again = client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": etag})
            assert again.status_code == 304, url


def test_a_client_without_accept_encoding_gets_identity(client):
    response = client.get("/api/v1/wards/1/ballot")
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["ward"]["code"] == "1"
