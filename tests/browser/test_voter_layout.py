"""What a voter sees on a phone and a desktop: real kenya-2022 pages, screenshots, positions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request: pytest.FixtureRequest, chromium: Any, live_server: str) -> Iterator[Any]:
    viewport = request.param
    context = chromium.new_context(
        base_url=live_server,
        viewport=viewport,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
        device_scale_factor=2 if viewport is PHONE else 1,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return dict(found)


def test_the_first_candidate_is_on_screen_and_the_tabs_stay_on_one_row(screen: Any, tmp_path: Path):
    page = screen
    page.goto("/?ballot=county_governor&area=1")  # Mombasa
    viewport = page.viewport_size
    page.screenshot(path=str(tmp_path / f"governor-{viewport['width']}.png"))
    first = box(page.locator(".results .name").first)
    assert first["y"] + first["height"] < viewport["height"]

    tabs = [box(t) for t in page.locator("nav.tabs a.tab").all()]
    assert len({round(t["y"]) for t in tabs}) == 1  # no wrapping onto a second row
    nav = box(page.locator("nav.tabs"))
    assert nav["height"] < 60
    # The page itself never scrolls sideways; only the tab strip may.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_one_seat_ballot_is_one_compact_list_with_the_count(screen: Any, tmp_path: Path):
    page = screen
    page.goto("/?ballot=county_governor&area=1")
    assert page.locator("article.party").count() == 0
    rows = page.locator(".one-list .candidate")
    standing = int(re.search(r"(\d+) candidates?", page.locator(".standing").inner_text())[1])
    assert rows.count() == standing > 1
    assert "Abdullswamad Sheriff Nassir" in page.locator(".one-list").inner_text()
    # Every row is one line or two on a phone, never a card.
    heights = [box(r)["height"] for r in rows.all()]
    assert max(heights) < 70
    page.screenshot(path=str(tmp_path / "governor-list.png"), full_page=True)


def test_the_heading_follows_the_ballot(screen: Any):
    page = screen
    page.goto("/?ballot=senate&area=6")  # Taita Taveta
    assert page.locator("h1").inner_text() == "Senator: who is standing in your county?"
    assert page.locator("#results-title").inner_text().startswith("Senator: Taita Taveta")
    page.goto("/?ballot=county_governor&area=6")
    assert "County Governor" in page.locator("h1").inner_text()
    assert "Agnes Wakesho Mwang'ombe" in page.locator(".results").inner_text()


def test_same_name_wards_show_constituency_and_county(screen: Any):
    page = screen
    page.goto("/?ballot=ward&q=Central")
    items = page.locator("section.matches li")
    assert items.count() > 10
    places = page.locator("section.matches li .place").all_inner_texts()
    assert len(places) == items.count()
    assert all(re.fullmatch(r"[^,]+, [^,]+", p) for p in places)  # constituency, county
    shown = page.locator("section.matches li").all_inner_texts()
    assert len(set(shown)) == len(shown)  # every Central can be told apart


def test_names_are_marked_as_a_web_search_in_a_new_tab(screen: Any):
    page = screen
    page.goto("/?ballot=county_governor&area=1")
    link = page.locator(".results .name").first
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("href").startswith("https://duckduckgo.com/?q=")
    name = link.evaluate("a => a.firstChild.textContent")
    accessible = page.get_by_role("link", name=re.compile(re.escape(name))).first
    assert "web search" in accessible.inner_text() and "new tab" in accessible.inner_text()


def test_the_footer_names_the_source_and_its_date(screen: Any):
    page = screen
    page.goto("/")
    footer = page.locator("footer .source")
    assert "IEBC 2022 candidate lists" in footer.inner_text()
    href = footer.locator("a").get_attribute("href")
    assert href.startswith("https://github.com/opendatadurban/mycandidate/tree/")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", footer.locator("time").get_attribute("datetime"))
