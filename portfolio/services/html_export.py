"""A printable, self-contained HTML folder of the portfolio: ``index.html``, one page per item
under ``items/``, attachments copied under ``files/``. Readable offline in any browser.

Everything the trainee wrote reaches the page through ElementTree, which escapes it; no page
holds a script, and each forbids scripts and remote content in its Content-Security-Policy.
The folder is written beside its destination and renamed in (``write_folder_atomically``).
The content is what the ARCP summary holds (``Portfolio.reports.build_arcp``): private items only
when the trainee names them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from portfolio.reports.model import (
    ArcpReport,
    Field,
    Item,
    RegisterEntry,
    dates_of,
    decision_text,
    long_date,
    role_text,
)
from portfolio.services.attachments import export_path
from portfolio.services.dto import EvidenceDetail
from portfolio.storage.files import write_folder_atomically
from portfolio.vocabulary import status_label

Content = Callable[[str], bytes]
"""The bytes of an attachment, by its SHA-256."""

POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
_STYLE = """
body { font: 11pt/1.45 system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       color: #1d2330; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top;
        padding: .3em .5em .3em 0; border-bottom: 1px solid #d5d9e0; }
dt { font-weight: 600; margin-top: .6em; } dd { margin: 0 0 0 1em; white-space: pre-wrap; }
.muted { color: #5b6472; } .private { color: #9a5b00; font-weight: 600; }
@media print { a { color: inherit; text-decoration: none; } nav { display: none; } }
"""
_INVALID_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(value: str) -> str:
    """Text that XML 1.0 can hold: control characters and lone surrogates become U+FFFD."""
    return _INVALID_CHARS.sub("\ufffd", value)


def element(tag: str, text: str = "", **attributes: str) -> ET.Element:
    node = ET.Element(tag, {k.rstrip("_"): clean(v) for k, v in attributes.items()})
    node.text = clean(text) or None
    return node


def add(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    node = element(tag, text, **attributes)
    parent.append(node)
    return node


def item_body(item: Item, detail: EvidenceDetail, files: str = "") -> ET.Element:
    """An item's content as plain (namespace-free) XHTML: what it is, its fields, its text,
    what it evidences, its attachments (linked under ``files``) and its latest sign-off."""
    body = element("div")
    add(body, "p", f"{item.kind_title} · {dates_of(item)} · {status_text(item)}")
    if item.private:
        add(body, "p", "Private: included by the trainee.", class_="private")
    if item.fields:
        add_fields(body, item.fields)
    if item.text:
        add(body, "h3", item.text_label or "Text")
        add(body, "p", item.text, style="white-space: pre-wrap")
    if detail.links:
        add(body, "h3", "Curriculum links")
        links = add(body, "ul")
        for link in detail.links:
            add(
                links,
                "li",
                f"{link.code}" + (f": {link.justification}" if link.justification else ""),
            )
    if item.tags:
        add(body, "p", "Tags: " + ", ".join(item.tags))
    if detail.attachments:
        add(body, "h3", "Attachments")
        listed = add(body, "ul")
        for attachment in detail.attachments:
            entry = add(listed, "li")
            if files:
                add(entry, "a", attachment.filename, href=files + export_path(attachment))
            else:
                entry.text = clean(attachment.filename)
            add(
                entry,
                "span",
                f" ({attachment.size:,} bytes, {attachment.mime_type})",
                class_="muted",
            )
    if item.signoff is not None:
        add(body, "h3", "Sign-off")
        add(body, "p", signoff_text(item))
    return body


def add_fields(parent: ET.Element, fields: Iterable[Field]) -> None:
    listing = add(parent, "dl")
    for field in fields:
        add(listing, "dt", field.label)
        value = add(listing, "dd", field.text)
        for entry in field.entries:
            add(value, "h4", entry.caption)
            add_fields(value, entry.fields)


def status_text(item: Item) -> str:
    return status_label(item.status)


def signoff_text(item: Item) -> str:
    s = item.signoff
    assert s is not None
    line = (
        f"{decision_text(s.decision)} by {s.signer_name} ({role_text(s.signer_role)}) on "
        f"{s.signed_at}; when exported: {s.trust} "
        f"(key {s.fingerprint})."
    )
    line += f" Comment: {s.comment}" if s.comment else ""
    return line + (f" {s.warning}" if s.warning else "")


# -- the folder ----------------------------------------------------------------------------------


def write_html_export(
    out: Path, report: ArcpReport, details: Mapping[str, EvidenceDetail], content: Content
) -> Path:
    """Write the folder ``out`` (which must not exist yet, or be empty) and return it."""

    def fill(folder: Path) -> None:
        (folder / "items").mkdir()
        _write_page(folder / "index.html", _index(report))
        for item in report.items:
            register = [r for r in report.register if r.item_uuid == item.uuid]
            _write_page(
                folder / "items" / f"{item.uuid}.html",
                _item_page(report, item, details[item.uuid], register),
            )
        for detail in details.values():
            for attachment in detail.attachments:
                target = folder / export_path(attachment)
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content(attachment.sha256))

    return write_folder_atomically(out, fill)


def _page(title: str) -> tuple[ET.Element, ET.Element]:
    html = element("html", lang="en")
    head = add(html, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", **{"http-equiv": "Content-Security-Policy", "content": POLICY})
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    add(head, "title", title)
    add(head, "style", _STYLE)
    return html, add(html, "body")


def _write_page(path: Path, html: ET.Element) -> None:
    markup = ET.tostring(html, encoding="unicode", method="html")
    path.write_text("<!DOCTYPE html>\n" + markup + "\n", encoding="utf-8")


def _index(report: ArcpReport) -> ET.Element:
    trainee = report.trainee
    html, body = _page(f"Portfolio of {trainee.name}")
    add(body, "h1", f"Portfolio of {trainee.name}")
    facts = [f"GMC {trainee.gmc_number}", trainee.grade, trainee.programme, trainee.trust]
    add(body, "p", " · ".join(f for f in facts if f), class_="muted")
    add(
        body,
        "p",
        f"{report.period_text()}. Exported {long_date(report.generated_at.date())} by "
        f"GPC Portfolio {report.app_version}. Sign-offs were verified when exported; this copy "
        "cannot be verified by itself.",
        class_="muted",
    )
    if report.private_included:
        add(
            body,
            "p",
            f"Includes {report.private_included} item(s) marked private.",
            class_="private",
        )
    add(body, "h2", "GPC domains")
    domains = add(body, "table")
    add_row(domains, "th", "Domain", "Items", "Signed off", "Awaiting review")
    for domain in report.domains:
        add_row(
            domains,
            "td",
            f"{domain.code} {domain.title}",
            str(domain.items),
            str(domain.signed),
            str(domain.awaiting_review),
        )
    add(body, "h2", f"Evidence ({len(report.items)} items)")
    listing = add(body, "table")
    add_row(listing, "th", "Date", "Kind", "Title", "Status", "Domains")
    for item in report.items:
        row = add_row(
            listing,
            "td",
            dates_of(item),
            item.kind_title,
            "",
            status_text(item),
            " ".join(item.domains),
        )
        add(row[2], "a", item.title, href=f"items/{item.uuid}.html")
    return html


def add_row(table: ET.Element, cell: str, *texts: str) -> ET.Element:
    row = add(table, "tr")
    for value in texts:
        add(row, cell, value)
    return row


def _item_page(
    report: ArcpReport, item: Item, detail: EvidenceDetail, register: list[RegisterEntry]
) -> ET.Element:
    html, body = _page(item.title)
    nav = add(body, "nav")
    add(nav, "a", f"← Portfolio of {report.trainee.name}", href="../index.html")
    add(body, "h1", item.title)
    body.append(item_body(item, detail, files="../"))
    if len(register) > 1:
        add(body, "h3", "Every sign-off")
        listed = add(body, "ul")
        for entry in register:
            s = entry.signoff
            add(
                listed,
                "li",
                f"{s.signed_at}: {decision_text(s.decision)} by {s.signer_name}, "
                f"{s.verdict.lower()}" + (f". {s.comment}" if s.comment else ""),
            )
    add(body, "p", f"Item {item.uuid}, content digest {item.digest}.", class_="muted")
    return html
