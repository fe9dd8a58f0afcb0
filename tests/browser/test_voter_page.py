"""A voter on the real site in headless Chromium: open, search, pick, read, switch ballots.

What the page shows is checked against the API and against the published CSV rows.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Tab

pytestmark = [pytest.mark.browser, pytest.mark.realdata]


def csv_rows(data_dir: Path, file: str, column: str, code: str) -> int:
    """How many candidates the published file lists for one area code."""
    with (data_dir / "kenya-2022" / file).open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if row[column].strip() == code)


def visible_name(link: Any) -> str:
    """A name link's visible text: without the hidden note that it opens a web search."""
    return str(link.evaluate("a => a.firstChild.textContent")).strip()


def shown_groups(page: Any) -> dict[str, list[str]]:
    """Party name -> candidate names, as rendered on the results (cards or one list)."""
    groups: dict[str, list[str]] = {}
    for article in page.locator("article.party").all():
        heading = article.locator("h3").inner_text()
        abbreviation = article.locator("h3 .abbr")
        if abbreviation.count():
            heading = heading.removesuffix(abbreviation.inner_text()).strip()
        groups[heading] = [visible_name(n) for n in article.locator(".name").all()]
    for row in page.locator(".one-list .candidate").all():
        party = row.locator(".party-name").evaluate("e => e.firstChild.textContent").strip()
        groups.setdefault(party, []).append(visible_name(row.locator(".name")))
    return groups


def shown_count(page: Any) -> int:
    return page.locator(".results .name").count()


def api_groups(candidates: list[dict[str, Any]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for c in candidates:
        party = c["party"]["name"] if c["party"] else "Independent"
        groups.setdefault(party, []).append(c["full_name"])
    return groups


def results_title(page: Any) -> str:
    return str(page.locator("#results-title").inner_text())


def api_json(tab: Tab, path: str) -> Any:
    response = tab.page.request.get(path)
    assert response.ok, path
    return response.json()


def assert_same_groups(shown: dict[str, list[str]], expected: dict[str, list[str]]) -> None:
    """Same parties, each with the same names (order within a party is the site's choice)."""
    assert {p: Counter(n) for p, n in shown.items()} == {p: Counter(n) for p, n in expected.items()}


def test_page_opens_with_styles_script_and_no_errors(tab: Tab):
    page = tab.page
    page.goto("/")
    ballots = api_json(tab, "/api/v1/wards/1/ballot")["ballots"]
    tabs = page.locator("nav.tabs a.tab")
    assert tabs.all_inner_texts() == [b["title"] for b in ballots]
    assert page.locator("nav.tabs a.active").inner_text() == ballots[0]["title"]
    # The stylesheet applied (the theme's nav colour) and the script ran (it adds a field).
    background = page.locator(".masthead").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("", "rgba(0, 0, 0, 0)")
    assert page.locator("form.search input[name=area]").count() == 1
    page.wait_for_load_state("networkidle")
    assert tab.problems() == []


def test_type_ahead_suggests_wards_and_a_pick_shows_that_ward_by_party(
    tab: Tab, data_dir: Path, tmp_path: Path
):
    page = tab.page
    page.goto("/")
    # Three Kenyan wards are called Biashara: picking one must show that one, not a list.
    wards = api_json(tab, "/api/v1/wards?q=Biashara")["items"]
    assert len({w["name"] for w in wards}) == 1 and len(wards) > 1
    chosen = wards[-1]

    page.locator("#q").press_sequentially("Biasha", delay=40)
    options = page.locator("#area-options option")
    options.nth(len(wards) - 1).wait_for(state="attached")
    labels = [o.get_attribute("label") for o in options.all()]
    assert labels == [f"code {w['code']}" for w in wards]
    suggestion = options.nth(labels.index(f"code {chosen['code']}")).get_attribute("value")
    assert suggestion == f"{chosen['name']} ({chosen['code']})"

    # Choosing a datalist entry sets the field to its value and fires `input`, as fill does.
    page.locator("#q").fill(suggestion)
    page.get_by_role("button", name="Find candidates").click()
    page.wait_for_url(re.compile(rf"[?&]area={chosen['code']}(&|$)"))

    parents = api_json(tab, f"/api/v1/wards/{chosen['code']}")["parents"]
    heading = results_title(page)
    assert heading.startswith(f"Member of County Assembly: {chosen['name']}")
    assert all(p["name"] in heading for p in parents)

    candidates = api_json(tab, f"/api/v1/wards/{chosen['code']}/candidates")
    shown = shown_groups(page)
    assert_same_groups(shown, api_groups(candidates))
    assert sum(map(len, shown.values())) == csv_rows(
        data_dir, "Ward_Final.csv", "Ward Code", chosen["code"]
    )
    page.screenshot(path=str(tmp_path / "ward.png"), full_page=True)
    assert tab.problems() == []


def test_plain_form_works_without_javascript(tab_without_js: Tab, data_dir: Path):
    page = tab_without_js.page
    page.goto("/")
    assert page.locator("form.search input[name=area]").count() == 0  # no script ran
    page.locator("#q").fill("port reitz")
    page.get_by_role("button", name="Find candidates").click()
    page.wait_for_url(re.compile(r"[?&]q=port\+reitz"))
    assert results_title(page).startswith("Member of County Assembly: Port Reitz")
    shown = shown_groups(page)
    assert sum(map(len, shown.values())) == csv_rows(data_dir, "Ward_Final.csv", "Ward Code", "1")
    assert any(len(names) > 1 for names in shown.values())  # a real grouping, not one per row

    # An ambiguous name lists the matches as links; following one shows that ward.
    page.locator("#q").fill("Biashara")
    page.get_by_role("button", name="Find candidates").click()
    links = page.locator("section.matches a")
    assert links.count() == 3
    links.first.click()
    assert results_title(page).startswith("Member of County Assembly: Biashara")
    assert shown_count(page) > 0
    assert tab_without_js.problems() == []


def test_switching_to_the_county_ballots(tab: Tab, data_dir: Path):
    page = tab.page
    page.goto("/?ballot=ward&area=1")
    ballots = {b["key"]: b for b in api_json(tab, "/api/v1/wards/1/ballot")["ballots"]}
    women = ballots["women"]

    page.get_by_role("link", name=women["title"]).click()
    page.wait_for_url(re.compile(r"[?&]ballot=women"))
    assert page.locator("nav.tabs a.active").inner_text() == women["title"]
    assert "county" in page.locator("label[for=q]").inner_text()
    assert shown_count(page) == 0  # a new ballot starts with a search

    page.locator("#q").fill(women["area"]["name"])
    page.get_by_role("button", name="Find candidates").click()
    page.locator("#results-title").wait_for()
    assert results_title(page).startswith(f"{women['title']}: {women['area']['name']}")
    shown = shown_groups(page)
    assert_same_groups(shown, api_groups(women["candidates"]))
    assert sum(map(len, shown.values())) == csv_rows(
        data_dir, "Women_Final.csv", "County Code", women["area"]["code"]
    )

    governor = ballots["county_governor"]
    page.get_by_role("link", name=governor["title"]).click()
    page.locator("#q").fill(governor["area"]["name"])
    page.locator("#q").press("Enter")
    page.locator("#results-title").wait_for()
    assert_same_groups(shown_groups(page), api_groups(governor["candidates"]))
    assert tab.problems() == []
