"""An independent check of a sign-off credential, written from the specifications alone.

It shares no code with portfolio/security/credentials.py or did_key.py: base58, did:key, both
cryptosuites' hashing (W3C vc-di-eddsa v1.0, sections 3.2 and 3.3), and the Open Badges 3.0 /
VC 2.0 shape are done again here, with pyld and rfc8785 called directly.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

RESOURCES = Path(__file__).parents[2] / "resources" / "jsonld"
FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-context-3.0.3.json",
}
BTC = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


class CheckFailed(AssertionError):
    pass


def base58btc(text: str) -> bytes:
    """Decode by long multiplication over a byte array (a different route from ours)."""
    out = bytearray()
    for ch in text:
        carry = BTC.index(ch)
        for i in range(len(out) - 1, -1, -1):
            carry += out[i] * 58
            out[i] = carry & 0xFF
            carry >>= 8
        while carry:
            out.insert(0, carry & 0xFF)
            carry >>= 8
    leading = len(text) - len(text.lstrip("1"))
    return bytes(leading) + bytes(out)


def loader(url: str, options: Any) -> dict[str, Any]:
    if url not in FILES:
        raise CheckFailed(f"context {url} is not bundled")
    document = json.loads((RESOURCES / FILES[url]).read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def nquads(document: dict[str, Any]) -> str:
    return str(
        jsonld.normalize(
            document,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader},
        )
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in ("@context", "type") for s in _strings(v)]
    return []


def check(credential: dict[str, Any]) -> dict[str, Any]:
    """Raise CheckFailed unless `credential` is a sound OB 3.0 credential with a good proof."""

    def need(condition: bool, what: str) -> None:
        if not condition:
            raise CheckFailed(what)

    proof = credential["proof"]
    need(proof["type"] == "DataIntegrityProof", "proof type")
    need(proof["proofPurpose"] == "assertionMethod", "proof purpose")
    need(bool(DATETIME.fullmatch(proof["created"])), "proof created")
    did, fragment = proof["verificationMethod"].split("#")
    need(did.startswith("did:key:z") and fragment == did.removeprefix("did:key:"), "did:key")
    multikey = base58btc(did.removeprefix("did:key:z"))
    need(multikey[:2] == bytes([0xED, 0x01]) and len(multikey) == 34, "Ed25519 multikey")
    signature = base58btc(proof["proofValue"].removeprefix("z"))
    need(proof["proofValue"].startswith("z") and len(signature) == 64, "proof value")

    document = {k: v for k, v in credential.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if proof["cryptosuite"] == "eddsa-rdfc-2022":
        canonical_document = nquads(document)
        canonical_config = nquads({**options, "@context": document["@context"]})
        for text in _strings(document):
            escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            need(escaped in canonical_document, f"{text!r} is not covered by the signature")
        to_hash = canonical_config.encode(), canonical_document.encode()
    else:
        need(proof["cryptosuite"] == "eddsa-jcs-2022", "cryptosuite")
        need(options["@context"] == document["@context"], "proof @context")
        to_hash = rfc8785.dumps(options), rfc8785.dumps(document)
    hash_data = hashlib.sha256(to_hash[0]).digest() + hashlib.sha256(to_hash[1]).digest()
    Ed25519PublicKey.from_public_bytes(multikey[2:]).verify(signature, hash_data)

    need(document["@context"][0] == "https://www.w3.org/ns/credentials/v2", "VC 2.0 context")
    need(set(FILES) <= set(document["@context"]), "Open Badges 3.0 context")
    need({"VerifiableCredential", "OpenBadgeCredential"} <= set(document["type"]), "types")
    need(document["issuer"]["id"] == did, "the issuer is the signer")
    need("Profile" in document["issuer"]["type"], "issuer profile")
    need(bool(DATETIME.fullmatch(document["validFrom"])), "validFrom")
    subject = document["credentialSubject"]
    need("AchievementSubject" in subject["type"], "subject type")
    need(bool(subject.get("id") or subject.get("identifier")), "subject identified")
    achievement = subject["achievement"]
    for field in ("id", "type", "name", "description", "criteria"):
        need(field in achievement, f"achievement {field}")
    need("Achievement" in achievement["type"], "achievement type")
    for alignment in achievement.get("alignment", []):
        need(bool(alignment["targetName"] and alignment["targetUrl"]), "alignment")
    return document
