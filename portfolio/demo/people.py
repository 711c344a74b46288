"""The demo's fictional signers, each with a fixed Ed25519 key derived from a seed.

Fixed keys keep fingerprints, directory and catalogue signatures the same on every run, so
screenshots and tests are stable. These keys are public knowledge: they must never sign
anything but the demo.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portfolio.security.signing import PublicIdentity, public_key_b64
from portfolio.services.signoffs import Unlocked
from portfolio.vocabulary import Role

SEED = b"gpc-portfolio demo, not a real key: "
DEANERY = "Tamar Deanery"
OTHER_TRUST = "Tamar Valley Hospitals NHS Trust"


def _signer(name: str, gmc_number: str, role: Role) -> Unlocked:
    key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(SEED + name.encode()).digest())
    return Unlocked(PublicIdentity(name, gmc_number, role, public_key_b64(key)), key)


def at(moment: str) -> datetime:
    """A fixed moment of the demo year, e.g. ``at("2026-02-04T16:00")`` (UTC)."""
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


PGME_OFFICE = _signer(f"{DEANERY} Postgraduate Medical Education Office", "7100001", Role.OTHER)
"""Publishes the supervisor directory the demo trainee trusts."""
SUPERVISOR = _signer("Dr Priya Shah", "4567890", Role.EDUCATIONAL_SUPERVISOR)
"""The demo trainee's educational supervisor, listed in the directory."""
MENTOR = _signer("Dr Tom Okafor", "6123457", Role.OTHER)
"""The Trust's Clinical Leadership Mentor, who publishes the opportunities catalogue."""
