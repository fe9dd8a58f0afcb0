"""The voter's page, server-rendered (it must work without JavaScript)."""

import re

import pytest
import sqlalchemy as sa

from mycandidate.db import make_engine
from tests.conftest import messy_kenya_database

pytestmark = pytest.mark.integration


@pytest.fixture
def database(tmp_path):
    return messy_kenya_database(tmp_path)


@pytest.fixture
def client(database, make_app):
    return make_app(database).test_client()


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
    assert html.index("Communist Party of Kenya") < html.index("Independent")
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


def test_heading_follows_the_ballot_and_counts_who_stands(client):
    html = client.get("/?ballot=senate&area=1").get_data(as_text=True)
    assert '<h1 class="title">Senator: who is standing in your county?</h1>' in html
    assert re.search(r"<strong>\d+ candidates?</strong> stands? for Senator in Mombasa", html)
    assert '<meta name="description" content="' in html
    assert "in your ward" not in html


def test_every_match_names_where_it_lies(client):
    html = client.get("/?ballot=ward&q=i").get_data(as_text=True)
    places = re.findall(r'<span class="place">([^<]+)</span>', html)
    assert places == ["Changamwe, Mombasa", "Changamwe, Mombasa"]


def test_names_link_to_the_white_label_web_search_and_say_so(client, database, make_app):
    html = client.get("/?ballot=ward&area=1").get_data(as_text=True)
    assert 'href="https://duckduckgo.com/?q=Ahmed+Kibwana+Juba+Independent" target="_blank"' in html
    assert "(web search on duckduckgo.com, opens in a new tab)" in html
    engine = make_engine(database)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE site_settings SET search_url = :url"),
            {"url": "https://www.startpage.com/do/search?q={query}"},
        )
    engine.dispose()
    html = make_app(database).test_client().get("/?ballot=ward&area=1").get_data(as_text=True)
    assert 'href="https://www.startpage.com/do/search?q=Ahmed+Kibwana+Juba+Independent"' in html
    assert "(web search on startpage.com, opens in a new tab)" in html


def test_footer_names_the_data_source_with_a_link_and_a_date(client):
    html = client.get("/").get_data(as_text=True)
    footer = html[html.index('<footer class="footer">') :]
    assert '<a href="https://github.com/opendatadurban/mycandidate/tree/' in footer
    assert "IEBC 2022 candidate lists" in footer
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">', footer)


def test_static_files_and_theme_have_fingerprinted_urls_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/(?:static/[^"]+|theme\.css[^"]*))"', html)
    assert len(links) == 4  # favicon, stylesheet, theme, script
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{16}$", link), link
        with client.get(link) as response:
            assert response.status_code == 200, link
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # A stale or missing fingerprint is not kept for long.
    assert client.get("/theme.css?v=0").headers["Cache-Control"] == "public, max-age=300"
    with client.get("/static/css/site.css?v=0") as stale:
        assert "immutable" not in stale.headers.get("Cache-Control", "")
