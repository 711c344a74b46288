"""The portfolio as a Leap2A 2010-07 package, the e-portfolio exchange format Mahara and
PebblePad import: a zip holding ``leap2a.xml`` (an Atom feed) and the attachments under
``files/``. docs/formats.md says what maps to what, and what does not survive the trip.

Shaped after the specification (leapspecs.org/2A) and checked against Mahara's importer
(htdocs/import/leap/lib.php): the Leap2 and categories namespaces are bound to the prefixes
``leap2`` and ``categories``, because Mahara matches types, relationships and category schemes
by those CURIE prefixes; item content is an XHTML ``div`` that declares the XHTML namespace as
its default, which is what Mahara unwraps; each attachment is a ``resource`` entry whose
``enclosure`` link names the file in the zip, and the item links to it as ``related`` (an item
with a single enclosure of its own would be taken by Mahara for a file).

Written with ``XMLGenerator``, which escapes every text and attribute; characters XML cannot
hold are replaced first. Identifiers are ``urn:uuid`` URIs: the item's own uuid, or one derived
from the trainee's GMC number, the domain code or the attachment's SHA-256, so exporting twice
gives the same ids (and, under ``SOURCE_DATE_EPOCH``, the same bytes).
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import XMLGenerator

from portfolio.reports.model import ArcpReport, Item, Trainee
from portfolio.services.attachments import export_path
from portfolio.services.dto import AttachmentData, EvidenceDetail
from portfolio.services.html_export import clean, item_body
from portfolio.storage.files import write_zip

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2 = "http://terms.leapspecs.org/"
CATEGORIES = "http://wiki.leapspecs.org/2A/categories/"
XHTML = "http://www.w3.org/1999/xhtml"
VERSION = "http://www.leapspecs.org/2010-07/2A/"
FEED = "leap2a.xml"

LEAP2_TYPES = {
    "reflection": "entry",
    "significant_event": "entry",
    "assessment": "entry",
    "teamwork": "entry",
    "qi_project": "activity",
    "leadership_role": "activity",
    "course": "activity",
    "teaching": "activity",
    "supervisor_meeting": "meeting",
    "pdp_item": "plan",
}
"""The closest Leap2A item type of each kind; any other kind is a plain ``entry``."""
_ROLE_FIELDS = ("role", "your_role")
_TARGET_FIELDS = ("target_date",)
_IDS = uuid.UUID("6f1d3c52-5a0e-4d57-9a43-1b2f0e8c7d61")
"""The namespace of the ids this export derives (uuid5), fixed so that they are stable."""
_NO_NS = None

Content = Callable[[str], bytes]
Attrs = dict[tuple[str | None, str], str]


@dataclass(frozen=True)
class Leap2ASummary:
    path: Path
    items: int
    attachments: int


def derived_id(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_IDS, '/'.join(parts))}"


def rfc3339(moment: datetime) -> str:
    """Database times are naive UTC; report times carry their zone."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def write_leap2a(
    out: Path, report: ArcpReport, details: Mapping[str, EvidenceDetail], content: Content
) -> Leap2ASummary:
    """Write the package to ``out`` atomically (a failure leaves any old file as it was)."""
    files: dict[str, AttachmentData] = {}
    for item in report.items:
        for attachment in details[item.uuid].attachments:
            files.setdefault(attachment.sha256, attachment)
    feed = _feed(report, details, files)

    def members() -> Iterator[tuple[str, bytes]]:
        yield FEED, feed
        for attachment in files.values():
            yield export_path(attachment), content(attachment.sha256)

    write_zip(out, members())
    return Leap2ASummary(Path(out), len(report.items), len(files))


class _Writer:
    """Namespaced elements through XMLGenerator, every text and attribute cleaned first."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.xml = XMLGenerator(self.buffer, "utf-8", short_empty_elements=True)

    def start(self, ns: str | None, name: str, attrs: Attrs | None = None) -> None:
        cleaned = {key: clean(value) for key, value in (attrs or {}).items()}
        self.xml.startElementNS((ns, name), None, cleaned)  # type: ignore[arg-type]

    def end(self, ns: str | None, name: str) -> None:
        self.xml.endElementNS((ns, name), None)
        if name == "entry":  # one entry a line: readable, and diffs well
            self.xml.ignorableWhitespace("\n")

    def leaf(self, ns: str | None, name: str, text: str = "", attrs: Attrs | None = None) -> None:
        self.start(ns, name, attrs)
        if text:
            self.xml.characters(clean(text))
        self.end(ns, name)

    def xhtml(self, node: ET.Element) -> None:
        """A namespace-free ElementTree fragment, written in the XHTML namespace."""
        self.start(XHTML, node.tag, {(_NO_NS, k): v for k, v in node.attrib.items()})
        if node.text:
            self.xml.characters(clean(node.text))
        for child in node:
            self.xhtml(child)
            if child.tail:
                self.xml.characters(clean(child.tail))
        self.end(XHTML, node.tag)

    # -- Leap2A pieces -----------------------------------------------------------------------

    def entry_head(self, title: str, entry_id: str, updated: str, leap_type: str) -> None:
        self.start(ATOM, "entry")
        self.leaf(ATOM, "title", title)
        self.leaf(ATOM, "id", entry_id)
        self.leaf(ATOM, "updated", updated)
        self.leaf(RDF, "type", attrs={(RDF, "resource"): f"leap2:{leap_type}"})

    def text_content(self, text: str) -> None:
        self.leaf(ATOM, "content", text, {(_NO_NS, "type"): "text"})

    def link(self, rel: str, href: str, **extra: str) -> None:
        attrs: Attrs = {(_NO_NS, "rel"): rel, (_NO_NS, "href"): href}
        attrs.update({(_NO_NS, k): v for k, v in extra.items()})
        self.leaf(ATOM, "link", attrs=attrs)

    def category(self, term: str, scheme: str | None = None, label: str | None = None) -> None:
        attrs: Attrs = {(_NO_NS, "term"): term}
        if scheme:
            attrs[(_NO_NS, "scheme")] = f"categories:{scheme}#"
        if label:
            attrs[(_NO_NS, "label")] = label
        self.leaf(ATOM, "category", attrs=attrs)

    def date(self, point: str, value: str) -> None:
        self.leaf(LEAP2, "date", value, {(LEAP2, "point"): point})

    def persondata(self, field: str, value: str, label: str | None = None) -> None:
        attrs: Attrs = {(LEAP2, "field"): field}
        if label:
            attrs[(LEAP2, "label")] = label
        self.leaf(LEAP2, "persondata", value, attrs)


def _feed(
    report: ArcpReport, details: Mapping[str, EvidenceDetail], files: Mapping[str, AttachmentData]
) -> bytes:
    trainee = report.trainee
    w = _Writer()
    generated = rfc3339(report.generated_at)
    person = derived_id("person", trainee.gmc_number)
    gpc = derived_id("gpc")
    domains = {row.code: row for row in report.domains}
    evidence_of = {code: [i.uuid for i in report.items if code in i.domains] for code in domains}

    w.xml.startDocument()
    for prefix, uri in ((None, ATOM), ("rdf", RDF), ("leap2", LEAP2), ("categories", CATEGORIES)):
        w.xml.startPrefixMapping(prefix, uri)
    w.start(ATOM, "feed")
    w.leaf(LEAP2, "version", VERSION)
    w.leaf(ATOM, "id", derived_id("feed", trainee.gmc_number))
    w.leaf(ATOM, "title", f"GPC Portfolio of {trainee.name}: {report.period_text()}")
    w.leaf(ATOM, "updated", generated)
    w.leaf(ATOM, "generator", "GPC Portfolio", {(_NO_NS, "version"): report.app_version})
    w.start(ATOM, "author")
    w.leaf(ATOM, "name", trainee.name)
    w.leaf(ATOM, "uri", person)
    w.end(ATOM, "author")

    _person(w, trainee, person, generated)
    w.entry_head("GMC Generic Professional Capabilities", gpc, generated, "selection")
    w.text_content("The nine GPC domains; each lists the evidence for it in this portfolio.")
    w.category("Abilities", "selection_type")
    for code in domains:
        w.link("leap2:has_part", derived_id("gpc", code))
    w.end(ATOM, "entry")
    for code, row in domains.items():
        w.entry_head(f"{code} {row.title}", derived_id("gpc", code), generated, "ability")
        w.text_content(
            f"GMC Generic Professional Capabilities, {code}: {row.title}. "
            f"{row.items} item(s) of evidence here, {row.signed} signed off."
        )
        w.link("leap2:is_part_of", gpc)
        for item_uuid in evidence_of[code]:
            w.link("leap2:has_evidence", f"urn:uuid:{item_uuid}")
        w.end(ATOM, "entry")
    for item in report.items:
        _item(w, item, details[item.uuid])
    for attachment in files.values():
        _attachment(w, attachment, report, details)
    w.end(ATOM, "feed")
    w.xml.endDocument()
    return w.buffer.getvalue()


def _person(w: _Writer, trainee: Trainee, person: str, generated: str) -> None:
    w.entry_head(trainee.name, person, generated, "person")
    w.text_content(f"Doctor in training, GMC number {trainee.gmc_number}.")
    w.category("Self", "person_type")
    w.persondata("full_name", trainee.name)
    for label, value in (
        ("GMC number", trainee.gmc_number),
        ("Grade", trainee.grade),
        ("Specialty", trainee.specialty),
        ("Programme", trainee.programme),
        ("Region", trainee.region),
        ("Trust", trainee.trust),
        ("Educational supervisor", trainee.educational_supervisor),
    ):
        if value:
            w.persondata("other", value, label)
    w.end(ATOM, "entry")


def _item(w: _Writer, item: Item, detail: EvidenceDetail) -> None:
    leap_type = LEAP2_TYPES.get(item.kind, "entry")
    w.entry_head(item.title, f"urn:uuid:{item.uuid}", rfc3339(detail.updated_at), leap_type)
    w.leaf(ATOM, "published", rfc3339(detail.created_at))
    w.start(ATOM, "content", {(_NO_NS, "type"): "xhtml"})
    w.xml.startPrefixMapping(None, XHTML)
    w.xhtml(item_body(item, detail))
    w.xml.endPrefixMapping(None)
    w.end(ATOM, "content")
    for code in item.domains:
        w.link("leap2:is_evidence_of", derived_id("gpc", code))
    for sha in dict.fromkeys(a.sha256 for a in detail.attachments):
        w.link("related", derived_id("file", sha))
    for tag in item.tags:
        w.category(tag)
    w.date("start", item.occurred_on.isoformat())
    if item.occurred_until:
        w.date("end", item.occurred_until.isoformat())
    for key in _TARGET_FIELDS:
        if detail.fields.get(key):
            w.date("target", str(detail.fields[key]))
    if leap_type == "activity":
        role = next((str(detail.fields[k]) for k in _ROLE_FIELDS if detail.fields.get(k)), "")
        if role:
            w.leaf(LEAP2, "myrole", role)
    w.end(ATOM, "entry")


def _attachment(
    w: _Writer,
    attachment: AttachmentData,
    report: ArcpReport,
    details: Mapping[str, EvidenceDetail],
) -> None:
    owners = [
        (i.title, details[i.uuid])
        for i in report.items
        if any(a.sha256 == attachment.sha256 for a in details[i.uuid].attachments)
    ]
    updated = rfc3339(max(detail.updated_at for _, detail in owners))
    w.entry_head(attachment.filename, derived_id("file", attachment.sha256), updated, "resource")
    w.text_content("Attached to: " + "; ".join(title for title, _ in owners))
    w.category("Offline", "resource_type", "File")
    w.link(
        "enclosure",
        export_path(attachment),
        type=attachment.mime_type,
        length=str(attachment.size),
    )
    w.end(ATOM, "entry")
