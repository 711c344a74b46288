"""Every screenshot the README and docs/ show exists, and the demo retakes the README's."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+\.png)\)")


def linked(markdown: Path) -> list[Path]:
    return [markdown.parent / link for link in IMAGE.findall(markdown.read_text("utf-8"))]


def test_every_linked_screenshot_exists() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    links = [path for page in pages for path in linked(page)]
    assert len(links) >= 5
    missing = [str(path.relative_to(ROOT)) for path in links if not path.is_file()]
    assert missing == [], f"screenshots linked but missing: {missing}"


def test_the_readme_screenshots_are_retaken_by_the_script() -> None:
    script = (ROOT / "scripts" / "screenshots.py").read_text("utf-8")
    for path in linked(ROOT / "README.md"):
        assert f'"{path.name}"' in script, f"{path.name} is not retaken by scripts/screenshots.py"
