import datetime as dt
from pathlib import Path

import pytest

from coverage.cleaning import CleaningError, clean_scraped_text

SEEDS = Path(__file__).resolve().parent.parent / "coverage" / "demo" / "seeds"
FURNITURE = ["Skip to main content", "Popular Video", "bookmarkicon", "chevron downicon", "Photo credit"]


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_it_finds_rts_date_headline_and_body():
    cleaned = clean_scraped_text(_seed("000_fb43e5f0ce7b0368.txt"))
    assert cleaned.headline == "Putin, Trump speak by phone, discuss Syria, N. Korea – Kremlin"
    assert cleaned.published_at == dt.datetime(2017, 5, 2, 18, 40)
    assert cleaned.body.startswith("Russian President Vladimir Putin and his US counterpart")
    assert cleaned.body.endswith("would serve as a “destabilizing factor” in the region.")


def test_it_finds_the_us_sites_headline_and_strips_its_trailer():
    cleaned = clean_scraped_text(_seed("002_63c9fd7a613bfd28.txt"))
    assert cleaned.headline == "Trump And Putin Agree To Cooperate On North Korea"
    assert cleaned.published_at is None
    assert cleaned.body.startswith("President Donald Trump and Russian President Vladimir Putin spoke")
    assert cleaned.body.endswith("Sources: Independent, Reuters via CBC, ABC News")


@pytest.mark.parametrize("name", ["000_fb43e5f0ce7b0368.txt", "002_63c9fd7a613bfd28.txt"])
def test_no_page_furniture_is_left(name):
    cleaned = clean_scraped_text(_seed(name))
    for furniture in FURNITURE:
        assert furniture not in cleaned.body
        assert furniture not in cleaned.headline


def test_it_keeps_curly_quotes_and_dashes_unchanged():
    raw = "Skip to main content\n\nЗаголовок — «тест»\n\n“Quoted,” she said — and left…\n"
    cleaned = clean_scraped_text(raw)
    assert cleaned.headline == "Заголовок — «тест»"
    assert cleaned.body == "“Quoted,” she said — and left…"


def test_it_handles_windows_line_endings_and_a_byte_order_mark():
    cleaned = clean_scraped_text("\ufeffCouncil approves the tram line\r\n\r\nFirst paragraph.\r\n\r\nSecond.\r\n")
    assert cleaned.headline == "Council approves the tram line"
    assert cleaned.body == "First paragraph.\n\nSecond."


@pytest.mark.parametrize("raw", ["", "   \n\n", "Skip to main content\n\nPopular Video", "Only a headline\n"])
def test_it_refuses_text_with_no_article(raw):
    with pytest.raises(CleaningError):
        clean_scraped_text(raw)
