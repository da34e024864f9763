"""The real pages in headless Chromium (Debian's, driven by Playwright): the extract page on
the example article, untrusted input, search with paging, a statement with its variants.
The run also makes docs/screenshot.png of the extract page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quotewire.web.app import Settings, create_app
from quotewire.web.extraction import BoundedExtractor

from .web_support import live_server

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshot.png"
# Flags for a closed network and a root user (see the machine notes in the README).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url(web_db: str, web_extractor: BoundedExtractor) -> Iterator[str]:
    with live_server(create_app(Settings(db=web_db), web_extractor)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def _quote_colours(page, speaker: str) -> set[str]:
    """The background colours of the article's quote pieces of one speaker (their indexes are
    listed under the speaker in the side panel)."""
    indexes = page.eval_on_selector_all(
        f'.speaker:has(strong:text-is("{speaker}")) .quote-link',
        "links => links.map(a => a.dataset.quote)",
    )
    assert indexes, f"no quotes listed for {speaker}"
    colours = set()
    for index in indexes:
        colours |= set(
            page.eval_on_selector_all(
                f'.article .quote[data-quote="{index}"]',
                "els => els.map(e => getComputedStyle(e).backgroundColor)",
            )
        )
    return colours


def test_extract_page_highlights_assad_in_one_colour(page, base_url: str, example_text: str):
    page.goto(base_url + "/")
    page.fill("#text", example_text)
    page.click("#extract")
    page.wait_for_selector("#article .quote")
    assad = _quote_colours(page, "Bashar al-Assad")
    assert len(assad) == 1
    assert page.locator('.speaker:has(strong:text-is("Bashar al-Assad")) .quote-link').count() >= 10
    us = _quote_colours(page, "United States")
    assert us and us.isdisjoint(assad)
    assert page.locator(".article .cue").count() >= 10
    assert page.locator(".article .mention").count() >= 10
    assert page.locator(".article .boilerplate, .article .caption").count() >= 1
    page.locator(".article .quote").first.click()
    detail = page.locator("#detail")
    assert detail.is_visible()
    assert "Confidence" in detail.inner_text() and "Type" in detail.inner_text()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)


def test_article_markup_is_shown_never_run(page, base_url: str):
    hostile = (
        "Hacked page\n\n<script>window.__pwned = 'script'; alert('script')</script>\n\n"
        'The minister said: "We will <img src=x onerror="window.__pwned=\'img\'; alert(1)"> '
        'never surrender to the attackers," on Monday.\n'
    )
    page.goto(base_url + "/")
    page.fill("#text", hostile)
    page.click("#extract")
    page.wait_for_selector("#article")
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    shown = page.inner_text("#article")
    assert "<script>" in shown and "onerror=" in shown
    assert page.locator("#article script, #article img").count() == 0


def test_upload_an_html_page(page, base_url: str):
    article = (
        "<html><head><title>Assad interview</title></head><body><nav>Home | World</nav>"
        "<article><h1>Assad rules out joining coalition</h1><p>Syrian President Bashar al-Assad "
        "said: &quot;There is no dialogue. There is, let's say, information, but not "
        "dialogue.&quot;</p></article></body></html>"
    )
    page.goto(base_url + "/")
    page.set_input_files(
        "#file", {"name": "assad.html", "mimeType": "text/html", "buffer": article.encode()}
    )
    page.click("#extract")
    page.wait_for_selector("#article .quote")
    assert "There is no dialogue." in "".join(page.locator("#article .quote").all_inner_texts())
    assert "Home | World" not in page.inner_text("#article")  # the page's text, not its chrome
    assert page.locator('.speaker strong:text-is("Bashar al-Assad")').count() == 1


def test_search_with_paging(page, base_url: str):
    page.goto(base_url + "/search")
    page.fill("#q", "barrel bombs")
    page.click("#search")
    rows = page.locator("table.results tbody tr")
    assert rows.count() >= 1 and "barrel" in rows.first.inner_text().lower()
    page.goto(base_url + "/search")
    page.fill("#speaker", "Assad")
    page.click("#search")
    first_page = page.locator(".quote-cell").all_inner_texts()
    assert len(first_page) == 20
    page.click("#next")
    assert "page 2" in page.inner_text(".paging")
    assert set(page.locator(".quote-cell").all_inner_texts()).isdisjoint(first_page)


def test_statement_page_shows_variants_and_flags(page, base_url: str):
    page.goto(base_url + "/people")
    page.click('a:text-is("Bashar al-Assad")')
    page.wait_for_selector(".timeline")
    page.click('table.results a:has-text("That\'s true, through third parties")')
    page.wait_for_selector(".occurrences")
    assert page.locator(".occurrence").count() >= 5
    assert page.locator(".diff del").count() >= 1 and page.locator(".diff ins").count() >= 1
    flags = page.locator(".flags .flag").all_inner_texts()
    assert "changed-words" in flags and "other-speakers" in flags
    assert "bbc.co.uk" in page.inner_text("main")
