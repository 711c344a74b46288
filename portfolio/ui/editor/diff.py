"""What changed between two revisions of an item, field by field (plain Python, no Qt).

A revision snapshot is the dict ``EvidenceService.revisions()`` returns (see
``portfolio.services.evidence.snapshot_of``). :func:`revision_changes` turns two snapshots into
readable :class:`Change` rows; :func:`word_diff_html` marks the words a long text gained and lost.
Labels of the item's own attributes are English source strings that the Qt side translates
(context ``RevisionDiff``).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from portfolio.kinds import FieldSpec, KindTemplate
from portfolio.vocabulary import status_label


def _noop(text: str) -> str:
    """Marks a source string for translation (``QT_TRANSLATE_NOOP("RevisionDiff", ...)``)."""
    return text


LABELS = {
    "title": _noop("Title"),
    "occurred_on": _noop("Date"),
    "occurred_until": _noop("End date"),
    "text": _noop("Main text"),
    "links": _noop("GPC domains"),
    "tags": _noop("Tags"),
    "attachments": _noop("Attachments"),
    "private": _noop("Private"),
    "placement_id": _noop("Placement"),
    "status": _noop("Status"),
    "deleted": _noop("In the trash"),
}


@dataclass(frozen=True)
class Change:
    """One attribute that differs. ``long`` asks for a word diff rather than "before → after"."""

    key: str
    label: str
    before: str
    after: str
    long: bool = False


def format_date(value: object) -> str:
    if not value:
        return ""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%b %Y}"


def format_value(spec: FieldSpec, value: object, translate: Callable[[str], str]) -> str:
    """A field's value as a person reads it."""
    if value is None or value == "" or value == []:
        return ""
    if spec.type == "bool":
        return translate("Yes") if value else translate("No")
    if spec.type == "date":
        return format_date(value)
    if spec.type == "choice":
        return spec.choice_label(str(value))
    if spec.type == "list" and isinstance(value, list | tuple):
        return ", ".join(spec.choice_label(str(item)) for item in value)
    if spec.type == "repeat" and isinstance(value, list | tuple):
        blocks = []
        noun = singular(spec.label)
        for number, entry in enumerate(value, start=1):
            lines = [f"{noun} {number}"]
            if isinstance(entry, Mapping):
                for sub in spec.fields:
                    text = format_value(sub, entry.get(sub.key), translate)
                    if text:
                        lines.append(f"{sub.label}: {text}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)
    return str(value)


def singular(label: str) -> str:
    """'PDSA cycles' → 'PDSA cycle' (templates name a repeat field in the plural)."""
    if label.endswith("s") and not label.endswith("ss"):
        return label[:-1]
    return label


def revision_changes(
    previous: Mapping[str, Any] | None,
    current: Mapping[str, Any],
    kind_template: KindTemplate | None,
    *,
    domain_titles: Mapping[str, str] | None = None,
    placement_names: Mapping[int, str] | None = None,
    translate: Callable[[str], str] = _noop,
    word: Callable[[str], str] = _noop,
) -> list[Change]:
    """The differences from ``previous`` to ``current`` (all content when previous is None).

    ``translate`` translates this module's labels, ``word`` those of ``portfolio.vocabulary``.
    """
    before = previous or {}
    titles = domain_titles or {}
    places = placement_names or {}
    changes: list[Change] = []

    def add(key: str, label: str, old: str, new: str, long: bool = False) -> None:
        if old != new:
            changes.append(Change(key, label, old, new, long))

    add(
        "title",
        translate(LABELS["title"]),
        str(before.get("title", "")),
        str(current.get("title", "")),
    )
    for key in ("occurred_on", "occurred_until"):
        add(
            key, translate(LABELS[key]), format_date(before.get(key)), format_date(current.get(key))
        )

    old_fields = before.get("fields") or {}
    new_fields = current.get("fields") or {}
    specs: Sequence[FieldSpec] = kind_template.fields if kind_template else ()
    known = {spec.key for spec in specs}
    for spec in specs:
        long = spec.type in ("longtext", "repeat")
        add(
            f"fields.{spec.key}",
            spec.label,
            format_value(spec, old_fields.get(spec.key), translate),
            format_value(spec, new_fields.get(spec.key), translate),
            long,
        )
    for key in sorted((set(old_fields) | set(new_fields)) - known):  # a template changed since
        add(f"fields.{key}", key, str(old_fields.get(key, "")), str(new_fields.get(key, "")))

    text_label = kind_template.text_label if kind_template and kind_template.text_label else None
    add(
        "text",
        text_label or translate(LABELS["text"]),
        str(before.get("text", "")),
        str(current.get("text", "")),
        True,
    )

    add(
        "links",
        translate(LABELS["links"]),
        _links_text(before, titles),
        _links_text(current, titles),
        True,
    )
    add(
        "tags",
        translate(LABELS["tags"]),
        ", ".join(before.get("tags") or []),
        ", ".join(current.get("tags") or []),
    )
    add(
        "attachments",
        translate(LABELS["attachments"]),
        _attachments_text(before),
        _attachments_text(current),
        True,
    )

    def yes_no(value: object) -> str:
        return translate("Yes") if value else translate("No")

    if previous is None:
        if current.get("private"):
            add("private", translate(LABELS["private"]), "", yes_no(True))
    else:
        add(
            "private",
            translate(LABELS["private"]),
            yes_no(before.get("private")),
            yes_no(current.get("private")),
        )
    add(
        "placement_id",
        translate(LABELS["placement_id"]),
        _placement(before.get("placement_id"), places),
        _placement(current.get("placement_id"), places),
    )
    add(
        "status",
        translate(LABELS["status"]),
        word(status_label(str(before.get("status")))) if previous else "",
        word(status_label(str(current.get("status", "")))),
    )
    if previous is not None or current.get("deleted"):
        add(
            "deleted",
            translate(LABELS["deleted"]),
            yes_no(before.get("deleted")) if previous else "",
            yes_no(current.get("deleted")),
        )
    return changes


def _links_text(snapshot: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    justifications = snapshot.get("justifications") or {}
    lines = []
    for code in snapshot.get("links") or []:
        line = f"{code} {titles.get(code, '')}".rstrip()
        reason = justifications.get(code, "")
        if reason:
            line += f" — {reason}"
        lines.append(line)
    return "\n".join(lines)


def _attachments_text(snapshot: Mapping[str, Any]) -> str:
    names = snapshot.get("attachment_names") or {}
    return "\n".join(sorted(names.get(sha, sha[:12]) for sha in snapshot.get("attachments") or []))


def _placement(value: object, names: Mapping[int, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and value in names:
        return names[value]
    return f"#{value}"


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff_html(before: str, after: str) -> str:
    """HTML of ``after`` with inserted words in ``<ins>`` and removed words in ``<del>``.

    Line breaks are kept (``<br>``); everything else is escaped.
    """
    old = _TOKENS.findall(before)
    new = _TOKENS.findall(after)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(_escape("".join(new[b1:b2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f'<del class="removed">{_escape("".join(old[a1:a2]))}</del>')
        if op in ("insert", "replace"):
            parts.append(f'<ins class="added">{_escape("".join(new[b1:b2]))}</ins>')
    return "".join(parts)


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")
