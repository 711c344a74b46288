"""The Leap2A export, checked as a reader of the specification would check it (written from
leapspecs.org/2A and Mahara's importer, htdocs/import/leap/lib.php, not from our writer):
well-formed Atom with the Leap2A namespaces, every entry's id, title, updated and type, links
that resolve, enclosures that name files in the zip, and the trainee's text escaped."""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from portfolio.errors import InvalidInput
from portfolio.exporting import export_leap2a
from portfolio.formats.reader import read_zip
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

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2 = "http://terms.leapspecs.org/"
CATEGORIES = "http://wiki.leapspecs.org/2A/categories/"
XHTML = "http://www.w3.org/1999/xhtml"
A = f"{{{ATOM}}}"
ITEM_TYPES = {
    "entry", "activity", "ability", "achievement", "affiliation", "meeting", "organization",
    "person", "plan", "publication", "resource", "selection",
}  # fmt: skip
"""The Leap2A 2010-07 item types."""
SCHEMES = {"person_type", "selection_type", "resource_type", "life_area", "common_item"}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


class Package:
    """A Leap2A zip read back with the standard library only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.members = {name: archive.read(name) for name in archive.namelist()}
        self.raw = self.members["leap2a.xml"]
        self.feed = ET.fromstring(self.raw)  # raises on XML that is not well formed
        self.prefixes: dict[str, str] = {}  # declared on the feed element
        for event, value in ET.iterparse(io.BytesIO(self.raw), events=("start-ns", "start")):
            if event == "start":
                break
            prefix, uri = value
            self.prefixes[prefix] = uri
        self.entries = {e.findtext(f"{A}id"): e for e in self.feed.findall(f"{A}entry")}

    def of_type(self, leap_type: str) -> list[ET.Element]:
        return [e for e in self.entries.values() if type_of(e) == leap_type]


def type_of(entry: ET.Element) -> str:
    resource = entry.find(f"{{{RDF}}}type").get(f"{{{RDF}}}resource")  # type: ignore[union-attr]
    assert resource is not None and resource.startswith("leap2:"), resource
    return resource.removeprefix("leap2:")


def links(entry: ET.Element, rel: str) -> list[str]:
    return [link.get("href", "") for link in entry.findall(f"{A}link") if link.get("rel") == rel]


@pytest.fixture(scope="module")
def package(filled: Filled, tmp_path_factory: pytest.TempPathFactory) -> Package:
    return Package(export_leap2a(filled.portfolio, tmp_path_factory.mktemp("out") / "p.zip").path)


def test_the_feed_declares_the_leap2a_namespaces_and_version(package: Package) -> None:
    assert package.feed.tag == f"{A}feed"
    # Mahara finds types, relationships and schemes by these CURIE prefixes.
    assert package.prefixes == {"": ATOM, "rdf": RDF, "leap2": LEAP2, "categories": CATEGORIES}
    assert package.feed.findtext(f"{{{LEAP2}}}version") == "http://www.leapspecs.org/2010-07/2A/"
    for required in ("id", "title", "updated"):
        assert package.feed.findtext(f"{A}{required}"), required
    assert RFC3339.match(package.feed.findtext(f"{A}updated") or "")
    assert package.feed.findtext(f"{A}author/{A}name") == NAME
    assert next(iter(package.members)) == "leap2a.xml"  # Mahara looks for it at the top


def test_every_entry_has_an_id_a_title_an_updated_time_and_a_leap2a_type(
    package: Package,
) -> None:
    entries = package.feed.findall(f"{A}entry")
    assert len(package.entries) == len(entries), "entry ids must be unique"
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{required}")) == 1, (required, entry)
        assert (entry.findtext(f"{A}id") or "").startswith("urn:uuid:")
        assert RFC3339.match(entry.findtext(f"{A}updated") or "")
        assert type_of(entry) in ITEM_TYPES
        assert entry.find(f"{A}content") is not None  # Atom: content, or an alternate link
        for category in entry.findall(f"{A}category"):
            scheme = category.get("scheme")
            assert category.get("term")
            if scheme is not None:
                assert scheme.startswith("categories:") and scheme.endswith("#")
                assert scheme.removeprefix("categories:").removesuffix("#") in SCHEMES
        for content in entry.findall(f"{A}content"):
            if content.get("type") == "xhtml":
                assert [child.tag for child in content] == [f"{{{XHTML}}}div"]


def test_one_entry_per_item_and_no_private_item(package: Package, filled: Filled) -> None:
    items = {
        i.removeprefix("urn:uuid:")
        for i, e in package.entries.items()
        if type_of(e) not in ("person", "selection", "ability", "resource")
    }
    assert items == {filled.hostile, filled.qi, filled.signed}
    assert f"urn:uuid:{filled.private}" not in package.entries
    assert b"Only for me" not in package.raw
    qi = package.entries[f"urn:uuid:{filled.qi}"]
    assert type_of(qi) == "activity"
    assert qi.findtext(f"{{{LEAP2}}}myrole") == "Project lead"
    dates = {d.get(f"{{{LEAP2}}}point"): d.text for d in qi.findall(f"{{{LEAP2}}}date")}
    assert dates == {"start": "2025-08-25", "end": "2025-12-12"}
    signed = package.entries[f"urn:uuid:{filled.signed}"]
    assert "Signed off by Tom Hughes (clinical supervisor)" in "".join(signed.itertext())


def test_a_private_item_is_exported_only_when_named(filled: Filled, tmp_path: Path) -> None:
    export_leap2a(filled.portfolio, tmp_path / "with.zip", include_private=[filled.private])
    package = Package(tmp_path / "with.zip")
    entry = package.entries[f"urn:uuid:{filled.private}"]
    assert "Private: included by the trainee." in "".join(entry.itertext())


def test_the_trainee_is_the_feed_author_and_the_self_person_entry(package: Package) -> None:
    (person,) = package.of_type("person")
    assert package.feed.findtext(f"{A}author/{A}uri") == person.findtext(f"{A}id")
    categories = {(c.get("scheme"), c.get("term")) for c in person.findall(f"{A}category")}
    assert ("categories:person_type#", "Self") in categories
    data = {
        (d.get(f"{{{LEAP2}}}field"), d.get(f"{{{LEAP2}}}label")): d.text
        for d in person.findall(f"{{{LEAP2}}}persondata")
    }
    assert data[("full_name", None)] == NAME
    assert data[("other", "GMC number")] == "7000001"
    assert data[("other", "Trust")] == "Royal Devon <NHS>"


def test_gpc_domains_are_abilities_in_an_abilities_selection(
    package: Package, filled: Filled
) -> None:
    (selection,) = package.of_type("selection")
    terms = {(c.get("scheme"), c.get("term")) for c in selection.findall(f"{A}category")}
    assert ("categories:selection_type#", "Abilities") in terms
    abilities = {e.findtext(f"{A}id"): e for e in package.of_type("ability")}
    assert set(links(selection, "leap2:has_part")) == set(abilities)
    titles = sorted(e.findtext(f"{A}title") or "" for e in abilities.values())
    assert len(titles) == 9 and titles[0].startswith("GPC1 Professional values")
    hostile = package.entries[f"urn:uuid:{filled.hostile}"]
    claimed = {
        package.entries[href].findtext(f"{A}title", "").split()[0]
        for href in links(hostile, "leap2:is_evidence_of")
    }
    assert claimed == {"GPC2", "GPC5"}
    for ability_id, ability in abilities.items():
        assert links(ability, "leap2:is_part_of") == [selection.findtext(f"{A}id")]
        for href in links(ability, "leap2:has_evidence"):
            assert ability_id in links(package.entries[href], "leap2:is_evidence_of")


def test_every_link_resolves_and_enclosures_name_files_in_the_zip(package: Package) -> None:
    enclosed: set[str] = set()
    for entry in package.entries.values():
        for link in entry.findall(f"{A}link"):
            rel, href = link.get("rel", ""), link.get("href", "")
            if rel == "enclosure":
                data = package.members[href]  # KeyError: the enclosure names no file
                assert int(link.get("length", "-1")) == len(data)
                assert href.split("/")[1] == hashlib.sha256(data).hexdigest()
                enclosed.add(href)
            else:
                assert href in package.entries, (rel, href)
        # Spec: enclosures link entries to files, never to entries; Mahara takes an entry
        # with exactly one enclosure of its own for a file, so items never carry one.
        if type_of(entry) != "resource":
            assert links(entry, "enclosure") == []
    assert enclosed == set(package.members) - {"leap2a.xml"}
    assert sorted(package.members[name] for name in enclosed) == sorted(
        [CHART, HOSTILE_ATTACHMENT]
    ), "one copy of a file attached to two items"


def test_resources_are_attachments_linked_from_their_items(
    package: Package, filled: Filled
) -> None:
    files = {e.findtext(f"{A}title"): e for e in package.of_type("resource")}
    assert set(files) == {'../../<script>evil".html', "run chart.pdf"}
    chart_id = files["run chart.pdf"].findtext(f"{A}id")
    for uuid in (filled.hostile, filled.qi):
        assert chart_id in links(package.entries[f"urn:uuid:{uuid}"], "related")
    (href,) = links(files['../../<script>evil".html'], "enclosure")
    assert href.endswith("/script_evil_.html.txt")  # cannot climb out, never runs as a page
    categories = {
        (c.get("scheme"), c.get("term")) for c in files["run chart.pdf"].iter(f"{A}category")
    }
    assert categories == {("categories:resource_type#", "Offline")}


def test_hostile_text_is_escaped_and_survives_the_round_trip(
    package: Package, filled: Filled
) -> None:
    entry = package.entries[f"urn:uuid:{filled.hostile}"]
    assert entry.findtext(f"{A}title") == clean(HOSTILE_TITLE)
    assert "\ufffdbell" in (entry.findtext(f"{A}title") or "")  # BEL cannot be in XML 1.0
    (div,) = entry.find(f"{A}content") or []
    text = "".join(div.itertext())
    assert clean(HOSTILE_TEXT) in text
    assert {node.tag.split("}")[1] for node in div.iter()} <= {
        "div", "p", "dl", "dt", "dd", "h3", "h4", "ul", "li", "span",
    }  # fmt: skip
    assert all(not name.startswith("on") for node in div.iter() for name in node.attrib)
    assert b"<script" not in package.raw and b"&lt;script&gt;" in package.raw
    assert package.feed.findtext(f"{A}author/{A}name") == NAME
    assert {c.get("term") for c in entry.findall(f"{A}category")} == {
        "<tag>",
        "nights & weekends",
    }
    # The zip passes our own hostile-zip reader: safe names, no links, sizes as claimed.
    assert set(read_zip(package.path, "Leap2A package", lambda _: True)) == set(package.members)


def test_mahara_finds_its_xhtml_wrapper(package: Package) -> None:
    """Mahara strips exactly '<div xmlns="http://www.w3.org/1999/xhtml">' from content."""
    contents = re.findall(rb'<content type="xhtml">(.{42})', package.raw)
    assert contents and set(contents) == {b'<div xmlns="http://www.w3.org/1999/xhtml">'}


def test_reproducible_under_source_date_epoch(
    filled: Filled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = export_leap2a(filled.portfolio, tmp_path / "a.zip").path.read_bytes()
    second = export_leap2a(filled.portfolio, tmp_path / "b.zip").path.read_bytes()
    assert first == second
    feed = Package(tmp_path / "a.zip").feed
    assert feed.findtext(f"{A}updated") == "2026-01-01T00:00:00Z"
    assert datetime.fromisoformat(feed.findtext(f"{A}updated") or "").year == 2026


def test_a_failed_export_leaves_the_old_file_and_no_partial(
    filled: Filled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "leap2a.zip"
    out.write_bytes(b"the previous export")

    def broken(sha256: str) -> bytes:
        raise InvalidInput("disk trouble")

    monkeypatch.setattr(filled.portfolio.evidence, "attachment_content", broken)
    with pytest.raises(InvalidInput, match="disk trouble"):
        export_leap2a(filled.portfolio, out)
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in out.parent.iterdir()] == ["leap2a.zip"]


def test_the_command_line_writes_the_package(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli(data, "init", "--name", NAME, "--gmc", "7000001").returncode == 0
    result = run_cli(
        data, "add", "--kind", "course", "--title", "ALS <course>", "--date", "2026-01-05",
        "--domain", "GPC2.4",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out.zip"
    result = run_cli(data, "export", "--format", "leap2a", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Exported 1 items and 0 attachments" in result.stdout
    package = Package(out)
    assert [e.findtext(f"{A}title") for e in package.of_type("activity")] == ["ALS <course>"]
    refused = run_cli(data, "export", "--out", str(tmp_path / "x.gpcportfolio"),
                      "--include-private", "0b5f5a9e-0000-4000-8000-000000000000")  # fmt: skip
    assert refused.returncode == 2 and "--include-private is for" in refused.stderr
    assert not (tmp_path / "x.gpcportfolio").exists()
