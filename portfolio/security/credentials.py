"""Sign-offs as W3C Verifiable Credentials 2.0 (Open Badges 3.0 `OpenBadgeCredential`).

A credential is derived from a signed `SignOffRecord` (which stays the source of truth) and
secured with a Data Integrity proof by the same Ed25519 key, named as a `did:key`, with either
cryptosuite of W3C vc-di-eddsa v1.0:

- ``eddsa-rdfc-2022``: the document and the proof configuration are canonicalised as RDF
  (RDFC-1.0, pyld's URDNA2015) with only the JSON-LD contexts bundled in ``resources/jsonld``:
  a context is never fetched, and a document that names any other fails.
- ``eddsa-jcs-2022``: both are canonicalised as JSON (RFC 8785).

Either way the signed bytes are SHA-256(proof configuration) ‖ SHA-256(document).
Formats: docs/formats.md ("Sign-off credentials").
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import re
import uuid as uuid_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, cast, get_args

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portfolio.errors import InvalidInput
from portfolio.resource_files import resource
from portfolio.security.canonical import canonical_json
from portfolio.security.did_key import (
    did_key_of,
    multibase_decode,
    multibase_encode,
    public_key_of,
    verification_method_of,
)
from portfolio.security.signing import SignOffRecord, fingerprint_of

__all__ = [
    "CREDENTIALS_V2",
    "OPEN_BADGES_V3",
    "SUITES",
    "Alignment",
    "SignOffClaims",
    "Suite",
    "VerifiedCredential",
    "bundled_contexts",
    "issue_credential",
    "rdf_canonical",
    "read_claims",
    "secure",
    "verify_credential",
    "verify_proof",
]

Suite = Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"]
SUITES: Final[tuple[Suite, ...]] = get_args(Suite)

CREDENTIALS_V2: Final = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
_CONTEXT_FILES: Final = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OPEN_BADGES_V3: "ob-context-3.0.3.json",
}
_CONTEXT: Final = [CREDENTIALS_V2, OPEN_BADGES_V3]
_GMC_IDENTIFIER: Final = "ext:GMCNumber"
_GPC_FRAMEWORK_URL: Final = (
    "https://www.gmc-uk.org/education/standards-guidance-and-curricula/standards-and-outcomes/"
    "generic-professional-capabilities-framework"
)
_ID_NAMESPACE: Final = uuid_module.UUID("6f1d3c2e-8a4b-5c7d-9e0f-1a2b3c4d5e6f")
_XSD_DATETIME: Final = re.compile(
    r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_SIGNATURE_BYTES: Final = 64
_MAX_DEPTH: Final = 32  # ours nest 6 deep; pyld and canonical JSON recurse
_MAX_PROOF_VALUE_CHARS: Final = 100  # 64 bytes are at most 88 base58 digits; base58 is quadratic


# ---------------------------------------------------------------------------- JSON-LD contexts


@functools.cache
def bundled_contexts() -> Mapping[str, Any]:
    """The JSON-LD contexts this app holds, by URL: the only ones a credential may use."""
    return {
        url: json.loads(resource("jsonld", name).read_text(encoding="utf-8"))
        for url, name in _CONTEXT_FILES.items()
    }


class _RefusedContext(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _loader(contexts: Mapping[str, Any]) -> Callable[[str, Any], dict[str, Any]]:
    """A pyld document loader that serves `contexts` and refuses every other URL."""

    def load(url: str, _options: Any) -> dict[str, Any]:
        if url not in contexts:
            raise _RefusedContext(url)
        document = copy.deepcopy(contexts[url])
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def _refused_url(error: BaseException) -> str | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, _RefusedContext):
            return seen.url
        seen = seen.__cause__ or seen.__context__
    return None


def rdf_canonical(document: Mapping[str, Any], contexts: Mapping[str, Any] | None = None) -> bytes:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, resolving only `contexts` (by default
    the bundled ones); InvalidInput when it is not JSON-LD or names another context."""
    from pyld import jsonld

    # pyld caches only inline contexts (by content) across calls; every URL reaches the loader
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": _loader(bundled_contexts() if contexts is None else contexts),
    }
    try:
        nquads = jsonld.normalize(copy.deepcopy(dict(document)), options)
    except Exception as error:  # pyld raises assorted errors, RecursionError too, on hostile input
        url = _refused_url(error)
        if url is not None:
            raise InvalidInput(
                f"The credential uses the JSON-LD context {url[:200]}, which this app does not "
                "hold; it never fetches contexts from the network."
            ) from None
        problem = error.type if isinstance(error, jsonld.JsonLdError) else type(error).__name__
        raise InvalidInput(f"The credential is not valid JSON-LD ({problem}).") from None
    return cast(str, nquads).encode("utf-8")


# ------------------------------------------------------------------------------ Data Integrity


def _proof_options(suite: Suite, did: str, created: str, context: object) -> dict[str, Any]:
    options: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": suite,
        "created": created,
        "verificationMethod": verification_method_of(did),
        "proofPurpose": "assertionMethod",
    }
    if suite == "eddsa-jcs-2022":
        options["@context"] = context
    return options


def _hash_data(
    unsecured: Mapping[str, Any],
    options: Mapping[str, Any],
    suite: Suite,
    contexts: Mapping[str, Any] | None,
) -> bytes:
    """SHA-256 of the canonical proof configuration, then of the canonical document."""
    if suite == "eddsa-rdfc-2022":
        config = {**options, "@context": unsecured.get("@context")}
        document, proof_config = rdf_canonical(unsecured, contexts), rdf_canonical(config, contexts)
    else:
        document, proof_config = canonical_json(dict(unsecured)), canonical_json(dict(options))
    return hashlib.sha256(proof_config).digest() + hashlib.sha256(document).digest()


def secure(
    unsecured: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    suite: Suite,
    created: str,
    contexts: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The document with a Data Integrity proof by `private_key` (its did:key) added."""
    did = did_key_of(private_key.public_key().public_bytes_raw())
    options = _proof_options(suite, did, created, unsecured.get("@context"))
    signature = private_key.sign(_hash_data(unsecured, options, suite, contexts))
    return {**unsecured, "proof": {**options, "proofValue": multibase_encode(signature)}}


@dataclass(frozen=True)
class VerifiedProof:
    suite: Suite
    did: str
    created: str


def _shallow(value: object, limit: int = _MAX_DEPTH) -> bool:
    """True when JSON `value` nests at most `limit` deep (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return True


def _check(condition: bool, problem: str) -> None:
    if not condition:
        raise InvalidInput(problem)


def verify_proof(secured: object, contexts: Mapping[str, Any] | None = None) -> VerifiedProof:
    """Verify the one Data Integrity proof of `secured` (vc-di-eddsa "Verify Proof").

    The key is the did:key of the verification method. InvalidInput says why it fails.
    """
    _check(isinstance(secured, dict), "A credential must be a JSON object.")
    _check(_shallow(secured), "The credential is nested too deeply to be one.")
    document = cast(dict[str, Any], secured)
    proof = document.get("proof")
    _check(isinstance(proof, dict), "The credential has no proof (or more than one).")
    proof = cast(dict[str, Any], proof)
    suite = proof.get("cryptosuite")
    _check(
        proof.get("type") == "DataIntegrityProof" and suite in SUITES,
        f"The proof is not a DataIntegrityProof of {' or '.join(SUITES)}.",
    )
    suite = cast(Suite, suite)
    _check(proof.get("proofPurpose") == "assertionMethod", "The proof is not an assertion.")
    created = proof.get("created")
    _check(
        isinstance(created, str) and bool(_XSD_DATETIME.fullmatch(created)),
        "The proof's 'created' is not a date and time.",
    )
    method = proof.get("verificationMethod")
    _check(isinstance(method, str), "The proof names no verification method.")
    did = cast(str, method).partition("#")[0]
    public_key = public_key_of(did)
    _check(method == verification_method_of(did), "The verification method is not a did:key's.")
    value = proof.get("proofValue")
    _check(isinstance(value, str), "The proof has no proof value.")
    value = cast(str, value)
    _check(len(value) <= _MAX_PROOF_VALUE_CHARS, "The proof value is not an Ed25519 signature.")
    signature = multibase_decode(value)
    _check(len(signature) == _SIGNATURE_BYTES, "The proof value is not an Ed25519 signature.")

    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if suite == "eddsa-jcs-2022" and "@context" in options:
        stated, context = options["@context"], document.get("@context")
        stated_list = stated if isinstance(stated, list) else [stated]
        context_list = context if isinstance(context, list) else [context]
        _check(
            context_list[: len(stated_list)] == stated_list,
            "The proof's @context does not begin the credential's @context.",
        )
        unsecured["@context"] = stated
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, _hash_data(unsecured, options, suite, contexts)
        )
    except InvalidSignature:
        raise InvalidInput(
            "The proof's signature does not match the credential: it was altered after signing, "
            "or not signed by the key it names."
        ) from None
    except ValueError:
        raise InvalidInput("The did:key is not a usable Ed25519 public key.") from None
    return VerifiedProof(suite, did, cast(str, created))


# ---------------------------------------------------------------------- sign-off credentials


@dataclass(frozen=True)
class Alignment:
    """A capability the item is linked to: a GPC domain or sub-heading, or another
    curriculum's capability."""

    code: str
    name: str
    framework: str


@dataclass(frozen=True)
class SignOffClaims:
    """Everything a sign-off credential states; the credential is built from this alone."""

    evidence_uuid: str
    evidence_digest: str
    title: str
    kind: str
    alignments: tuple[Alignment, ...]
    comment: str
    signer_name: str
    signer_gmc: str
    signer_role: str
    signer_did: str
    trainee_gmc: str
    signed_at: str

    def __post_init__(self) -> None:
        texts = [v for k, v in vars(self).items() if k != "alignments"]
        texts += [t for a in self.alignments for t in (a.code, a.name, a.framework)]
        if not all(isinstance(t, str) for t in texts):
            raise InvalidInput("This is not a GPC Portfolio sign-off credential.")

    @classmethod
    def of(
        cls,
        record: SignOffRecord,
        title: str,
        kind: str,
        alignments: Sequence[Alignment],
        trainee_gmc: str,
    ) -> SignOffClaims:
        if record.decision != "signed_off":
            raise InvalidInput("Only a decision to sign off becomes a credential.")
        if record.trainee_gmc not in (None, trainee_gmc):
            raise InvalidInput(
                f"This sign-off was signed for the trainee with GMC {record.trainee_gmc}; its "
                f"credential cannot name GMC {trainee_gmc}."
            )
        return cls(
            evidence_uuid=record.evidence_uuid,
            evidence_digest=record.evidence_digest,
            title=title,
            kind=kind,
            alignments=tuple(alignments),
            comment=record.comment,
            signer_name=record.signer.name,
            signer_gmc=record.signer.gmc_number,
            signer_role=record.signer.role,
            signer_did=did_key_of(base64.b64decode(record.signer.public_key)),
            trainee_gmc=trainee_gmc,
            signed_at=record.signed_at,
        )

    @property
    def credential_id(self) -> str:
        """One id per sign-off, the same in both cryptosuites."""
        name = f"{self.evidence_uuid} {self.evidence_digest} {self.signer_did} {self.signed_at}"
        return f"urn:uuid:{uuid_module.uuid5(_ID_NAMESPACE, name)}"

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(base64.b64encode(public_key_of(self.signer_did)).decode("ascii"))

    def document(self) -> dict[str, Any]:
        """The unsecured credential."""
        role = self.signer_role.replace("_", " ").capitalize()
        evidence: dict[str, Any] = {
            "id": f"urn:uuid:{self.evidence_uuid}",
            "type": ["Evidence"],
            "name": self.title,
            "genre": self.kind,
            "description": f"GPC Portfolio evidence item; content SHA-256 {self.evidence_digest}",
        }
        if self.comment:
            evidence["narrative"] = self.comment
        return {
            "@context": list(_CONTEXT),
            "id": self.credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": f"Signed off: {self.title}",
            "issuer": {
                "id": self.signer_did,
                "type": ["Profile"],
                "name": self.signer_name,
                "description": role,
                "otherIdentifier": [_gmc_entry(self.signer_gmc)],
            },
            "validFrom": self.signed_at,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "hashed": False,
                        "identityHash": self.trainee_gmc,
                        "identityType": _GMC_IDENTIFIER,
                    }
                ],
                "achievement": {
                    "id": f"urn:gpc-portfolio:signoff:{self.evidence_uuid}:{self.evidence_digest}",
                    "type": ["Achievement"],
                    "name": self.title,
                    "description": (
                        f"{role} {self.signer_name} signed off the {self.kind} "
                        f"'{self.title}' as evidence of the capabilities it is linked to."
                    ),
                    "criteria": {
                        "narrative": "Reviewed and signed off by a supervisor against the GMC "
                        "Generic Professional Capabilities framework."
                    },
                    "tag": [self.kind],
                    "alignment": [_alignment(a) for a in self.alignments],
                },
            },
            "evidence": [evidence],
        }


def _gmc_entry(gmc: str) -> dict[str, Any]:
    return {"type": "IdentifierEntry", "identifier": gmc, "identifierType": _GMC_IDENTIFIER}


def _alignment(alignment: Alignment) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetCode": alignment.code,
        "targetName": alignment.name,
        "targetFramework": alignment.framework,
        "targetUrl": _GPC_FRAMEWORK_URL,
    }


def issue_credential(
    claims: SignOffClaims, private_key: Ed25519PrivateKey, suite: Suite, created: str
) -> dict[str, Any]:
    """The signed credential; the key must be the signer's."""
    if did_key_of(private_key.public_key().public_bytes_raw()) != claims.signer_did:
        raise InvalidInput("The private key does not belong to the signer of this sign-off.")
    return secure(claims.document(), private_key, suite, created)


def _get(data: object, *path: str | int) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or len(data) <= step:
                raise InvalidInput("This is not a GPC Portfolio sign-off credential.")
            data = data[step]
        else:
            if not isinstance(data, dict) or step not in data:
                raise InvalidInput("This is not a GPC Portfolio sign-off credential.")
            data = data[step]
    return data


def read_claims(document: object) -> SignOffClaims:
    """The claims of one of our credentials, which must be exactly as `SignOffClaims` builds
    them: so nothing in it escapes the proof (RDF canonicalisation signs only what the
    contexts define)."""
    if not isinstance(document, dict):
        raise InvalidInput("A credential must be a JSON object.")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    subject = _get(unsecured, "credentialSubject")
    evidence = _get(unsecured, "evidence", 0)
    issuer = _get(unsecured, "issuer")
    uuid_text = str(_get(evidence, "id")).removeprefix("urn:uuid:")
    claims = SignOffClaims(
        evidence_uuid=uuid_text,
        evidence_digest=str(_get(evidence, "description")).rpartition(" ")[2],
        title=_get(evidence, "name"),
        kind=_get(evidence, "genre"),
        alignments=tuple(
            Alignment(_get(a, "targetCode"), _get(a, "targetName"), _get(a, "targetFramework"))
            for a in _get(subject, "achievement", "alignment")
        ),
        comment=evidence.get("narrative", ""),
        signer_name=_get(issuer, "name"),
        signer_gmc=_get(issuer, "otherIdentifier", 0, "identifier"),
        signer_role=str(_get(issuer, "description")).lower().replace(" ", "_"),
        signer_did=_get(issuer, "id"),
        trainee_gmc=_get(subject, "identifier", 0, "identityHash"),
        signed_at=_get(unsecured, "validFrom"),
    )
    if claims.document() != unsecured:
        raise InvalidInput("This is not a GPC Portfolio sign-off credential.")
    return claims


@dataclass(frozen=True)
class VerifiedCredential:
    claims: SignOffClaims
    proof: VerifiedProof


def verify_credential(document: object) -> VerifiedCredential:
    """Verify one of our sign-off credentials: its proof, its shape, and that the key that
    signed it is the issuer's; InvalidInput says what is wrong."""
    proof = verify_proof(document)
    claims = read_claims(document)
    if claims.signer_did != proof.did:
        raise InvalidInput("The credential is signed by a key that is not its issuer's.")
    return VerifiedCredential(claims, proof)
