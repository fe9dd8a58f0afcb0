"""The voter's page, server-rendered (it must work without JavaScript)."""

import pytest

from tests.conftest import messy_kenya_database

pytestmark = pytest.mark.integration


@pytest.fixture
def client(tmp_path, make_app):
    return make_app(messy_kenya_database(tmp_path)).test_client()


def test_front_page_has_a_tab_per_ballot_and_a_plain_search_form(client):
    html = client.get("/").get_data(as_text=True)
    for title in (
        "Member of County Assembly",
        "Member of Parliament",
        "Senator",
        "County Governor",
    ):
        assert title in html
    assert '<form class="search" method="get"' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_search_by_name_shows_the_ward_grouped_by_party(client):
    html = client.get("/?ballot=ward&q=reitz").get_data(as_text=True)
    assert "Member of County Assembly: Port Reitz" in html
    assert html.index("Communist Party Of Kenya") < html.index("Independent")
    assert "Ahmed Kibwana Juba" in html


def test_ambiguous_search_lists_matches_and_unknown_says_so(client):
    html = client.get("/?ballot=ward&q=i").get_data(as_text=True)
    assert "places match" in html and "area=2" in html
    assert "No ward matches" in client.get("/?ballot=ward&q=atlantis").get_data(as_text=True)


def test_county_ballot_and_embed_snippet(client):
    html = client.get("/?ballot=senate&area=1").get_data(as_text=True)
    assert "Senator: Mombasa" in html and "Charles Okumu Bwire" in html
    assert "&lt;iframe src=" in html


def test_theme_css_only_carries_valid_colours(client):
    css = client.get("/theme.css")
    assert css.mimetype == "text/css"
    assert "--button: #b5532c;" in css.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(client):
    assert client.post("/").status_code in (400, 405)
