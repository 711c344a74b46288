"""Our Data Integrity verifier and signer against the W3C vc-di-eddsa v1.0 test vectors.

The vectors in tests/data/vc-di-eddsa/ are copied unchanged from the specification's
TestVectors/ folder (W3C Software and Document License, beside them); the examples context is
the W3C VC 2.0 one they use. Signing is deterministic (pure Ed25519), so signing the unsigned
vector with the vector key must give the signed vector byte for byte.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portfolio.errors import InvalidInput
from portfolio.security.credentials import (
    Suite,
    bundled_contexts,
    rdf_canonical,
    secure,
    verify_proof,
)
from portfolio.security.did_key import b58_decode, b58_encode, did_key_of, multibase_decode

VECTORS = Path(__file__).parents[1] / "data" / "vc-di-eddsa"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
CONTEXTS = {
    **bundled_contexts(),
    EXAMPLES_V2: json.loads((VECTORS / "credentials-examples-v2.jsonld").read_text()),
}
SIGNED = {
    "eddsa-rdfc-2022": VECTORS / "eddsa-rdfc-2022" / "signedDataInt.json",
    "eddsa-jcs-2022": VECTORS / "eddsa-jcs-2022" / "signedJCS.json",
}
SUITES: tuple[Suite, ...] = ("eddsa-rdfc-2022", "eddsa-jcs-2022")


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def vector_key() -> Ed25519PrivateKey:
    raw = multibase_decode(load(VECTORS / "keyPair.json")["privateKeyMultibase"])
    assert raw[:2] == b"\x80\x26"  # the Multikey header of an Ed25519 secret key
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def test_the_vector_key_pair_is_the_did_key_of_the_vectors() -> None:
    public = load(VECTORS / "keyPair.json")["publicKeyMultibase"]
    did = did_key_of(vector_key().public_key().public_bytes_raw())
    assert did == f"did:key:{public}"
    for path in SIGNED.values():
        assert load(path)["proof"]["verificationMethod"] == f"{did}#{public}"


@pytest.mark.parametrize("suite", SUITES)
def test_each_signed_vector_verifies(suite: Suite) -> None:
    proof = verify_proof(load(SIGNED[suite]), CONTEXTS)
    assert proof.suite == suite
    assert proof.did == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert proof.created == "2023-02-24T23:36:38Z"


@pytest.mark.parametrize("suite", SUITES)
def test_signing_the_unsigned_vector_gives_the_signed_vector(suite: Suite) -> None:
    signed = secure(
        load(VECTORS / "unsigned.json"), vector_key(), suite, "2023-02-24T23:36:38Z", CONTEXTS
    )
    assert signed == load(SIGNED[suite])


def test_the_rdf_canonical_forms_are_the_vectors() -> None:
    document = load(SIGNED["eddsa-rdfc-2022"])
    proof = document.pop("proof")
    del proof["proofValue"]
    folder = VECTORS / "eddsa-rdfc-2022"
    assert rdf_canonical(document, CONTEXTS) == (folder / "canonDocDataInt.txt").read_bytes()
    config = {**proof, "@context": document["@context"]}
    assert rdf_canonical(config, CONTEXTS) == (folder / "proofCanonDataInt.txt").read_bytes()


def test_the_proof_values_are_the_vector_signatures() -> None:
    for suite, name in (("eddsa-rdfc-2022", "DataInt"), ("eddsa-jcs-2022", "JCS")):
        folder = VECTORS / suite
        value = load(SIGNED[suite])["proof"]["proofValue"]
        assert value == (folder / f"sigBTC58{name}.txt").read_text().strip()
        signature = (folder / f"sigHex{name}.txt").read_text().strip()
        assert multibase_decode(value).hex() == signature
        assert b58_encode(b58_decode(value[1:])) == value[1:]


def tampered(suite: Suite, change: Any) -> dict[str, Any]:
    document = copy.deepcopy(load(SIGNED[suite]))
    change(document)
    return document


ATTACKS = {
    "another subject": lambda d: d["credentialSubject"].update(id="did:example:mallory"),
    "another name": lambda d: d.update(name="Forged Credential"),
    "a later validity": lambda d: d.update(validFrom="2030-01-01T00:00:00Z"),
    "another signing time": lambda d: d["proof"].update(created="2024-02-24T23:36:38Z"),
    "another proof purpose": lambda d: d["proof"].update(proofPurpose="authentication"),
    "a claim added": lambda d: d["credentialSubject"].update(degree="Doctor of Medicine"),
    "another key": lambda d: d["proof"].update(
        verificationMethod="did:key:z6MkpdcQnZc8BgN4r7LQhC7qtsQgRpmevs7S7dff8qTcHv55"
        "#z6MkpdcQnZc8BgN4r7LQhC7qtsQgRpmevs7S7dff8qTcHv55"
    ),
    "a huge proof value": lambda d: d["proof"].update(proofValue="z" + "2" * 500_000),
    "a huge did": lambda d: d["proof"].update(
        verificationMethod="did:key:z" + "6" * 500_000 + "#z"
    ),
    "a flipped signature": lambda d: d["proof"].update(
        proofValue=d["proof"]["proofValue"][:-2] + d["proof"]["proofValue"][-1:-3:-1]
    ),
}


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_tampered_vector_fails(suite: Suite, attack: str) -> None:
    with pytest.raises(InvalidInput):
        verify_proof(tampered(suite, ATTACKS[attack]), CONTEXTS)


def test_the_jcs_proof_context_must_begin_the_document_context() -> None:
    document = tampered("eddsa-jcs-2022", lambda d: d["@context"].reverse())
    with pytest.raises(InvalidInput, match="does not begin"):
        verify_proof(document, CONTEXTS)


@pytest.mark.parametrize("suite", SUITES)
def test_a_proof_set_or_a_missing_proof_is_refused(suite: Suite) -> None:
    as_set = tampered(suite, lambda d: d.update(proof=[d["proof"], d["proof"]]))
    with pytest.raises(InvalidInput, match="no proof"):
        verify_proof(as_set, CONTEXTS)
    with pytest.raises(InvalidInput, match="no proof"):
        verify_proof(tampered(suite, lambda d: d.pop("proof")), CONTEXTS)


def test_contexts_are_never_fetched() -> None:
    """The examples context is not bundled: without the test's copy, the vector cannot be read,
    even just after it was read with the copy (no cache answers for the loader)."""
    verify_proof(load(SIGNED["eddsa-rdfc-2022"]), CONTEXTS)
    with pytest.raises(InvalidInput, match="never fetches"):
        verify_proof(load(SIGNED["eddsa-rdfc-2022"]))
    hostile = tampered(
        "eddsa-rdfc-2022",
        lambda d: d["credentialSubject"].update({"@context": "http://127.0.0.1:9/evil.jsonld"}),
    )
    with pytest.raises(InvalidInput, match=r"127\.0\.0\.1"):
        verify_proof(hostile, CONTEXTS)


def test_a_protected_term_cannot_be_redefined() -> None:
    hostile = tampered(
        "eddsa-rdfc-2022",
        lambda d: d["@context"].append({"name": "https://evil.example/name"}),
    )
    with pytest.raises(InvalidInput, match="not valid JSON-LD"):
        verify_proof(hostile, CONTEXTS)


def deeply_nested(depth: int) -> dict[str, Any]:
    nested: dict[str, Any] = {"alumniOf": "The School of Examples"}
    for _ in range(depth):
        nested = {"alumniOf": nested}
    return nested


@pytest.mark.parametrize("suite", SUITES)
def test_a_deeply_nested_credential_is_refused_not_crashed_on(suite: Suite) -> None:
    hostile = tampered(suite, lambda d: d.update(credentialSubject=deeply_nested(5000)))
    with pytest.raises(InvalidInput, match="nested too deeply"):
        verify_proof(hostile, CONTEXTS)
