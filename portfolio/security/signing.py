"""Ed25519 identities, signatures and sign-off records (see docs/security.md).

A supervisor's *public identity* (name, GMC number, role, public key) travels as an identity
card. A *sign-off record* states a decision about one evidence item at one digest; its signature
covers the canonical JSON of `SignOffRecord.payload()`. From format version 2 a record also names
the record it supersedes (by that record's signature), so the sign-offs of an item form a chain,
and the GMC number of the trainee whose portfolio the item is in, so a record cannot be passed
off in another trainee's portfolio; version 1 records (without those fields) are still read and
verified. The state shown to users is
always computed by `signoff_state`, never stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
import uuid as uuid_module
from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portfolio.errors import InvalidInput
from portfolio.formats.reader import parse_json
from portfolio.security.canonical import canonical_json
from portfolio.vocabulary import DECISIONS, GMC_NUMBER_PATTERN, Decision, Role, SignOffState

__all__ = [
    "DECISIONS",
    "IDENTITY_FORMAT",
    "IDENTITY_FORMAT_VERSION",
    "RECORD_DECISIONS",
    "ROLES",
    "SIGNED_FIELDS",
    "SIGNOFF_FIELDS",
    "SIGNOFF_FORMAT",
    "SIGNOFF_FORMAT_VERSION",
    "WITHDRAWN",
    "Decision",
    "PublicIdentity",
    "Role",
    "SignOffRecord",
    "SignOffState",
    "create_signoff",
    "fingerprint_of",
    "generate_private_key",
    "normalize_fingerprint",
    "private_key_from_raw",
    "private_key_raw",
    "public_key_b64",
    "sign",
    "signoff_state",
    "utc_timestamp",
    "verify",
]

ROLES: Final = tuple(Role)
WITHDRAWN: Final = Decision.WITHDRAWN
RECORD_DECISIONS: Final = tuple(Decision)

IDENTITY_FORMAT: Final = "gpc-portfolio-identity"
IDENTITY_FORMAT_VERSION: Final = 1
SIGNOFF_FORMAT: Final = "gpc-portfolio-signoff"
SIGNOFF_FORMAT_VERSION: Final = 2
"""Written by this app; version 1 (no ``supersedes``, no ``trainee_gmc``) is still read."""

#: The keys of a version 1 record's payload.
SIGNED_FIELDS_V1: Final[tuple[str, ...]] = (
    "format",
    "format_version",
    "evidence_uuid",
    "evidence_digest",
    "decision",
    "comment",
    "signer_name",
    "signer_gmc",
    "signer_role",
    "public_key",
    "signed_at",
)
#: The keys of `SignOffRecord.payload()`: everything the signature covers.
SIGNED_FIELDS: Final[tuple[str, ...]] = (*SIGNED_FIELDS_V1, "supersedes", "trainee_gmc")
#: The keys of `SignOffRecord.to_dict()`: the signed fields plus the signature.
SIGNOFF_FIELDS: Final[tuple[str, ...]] = (*SIGNED_FIELDS, "signature")
_FIELDS_BY_VERSION: Final = {1: SIGNED_FIELDS_V1, 2: SIGNED_FIELDS}

_CARD_FIELDS: Final[tuple[str, ...]] = (
    "format",
    "format_version",
    "name",
    "gmc_number",
    "role",
    "public_key",
    "fingerprint",
)
_CARD_OPTIONAL: Final = frozenset({"fingerprint"})

MAX_NAME_CHARS: Final = 200
MAX_COMMENT_CHARS: Final = 20_000
PUBLIC_KEY_BYTES: Final = 32
PRIVATE_KEY_BYTES: Final = 32
SIGNATURE_BYTES: Final = 64

_GMC_RE: Final = re.compile(GMC_NUMBER_PATTERN)
_DIGEST_RE: Final = re.compile(r"[0-9a-f]{64}")
_SIGNED_AT_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_SIGNED_AT_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"
_FINGERPRINT_HEX_RE: Final = re.compile(r"[0-9A-F]{32}")


# --------------------------------------------------------------------------- validation helpers


def _fail(label: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{label} {problem}.")


def _text(value: object, label: str) -> str:
    if not isinstance(value, str):
        raise _fail(label, "must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _fail(label, "contains characters that are not valid Unicode") from exc
    return value


def _b64_exact(value: str, length: int) -> bytes | None:
    """Decode strict, canonical standard base64 of exactly `length` bytes, else None."""
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return None
    if len(raw) != length or base64.b64encode(raw).decode("ascii") != value:
        return None
    return raw


def _check_name(value: object, label: str) -> str:
    name = _text(value, label)
    if not name.strip():
        raise _fail(label, "must not be empty")
    if len(name) > MAX_NAME_CHARS:
        raise _fail(label, f"must be at most {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise _fail(label, "must not contain line breaks or control characters")
    return name


def _check_gmc(value: object, label: str) -> str:
    gmc = _text(value, label)
    if not _GMC_RE.fullmatch(gmc):
        raise _fail(label, "must be a GMC number of exactly 7 digits")
    return gmc


def _check_role(value: object, label: str) -> Role:
    role = _text(value, label)
    if role not in ROLES:
        raise _fail(label, f"must be one of {', '.join(ROLES)}")
    return Role(role)


def _check_public_key(value: object, label: str) -> str:
    key = _text(value, label)
    raw = _b64_exact(key, PUBLIC_KEY_BYTES)
    if raw is None:
        raise _fail(label, "must be a 32-byte Ed25519 public key in base64")
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise _fail(label, "is not a usable Ed25519 public key") from exc
    return key


def _check_uuid(value: object, label: str) -> str:
    text = _text(value, label)
    try:
        parsed = uuid_module.UUID(text)
    except ValueError:
        parsed = None
    if parsed is None or str(parsed) != text:
        raise _fail(label, "must be a lowercase UUID such as 123e4567-e89b-12d3-a456-426614174000")
    return text


def _check_digest(value: object, label: str) -> str:
    text = _text(value, label)
    if not _DIGEST_RE.fullmatch(text):
        raise _fail(label, "must be a SHA-256 digest of 64 lowercase hex digits")
    return text


def _check_decision(value: object, label: str) -> Decision:
    text = _text(value, label)
    if text not in RECORD_DECISIONS:
        raise _fail(label, f"must be one of {', '.join(RECORD_DECISIONS)}")
    return Decision(text)


def _check_comment(value: object, label: str) -> str:
    text = _text(value, label)
    if len(text) > MAX_COMMENT_CHARS:
        raise _fail(label, f"must be at most {MAX_COMMENT_CHARS} characters")
    return text


def _check_signed_at(value: object, label: str) -> str:
    text = _text(value, label)
    ok = bool(_SIGNED_AT_RE.fullmatch(text))
    if ok:
        try:
            datetime.strptime(text, _SIGNED_AT_FORMAT)
        except ValueError:
            ok = False
    if not ok:
        raise _fail(label, "must be a UTC time such as 2024-05-01T14:30:00Z")
    return text


def _check_version(value: object, label: str, supported: int) -> None:
    if type(value) is not int or value != supported:
        raise _fail(label, f"must be {supported}; this version of the app reads only that")


def _check_signature(value: object, label: str) -> str:
    signature = _text(value, label)
    if _b64_exact(signature, SIGNATURE_BYTES) is None:
        raise _fail(label, "must be a 64-byte Ed25519 signature in base64")
    return signature


def _check_keys(
    data: Mapping[str, Any], what: str, fields: tuple[str, ...], optional: Set[str]
) -> None:
    for key in data:
        if key not in fields:
            raise InvalidInput(f"The {what} has an unknown field {key!r}.")
    for key in fields:
        if key not in data and key not in optional:
            raise InvalidInput(f"The {what} is missing the field {key!r}.")


def _as_object(data: object, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping) or not all(isinstance(k, str) for k in data):
        raise InvalidInput(f"The {what} must be a JSON object.")
    return cast(Mapping[str, Any], data)


# --------------------------------------------------------------------------------- fingerprints


def _format_fingerprint(hex_upper: str) -> str:
    return " ".join(hex_upper[i : i + 4] for i in range(0, len(hex_upper), 4))


def fingerprint_of(public_key: str) -> str:
    """Fingerprint of a base64 public key: the first 16 bytes of SHA-256 over the raw key, as
    uppercase hex in groups of four ("3F2A 9C01 …", 39 characters)."""
    raw = _b64_exact(public_key, PUBLIC_KEY_BYTES)
    if raw is None:
        raise InvalidInput("The public key must be a 32-byte Ed25519 public key in base64.")
    return _format_fingerprint(hashlib.sha256(raw).digest()[:16].hex().upper())


def normalize_fingerprint(text: str) -> str:
    """Return a fingerprint typed any way (any case, spaces or not) in its canonical form."""
    compact = "".join(text.split()).upper()
    if not _FINGERPRINT_HEX_RE.fullmatch(compact):
        raise InvalidInput("A key fingerprint is 32 hex digits, such as 3F2A 9C01 ….")
    return _format_fingerprint(compact)


# ------------------------------------------------------------------------------------ identity


@dataclass(frozen=True)
class PublicIdentity:
    """A signer's public identity. Validated on construction."""

    name: str
    gmc_number: str
    role: Role
    public_key: str

    def __post_init__(self) -> None:
        _check_name(self.name, "The name")
        _check_gmc(self.gmc_number, "The GMC number")
        _check_role(self.role, "The role")
        _check_public_key(self.public_key, "The public key")

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.public_key)

    def to_card(self) -> dict[str, Any]:
        """The identity card: a JSON object a supervisor can hand to anyone."""
        return {
            "format": IDENTITY_FORMAT,
            "format_version": IDENTITY_FORMAT_VERSION,
            "name": self.name,
            "gmc_number": self.gmc_number,
            "role": self.role,
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_card(cls, data: object) -> PublicIdentity:
        """Read an identity card (a parsed JSON object); InvalidInput names the first problem."""
        what = "identity card"
        card = _as_object(data, what)
        if card.get("format") != IDENTITY_FORMAT:
            raise InvalidInput("This file is not a GPC Portfolio identity card.")
        _check_keys(card, what, _CARD_FIELDS, _CARD_OPTIONAL)

        def label(key: str) -> str:
            return f"The identity card field {key!r}"

        _check_version(card["format_version"], label("format_version"), IDENTITY_FORMAT_VERSION)
        identity = cls(
            name=_check_name(card["name"], label("name")),
            gmc_number=_check_gmc(card["gmc_number"], label("gmc_number")),
            role=_check_role(card["role"], label("role")),
            public_key=_check_public_key(card["public_key"], label("public_key")),
        )
        if "fingerprint" in card:
            stated = _text(card["fingerprint"], label("fingerprint"))
            if stated != identity.fingerprint:
                raise InvalidInput("The fingerprint on the identity card does not match its key.")
        return identity

    @classmethod
    def from_card_json(cls, text: str | bytes) -> PublicIdentity:
        """Read an identity card from JSON text."""
        return cls.from_card(parse_json(text, "The identity card"))


# ------------------------------------------------------------------------------------- signing


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    """The base64 of the raw 32-byte public key that belongs to `private_key`."""
    return base64.b64encode(private_key.public_key().public_bytes_raw()).decode("ascii")


def private_key_raw(private_key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte private key (secret: only for the key store)."""
    return private_key.private_bytes_raw()


def private_key_from_raw(raw: bytes) -> Ed25519PrivateKey:
    if len(raw) != PRIVATE_KEY_BYTES:
        raise InvalidInput("A private key must be 32 bytes.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def sign(private_key: Ed25519PrivateKey, payload: Mapping[str, Any]) -> str:
    """Base64 Ed25519 signature over the canonical JSON of `payload`."""
    return base64.b64encode(private_key.sign(canonical_json(dict(payload)))).decode("ascii")


def verify(public_key_b64: str, payload: Mapping[str, Any], signature_b64: str) -> bool:
    """True only when `signature_b64` is a good signature by the key over `payload`.

    Never raises: malformed base64, keys, signatures or payloads all give False.
    """
    try:
        if not isinstance(public_key_b64, str) or not isinstance(signature_b64, str):
            return False
        raw_key = _b64_exact(public_key_b64, PUBLIC_KEY_BYTES)
        raw_sig = _b64_exact(signature_b64, SIGNATURE_BYTES)
        if raw_key is None or raw_sig is None or not isinstance(payload, Mapping):
            return False
        message = canonical_json(dict(payload))
        Ed25519PublicKey.from_public_bytes(raw_key).verify(raw_sig, message)
    except (InvalidSignature, InvalidInput, TypeError, ValueError):
        return False
    return True


def utc_timestamp(moment: datetime | None = None) -> str:
    """ISO 8601 UTC to the second, e.g. 2024-05-01T14:30:00Z (now when `moment` is None)."""
    if moment is None:
        moment = datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("utc_timestamp needs a timezone-aware datetime")
    return moment.astimezone(UTC).strftime(_SIGNED_AT_FORMAT)


# ------------------------------------------------------------------------------------ sign-off


@dataclass(frozen=True)
class SignOffRecord:
    """A supervisor's decision about one evidence item at one digest, with its signature."""

    evidence_uuid: str
    evidence_digest: str
    decision: Decision
    comment: str
    signer: PublicIdentity
    signed_at: str
    signature: str
    supersedes: str | None = None
    """The signature of the record this one replaces: None for an item's first sign-off."""
    trainee_gmc: str | None = None
    """The trainee whose portfolio holds the item (version 2; None in version 1)."""
    format_version: int = SIGNOFF_FORMAT_VERSION

    def __post_init__(self) -> None:
        _check_uuid(self.evidence_uuid, "The evidence uuid")
        _check_digest(self.evidence_digest, "The evidence digest")
        _check_decision(self.decision, "The decision")
        _check_comment(self.comment, "The comment")
        if not isinstance(self.signer, PublicIdentity):
            raise TypeError("signer must be a PublicIdentity")
        _check_signed_at(self.signed_at, "The signing time")
        _text(self.signature, "The signature")  # its validity is signature_valid()'s business
        if self.format_version not in _FIELDS_BY_VERSION:
            raise _fail("The format version", "must be 1 or 2")
        if self.supersedes is not None:
            if self.format_version == 1:
                raise InvalidInput("A version 1 sign-off cannot name a record it supersedes.")
            _check_signature(self.supersedes, "The superseded record")
        if self.format_version == 1:
            if self.trainee_gmc is not None:
                raise InvalidInput("A version 1 sign-off cannot name the trainee.")
        else:
            _check_gmc(self.trainee_gmc, "The trainee's GMC number")
        if self.decision == WITHDRAWN and self.supersedes is None:
            raise InvalidInput("A withdrawal must name the decision it withdraws.")

    def payload(self) -> dict[str, Any]:
        """The signed content: every field except the signature, signer flattened."""
        signed = {
            "format": SIGNOFF_FORMAT,
            "format_version": self.format_version,
            "evidence_uuid": self.evidence_uuid,
            "evidence_digest": self.evidence_digest,
            "decision": self.decision,
            "comment": self.comment,
            "signer_name": self.signer.name,
            "signer_gmc": self.signer.gmc_number,
            "signer_role": self.signer.role,
            "public_key": self.signer.public_key,
            "signed_at": self.signed_at,
            "supersedes": self.supersedes,
            "trainee_gmc": self.trainee_gmc,
        }
        return {key: signed[key] for key in _FIELDS_BY_VERSION[self.format_version]}

    def signature_valid(self) -> bool:
        return verify(self.signer.public_key, self.payload(), self.signature)

    @property
    def fingerprint(self) -> str:
        return self.signer.fingerprint

    def to_dict(self) -> dict[str, Any]:
        return {**self.payload(), "signature": self.signature}

    @classmethod
    def from_dict(cls, data: object) -> SignOffRecord:
        """Read a record (a parsed JSON object) strictly; InvalidInput names the bad field.

        A well-formed record whose signature does not verify is still returned: whether it is
        valid is decided by `signoff_state`, not here.
        """
        what = "sign-off"
        record = _as_object(data, what)
        if record.get("format") != SIGNOFF_FORMAT:
            raise InvalidInput("This is not a GPC Portfolio sign-off record.")

        def label(key: str) -> str:
            return f"The sign-off field {key!r}"

        if "format_version" not in record:
            raise InvalidInput("The sign-off is missing the field 'format_version'.")
        version = record["format_version"]
        if type(version) is not int or version not in _FIELDS_BY_VERSION:
            raise _fail(
                label("format_version"), "must be 1 or 2; this version of the app reads those"
            )
        _check_keys(record, what, (*_FIELDS_BY_VERSION[version], "signature"), frozenset())
        signature = _check_signature(record["signature"], label("signature"))
        supersedes = record.get("supersedes")
        if supersedes is not None:
            supersedes = _check_signature(supersedes, label("supersedes"))
        trainee_gmc = record.get("trainee_gmc")
        if version > 1:
            trainee_gmc = _check_gmc(trainee_gmc, label("trainee_gmc"))
        signer = PublicIdentity(
            name=_check_name(record["signer_name"], label("signer_name")),
            gmc_number=_check_gmc(record["signer_gmc"], label("signer_gmc")),
            role=_check_role(record["signer_role"], label("signer_role")),
            public_key=_check_public_key(record["public_key"], label("public_key")),
        )
        return cls(
            evidence_uuid=_check_uuid(record["evidence_uuid"], label("evidence_uuid")),
            evidence_digest=_check_digest(record["evidence_digest"], label("evidence_digest")),
            decision=_check_decision(record["decision"], label("decision")),
            comment=_check_comment(record["comment"], label("comment")),
            signer=signer,
            signed_at=_check_signed_at(record["signed_at"], label("signed_at")),
            signature=signature,
            supersedes=supersedes,
            trainee_gmc=trainee_gmc,
            format_version=version,
        )


def create_signoff(
    private_key: Ed25519PrivateKey,
    identity: PublicIdentity,
    evidence_uuid: str,
    evidence_digest: str,
    decision: Decision,
    comment: str,
    signed_at: datetime | str | None = None,
    supersedes: str | None = None,
    *,
    trainee_gmc: str,
) -> SignOffRecord:
    """Sign a decision about the evidence item `evidence_uuid` as it is at `evidence_digest`, in
    the portfolio of the trainee `trainee_gmc`.

    `signed_at` is an aware datetime, an ISO string like 2024-05-01T14:30:00Z, or None for now;
    `supersedes` is the signature of the item's sign-off this one replaces, if any.
    """
    if public_key_b64(private_key) != identity.public_key:
        raise InvalidInput(
            f"The private key does not belong to {identity.name} ({identity.fingerprint})."
        )
    when = signed_at if isinstance(signed_at, str) else utc_timestamp(signed_at)
    unsigned = SignOffRecord(
        evidence_uuid=evidence_uuid,
        evidence_digest=evidence_digest,
        decision=decision,
        comment=comment,
        signer=identity,
        signed_at=when,
        signature="",
        supersedes=supersedes,
        trainee_gmc=trainee_gmc,
    )
    return replace(unsigned, signature=sign(private_key, unsigned.payload()))


def signoff_state(
    record: SignOffRecord,
    current_digest: str,
    known_keys: Set[str] | None = None,
    *,
    evidence_uuid: str | None = None,
) -> SignOffState:
    """The state to show for `record` against the evidence item's digest now.

    - "invalid": the signature does not verify; or `known_keys` (base64 public keys) is given
      and the signer's key is not in it; or `evidence_uuid` is given and the record is about a
      different item.
    - "edited": the signature is good but the item's digest has changed since signing.
    - "valid": the signature is good and the digest matches.
    """
    if not record.signature_valid():
        return SignOffState.INVALID
    if known_keys is not None and record.signer.public_key not in known_keys:
        return SignOffState.INVALID
    if evidence_uuid is not None and evidence_uuid != record.evidence_uuid:
        return SignOffState.INVALID
    if current_digest != record.evidence_digest:
        return SignOffState.EDITED
    return SignOffState.VALID
