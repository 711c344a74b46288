"""The manifest an ARCP summary carries (``gpc-portfolio-arcp-manifest`` version 1;
docs/formats.md): what the PDF prints, in a form a program can check against the credentials
embedded beside it. It is not signed: it can only say which credentials belong to which item,
and a verifier trusts nothing in it that a credential does not confirm.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from portfolio.formats.reader import validated, versioned_json

MANIFEST_FORMAT = "gpc-portfolio-arcp-manifest"
MANIFEST_FORMAT_VERSION = 1
MANIFEST_NAME = "gpc-portfolio-manifest.json"
MAX_ITEMS = 100_000


def credential_file_name(credential_id: str, suite: str) -> str:
    return f"credential-{credential_id.removeprefix('urn:uuid:')}-{suite}.json"


def directory_file_name(directory_id: str, version: int) -> str:
    return f"directory-{directory_id}-v{version}.gpcdirectory"


@dataclass(frozen=True)
class ManifestItem:
    uuid: str
    title: str
    kind: str
    digest: str
    """SHA-256 of the item's content as printed (the digest a sign-off signs)."""
    status: str
    """The status printed: draft, ready, changes_requested, signed_off, edited, invalid…"""
    pages: tuple[int, ...]
    credentials: tuple[str, ...]
    """Embedded files holding the credentials of the item's sign-offs."""


@dataclass(frozen=True)
class Manifest:
    app_version: str
    trainee_name: str
    trainee_gmc: str
    period: str
    generated_at: str
    items: tuple[ManifestItem, ...]
    directories: tuple[str, ...]

    def to_bytes(self) -> bytes:
        data = {"format": MANIFEST_FORMAT, "format_version": MANIFEST_FORMAT_VERSION}
        data |= asdict(self)
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def parse_manifest(raw: bytes) -> Manifest:
    data = versioned_json(
        raw, MANIFEST_NAME, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, "ARCP summary manifest"
    )
    from portfolio.formats._arcp_manifest_schema import _Manifest  # pydantic, when one is read

    m = validated(_Manifest, data, MANIFEST_NAME)
    items = tuple(
        ManifestItem(
            i.uuid, i.title, i.kind, i.digest, i.status, tuple(i.pages), tuple(i.credentials)
        )
        for i in m.items
    )
    return Manifest(
        m.app_version,
        m.trainee_name,
        m.trainee_gmc,
        m.period,
        m.generated_at,
        items,
        tuple(m.directories),
    )
