import re
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def test_collectstatic_gives_hashed_names_and_rewrites_font_urls(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "prevent_hub.core.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", "-v0")

    css = next(tmp_path.glob("css/application.*.css"))
    fonts = re.findall(r"url\(\"?([^)\"]+\.woff2)\"?\)", css.read_text())
    assert fonts, "the stylesheet should load GOV.UK Frontend's fonts"
    for font in fonts:
        # Relative to the stylesheet, under STATIC_ROOT, with a content hash.
        assert re.search(r"\.[0-9a-f]{12}\.woff2$", font), font
        assert (css.parent / font).resolve().exists(), font
    module = next(tmp_path.glob("js/application.*.js")).read_text()
    assert re.search(r"govuk-frontend\.min\.[0-9a-f]{12}\.js", module), (
        "our module script must import the hashed GOV.UK Frontend file"
    )


def test_make_stops_with_a_clear_message_without_python_312():
    result = subprocess.run(
        ["make", "--no-print-directory", "check-python", "PYTHON="],  # noqa: S607
        cwd=settings.BASE_DIR, capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "needs Python 3.12 or newer" in result.stderr


def test_readme_starts_with_the_two_commands():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text().splitlines()
    commands = [line for line in readme[:10] if line.startswith("make ")]
    assert [line.split()[1] for line in commands] == ["run", "test"]
