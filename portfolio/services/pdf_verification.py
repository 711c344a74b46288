"""Verify an ARCP summary from the PDF alone: the credentials and supervisor directories it
carries as embedded files, checked against its manifest, offline and without a portfolio.

Nothing the manifest says is believed unless a credential confirms it: each credential is
verified by the credential verifier, each directory by its publisher's signature and expiry,
and the manifest's digest of each item is compared with the digest its credential signs. Who
vouches for a signer can only be a directory embedded in the PDF: a trainee's pin of a
supervisor's card lives in their portfolio and cannot travel in a PDF. A directory proves only
that its publisher's key signed it, so the publisher's fingerprint is shown for comparing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from portfolio.errors import InvalidInput
from portfolio.formats.arcp_manifest import MANIFEST_NAME, Manifest, ManifestItem, parse_manifest
from portfolio.formats.credential import parse_credential
from portfolio.formats.directory import MAX_DIRECTORY_BYTES, DirectoryFile, parse_directory
from portfolio.formats.reader import read_file
from portfolio.security.credentials import VerifiedCredential, verify_credential
from portfolio.security.did_key import public_key_of
from portfolio.services.dto import Vouch
from portfolio.services.trust_roots import Judgement, TrustRoots
from portfolio.vocabulary import UNCOUNTED_SIGNOFF, Status

MAX_PDF_BYTES = 500 * 2**20
MAX_ATTACHMENTS = 50_000
CLAIMED = (Status.SIGNED_OFF, *UNCOUNTED_SIGNOFF)
"""Printed statuses that claim a decision to sign off, which a credential must back."""
NO_PIN = "a pin in the trainee's portfolio cannot travel in a PDF"


@dataclass(frozen=True)
class DirectoryCheck:
    file: str
    directory: DirectoryFile | None
    problem: str = ""
    expired: bool = False


@dataclass(frozen=True)
class ItemCheck:
    item: ManifestItem
    state: str
    """valid, edited, revoked, invalid, no_credential (claimed but unbacked) or not_signed_off."""
    credential: VerifiedCredential | None = None
    """The latest sign-off's credential, when every credential of the item verified."""
    vouched_by: Vouch | None = None
    reason: str = ""
    """What is wrong, or why nobody vouches for the signer."""

    @property
    def trusted(self) -> bool:
        return self.state == "valid" and self.vouched_by is not None

    @property
    def passes(self) -> bool:
        """Signed off validly by a vouched-for signer, or never claimed to be signed off."""
        return self.trusted or self.state == "not_signed_off"


@dataclass(frozen=True)
class PdfCheck:
    manifest: Manifest
    directories: tuple[DirectoryCheck, ...]
    items: tuple[ItemCheck, ...]

    @property
    def passes(self) -> bool:
        return all(i.passes for i in self.items)


def read_attachments(path: Path) -> dict[str, bytes]:
    """The PDF's embedded files by name; InvalidInput when it is no readable PDF."""
    import pypdfium2 as pdfium

    raw = read_file(path, "ARCP summary", MAX_PDF_BYTES)
    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError:
        raise InvalidInput(f"{path.name} is not a PDF that can be read.") from None
    try:
        count = pdf.count_attachments()
        if count > MAX_ATTACHMENTS:
            raise InvalidInput(f"{path.name} holds more than {MAX_ATTACHMENTS} attached files.")
        files: dict[str, bytes] = {}
        for index in range(count):
            attachment = pdf.get_attachment(index)
            name = attachment.get_name()
            if name in files:
                raise InvalidInput(f"{path.name} holds two attached files named {name}.")
            files[name] = bytes(attachment.get_data())
        return files
    finally:
        pdf.close()


def verify_pdf(path: Path, now: datetime | None = None) -> PdfCheck:
    """Check an ARCP summary by itself; InvalidInput when it carries nothing to check."""
    files = read_attachments(path)
    raw = files.get(MANIFEST_NAME)
    if raw is None:
        raise InvalidInput(
            f"{path.name} carries no verification files: its attachments were removed, or it "
            "was not printed by GPC Portfolio. Its sign-offs cannot be checked from the PDF "
            "alone; ask the trainee for the summary as the app printed it."
        )
    manifest = parse_manifest(raw)
    when = now or datetime.now(UTC)
    directories = tuple(
        _check_directory(name, files.get(name), when) for name in manifest.directories
    )
    roots = TrustRoots((d.directory for d in directories if d.directory), {}, when)
    items = tuple(_check_item(entry, files, manifest, roots) for entry in manifest.items)
    return PdfCheck(manifest, directories, items)


def _check_directory(name: str, raw: bytes | None, now: datetime) -> DirectoryCheck:
    if raw is None:
        return DirectoryCheck(name, None, "the manifest names it but it is not attached")
    if len(raw) > MAX_DIRECTORY_BYTES:
        return DirectoryCheck(name, None, "too large to be a supervisor directory")
    try:
        directory = parse_directory(raw, name)
    except InvalidInput as error:
        return DirectoryCheck(name, None, str(error))
    return DirectoryCheck(name, directory, expired=directory.expired(now))


class _Bad(Exception):
    pass


def _credential(
    name: str, raw: bytes | None, entry: ManifestItem, trainee_gmc: str
) -> VerifiedCredential:
    if raw is None:
        raise _Bad(f"its credential {name} is not attached to this PDF")
    try:
        document = parse_credential(raw, name)
    except InvalidInput as error:
        raise _Bad(str(error)) from None
    try:
        verified = verify_credential(document)
    except InvalidInput as error:
        raise _Bad(f"{name}: {error}") from None
    claims = verified.claims
    if claims.evidence_uuid != entry.uuid:
        raise _Bad(f"{name} is the credential of another item ({claims.evidence_uuid})")
    if claims.trainee_gmc != trainee_gmc:
        raise _Bad(f"{name} was issued to GMC {claims.trainee_gmc}, not to this trainee")
    return verified


def _check_item(
    entry: ManifestItem, files: dict[str, bytes], manifest: Manifest, roots: TrustRoots
) -> ItemCheck:
    try:
        verified = [
            _credential(name, files.get(name), entry, manifest.trainee_gmc)
            for name in entry.credentials
        ]
    except _Bad as problem:
        return ItemCheck(entry, "invalid", reason=str(problem))
    if entry.status not in CLAIMED:
        return ItemCheck(entry, "not_signed_off")
    if not verified:
        return ItemCheck(
            entry,
            "no_credential",
            reason="the summary says it was signed off but carries no credential to prove it "
            "(sign-offs made before credentials get one at the supervisor's next signing)",
        )
    latest = max(verified, key=lambda v: v.claims.signed_at)
    claims = latest.claims
    if claims.evidence_digest != entry.digest:
        if entry.status != "edited":
            return ItemCheck(
                entry,
                "invalid",
                latest,
                reason="the summary prints it as signed off, but its digest is not the one the "
                "credential signs: the manifest was altered",
            )
        state = "edited"
    elif claims.title != entry.title:
        return ItemCheck(entry, "invalid", latest, reason="its credential signs a different title")
    else:
        state = "valid"
    key = base64.b64encode(public_key_of(claims.signer_did)).decode("ascii")
    judgement = roots.judge(key, claims.signer_gmc, claims.signed_at)
    if judgement.revoked:
        return ItemCheck(entry, "revoked", latest, reason=judgement.reason)
    return ItemCheck(entry, state, latest, judgement.vouched_by, _why_not(judgement, roots, key))


def _why_not(judgement: Judgement, roots: TrustRoots, key: str) -> str:
    """Why nobody vouches, in the words of a PDF checked alone (no pins, no importing)."""
    if judgement.vouched_by is not None:
        return ""
    listing = [d for d in roots.directories if any(e.identity.public_key == key for e in d.entries)]
    if not listing:
        return f"no directory attached to this PDF lists the signer's key; {NO_PIN}"
    if all(d.expired(roots.now) for d in listing):
        return f"the directory “{listing[0].name}” that lists the key expired on {listing[0].expires_at[:10]}"
    return judgement.reason
