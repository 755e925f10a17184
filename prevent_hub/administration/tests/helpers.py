from bs4 import BeautifulSoup

HOSTILE = '<script>alert("owned")</script>'


def assert_escaped(html: str):
    """The hostile text is on the page as text, never as markup."""
    assert HOSTILE not in html
    assert "&lt;script&gt;" in html


def error_summary(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html5lib")
    summary = soup.select_one(".govuk-error-summary")
    if summary is None:
        return []
    return [item.get_text(" ", strip=True) for item in summary.select(".govuk-error-summary__list li")]


def banner_text(response) -> str:
    soup = BeautifulSoup(response.content, "html5lib")
    banner = soup.select_one(".govuk-notification-banner")
    return banner.get_text(" ", strip=True) if banner else ""


def input_value(response, name) -> str | None:
    soup = BeautifulSoup(response.content, "html5lib")
    element = soup.select_one(f'[name="{name}"]')
    if element is None:
        return None
    if element.name == "textarea":
        return element.get_text()
    return element.get("value")
