"""Attachment content: size limit and a MIME type sniffed from the bytes, never from the name."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from portfolio.errors import InvalidInput
from portfolio.limits import MAX_ATTACHMENT_BYTES
from portfolio.services.dto import AttachmentData
from portfolio.storage.files import write_atomically

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
)


def sniff_mime_type(data: bytes) -> str:
    for magic, mime in _SIGNATURES:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def checked_content(data: bytes, filename: str) -> tuple[str, str]:
    """(sha256, mime type) of content that may be attached, or InvalidInput."""
    if not data:
        raise InvalidInput(f"'{filename}' is empty; there is nothing to attach.")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            f"'{filename}' is {len(data) / 2**20:.1f} MiB; attachments may be at most "
            f"{MAX_ATTACHMENT_BYTES // 2**20} MiB."
        )
    return hashlib.sha256(data).hexdigest(), sniff_mime_type(data)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_ACTIVE_SUFFIXES = (".htm", ".html", ".xhtml", ".shtml", ".svg", ".xml", ".js", ".mjs")
"""Names a browser would run as a page when opened from an exported folder."""


def export_path(attachment: AttachmentData) -> str:
    """Where an attachment goes in an exported zip or folder: ``files/<sha256>/<name>``.

    The name keeps only letters, digits, dots, dashes and underscores (a name can never climb
    out of its folder), and one a browser would run as a page gets ``.txt`` added.
    """
    name = _UNSAFE.sub("_", attachment.filename).strip("._")[:120] or "attachment"
    if name.lower().endswith(_ACTIVE_SUFFIXES):
        name += ".txt"
    return f"files/{attachment.sha256}/{name}"


def save_copy(path: Path, data: bytes) -> Path:
    """An attachment saved where the trainee chose: all of it or, on failure, nothing."""
    return write_atomically(path, data)
