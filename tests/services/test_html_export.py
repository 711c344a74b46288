"""The printable HTML folder, opened as a browser would: every page parsed, every link
followed inside the folder, no script anywhere, the trainee's text escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from portfolio.errors import InvalidInput
from portfolio.exporting import export_html
from portfolio.services.html_export import clean
from tests.conftest import run_cli
from tests.services.export_fixtures import (
    CHART,
    HOSTILE_ATTACHMENT,
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    NAME,
    Filled,
)


class Page(HTMLParser):
    """Tags, attributes and text of one page."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def hrefs(self) -> list[str]:
        return [a[k] for _, a in self.tags for k in ("href", "src") if k in a]


@pytest.fixture(scope="module")
def folder(filled: Filled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_html(filled.portfolio, tmp_path_factory.mktemp("html") / "portfolio")


def pages(folder: Path) -> list[Page]:
    return [Page(p) for p in sorted(folder.rglob("*.html"))]


def test_an_index_and_one_page_per_item_without_the_private_one(
    folder: Path, filled: Filled
) -> None:
    names = {p.name for p in (folder / "items").iterdir()}
    assert names == {f"{u}.html" for u in (filled.hostile, filled.qi, filled.signed)}
    index = Page(folder / "index.html")
    assert f"Portfolio of {NAME}" in index.text
    assert "Only for me" not in "".join(p.text for p in pages(folder))
    assert "GPC2 Professional skills" in index.text


def test_every_link_resolves_inside_the_folder(folder: Path) -> None:
    followed = 0
    for page in pages(folder):
        for href in page.hrefs():
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, href  # readable offline
            target = (page.path.parent / parts.path).resolve()
            assert target.is_relative_to(folder.resolve()) and target.is_file(), href
            followed += 1
    assert followed == 3 + 3 + 3  # index to items, items back, attachments


def test_no_page_holds_a_script_or_anything_that_runs(folder: Path) -> None:
    for page in pages(folder):
        tags = [tag for tag, _ in page.tags]
        assert "script" not in tags and "iframe" not in tags and "img" not in tags
        for _, attrs in page.tags:
            assert not any(name.startswith("on") for name in attrs), attrs
            assert not any(v.strip().lower().startswith("javascript:") for v in attrs.values())
        (policy,) = [a["content"] for t, a in page.tags if a.get("http-equiv") == (
            "Content-Security-Policy")]  # fmt: skip
        assert "default-src 'none'" in policy and "script-src" not in policy


def test_hostile_text_is_shown_as_text(folder: Path, filled: Filled) -> None:
    page = Page(folder / "items" / f"{filled.hostile}.html")
    assert clean(HOSTILE_TITLE) in page.text
    assert clean(HOSTILE_TEXT) in page.text
    assert 'because <i>"reasons"</i>' in page.text
    raw = page.path.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in raw and "<script" not in raw


def test_attachments_are_copied_and_linked(folder: Path, filled: Filled) -> None:
    page = Page(folder / "items" / f"{filled.hostile}.html")
    linked = {(page.path.parent / h).resolve().read_bytes() for h in page.hrefs() if "files/" in h}
    assert linked == {CHART, HOSTILE_ATTACHMENT}
    copied = sorted(p.relative_to(folder).as_posix() for p in (folder / "files").rglob("*.*"))
    assert len(copied) == 2  # the chart attached to two items is copied once
    assert any(name.endswith("script_evil_.html.txt") for name in copied)


def test_a_signed_item_shows_its_sign_off(folder: Path, filled: Filled) -> None:
    text = Page(folder / "items" / f"{filled.signed}.html").text
    assert "Signed off by Tom Hughes (clinical supervisor)" in text
    assert "when exported: Valid, vouched for" in text and "Comment: Good <work>." in text


def test_a_named_private_item_is_included_and_labelled(filled: Filled, tmp_path: Path) -> None:
    out = export_html(filled.portfolio, tmp_path / "with", include_private=[filled.private])
    page = Page(out / "items" / f"{filled.private}.html")
    assert "Only for me." in page.text and "Private: included by the trainee." in page.text
    assert "Includes 1 item(s) marked private." in Page(out / "index.html").text


def test_a_folder_that_is_not_empty_is_never_written_into(filled: Filled, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(InvalidInput, match="not an empty folder"):
        export_html(filled.portfolio, mine)
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # nothing left half-written


def test_an_empty_folder_is_filled(filled: Filled, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = export_html(filled.portfolio, tmp_path / "empty")
    assert (out / "index.html").is_file() and (out / "items").is_dir()


def test_the_command_line_writes_the_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli(data, "init", "--name", NAME, "--gmc", "7000001").returncode == 0
    out = tmp_path / "printable"
    result = run_cli(data, "export", "--format", "html", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert "Evidence (0 items)" in Page(out / "index.html").text
    again = run_cli(data, "export", "--format", "html", "--out", str(out))
    assert again.returncode == 2 and "not an empty folder" in again.stderr
