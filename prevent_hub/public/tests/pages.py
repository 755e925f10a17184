"""Helpers shared by the public page tests."""

from bs4 import BeautifulSoup
from django.urls import reverse

from prevent_hub.public.urls import PAGES

# Every public page, by URL name.
PAGE_NAMES = [name for _route, name, _template in PAGES]

# Pages about raising a concern: each must say "call 999" near the top.
CONCERN_PAGES = ["home", "get-help", "online-radicalisation", "practitioners", "channel"]


def url(name: str) -> str:
    return reverse(f"public:{name}")


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html5lib")


def main_content(soup: BeautifulSoup):
    main = soup.find("main", id="main-content")
    assert main is not None, "the page has no <main id=main-content>"
    return main


def text_of(element) -> str:
    """Visible text with whitespace collapsed, as a reader would meet it."""
    return " ".join(element.get_text(" ").split())
