"""portfolio.security: canonical JSON, Ed25519 sign-offs, identity cards and key stores."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from keyring.compat import properties

from portfolio.errors import InvalidInput, NotFound, PortfolioError
from portfolio.security.canonical import canonical_json, digest, sha256_hex
from portfolio.security.keystore import (
    KEYRING_SERVICE,
    PASSPHRASE_ENV,
    KeyringKeyStore,
    PassphraseKeyStore,
    keyring_problem,
    keystore_warning,
    open_keystore,
    read_passphrase,
)
from portfolio.security.signing import (
    MAX_COMMENT_CHARS,
    SIGNED_FIELDS,
    SIGNED_FIELDS_V1,
    SIGNOFF_FIELDS,
    PublicIdentity,
    SignOffRecord,
    create_signoff,
    fingerprint_of,
    generate_private_key,
    normalize_fingerprint,
    public_key_b64,
    sign,
    signoff_state,
    utc_timestamp,
    verify,
)

# RFC 8032, section 7.1, test 1.
RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_FINGERPRINT = "21FE 31DF A154 A261 626B F854 046F D227"

EVIDENCE_UUID = "123e4567-e89b-42d3-a456-426614174000"
DIGEST_A = sha256_hex(b"evidence A")
DIGEST_B = sha256_hex(b"evidence B")
SIGNED_AT = "2024-05-01T14:30:00Z"
FAST_N = 2**8  # scrypt cost for tests; the default is 2**15


def rfc_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET)


def identity_for(key: Ed25519PrivateKey, **changes: Any) -> PublicIdentity:
    fields: dict[str, Any] = {
        "name": "Dr Ada Lovelace",
        "gmc_number": "1234567",
        "role": "educational_supervisor",
        "public_key": public_key_b64(key),
    }
    fields.update(changes)
    return PublicIdentity(**fields)


TRAINEE_GMC = "7000003"


def make_record(key: Ed25519PrivateKey | None = None, **changes: Any) -> SignOffRecord:
    key = key or rfc_key()
    args: dict[str, Any] = {
        "evidence_uuid": EVIDENCE_UUID,
        "evidence_digest": DIGEST_A,
        "decision": "signed_off",
        "comment": "Well reflected; clear learning points.",
        "signed_at": SIGNED_AT,
        "trainee_gmc": TRAINEE_GMC,
    }
    args.update(changes)
    return create_signoff(key, identity_for(key), **args)


# ------------------------------------------------------------------------------ canonical JSON


def test_canonical_json_sorts_keys_and_has_no_whitespace() -> None:
    assert canonical_json({"b": 1, "a": {"d": [1, 2], "c": None}}) == (
        b'{"a":{"c":null,"d":[1,2]},"b":1}'
    )


def test_canonical_json_sorts_keys_by_utf16_code_units() -> None:
    # U+1F600 is the surrogate pair D83D DE00, which sorts before U+E000 in UTF-16.
    assert canonical_json({"\ue000": 1, "\U0001f600": 2, "z": 3, "é": 4}) == (
        '{"z":3,"é":4,"\U0001f600":2,"\ue000":1}'.encode()
    )


def test_canonical_json_writes_unicode_as_utf8_and_escapes_controls() -> None:
    assert canonical_json(["é€", "\x1f", "\n", '"\\']) == (
        '["é€","\\u001f","\\n","\\"\\\\"]'.encode()
    )


def test_canonical_json_rfc8785_example() -> None:
    # RFC 8785 section 3.2.2 sample input and its canonical output.
    sample = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    ).encode()
    assert canonical_json(sample) == expected


def test_canonical_json_numbers() -> None:
    assert canonical_json([1e21, 1e-7, 0.1, -0.0, 100.0, 2**53 - 1]) == (
        b"[1e+21,1e-7,0.1,0,100,9007199254740991]"
    )


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 2**60, "\ud800"])
def test_canonical_json_refuses_values_json_cannot_carry(bad: object) -> None:
    with pytest.raises(InvalidInput):
        canonical_json({"value": bad})


def test_canonical_json_dates_must_be_strings_already() -> None:
    with pytest.raises(TypeError):
        canonical_json({"when": date(2024, 5, 1)})


def test_digest_is_sha256_of_canonical_json_and_stable() -> None:
    assert digest({}) == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    one = {"uuid": EVIDENCE_UUID, "title": "Audit", "fields": {"x": 1, "a": [True, None]}}
    two = {"fields": {"a": [True, None], "x": 1}, "title": "Audit", "uuid": EVIDENCE_UUID}
    assert digest(one) == digest(two) == sha256_hex(canonical_json(one))
    assert digest(one) != digest({**one, "title": "Audit "})
    assert sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()


# ------------------------------------------------------------------------------ sign / verify


def test_rfc8032_key_and_fingerprint() -> None:
    key = rfc_key()
    assert base64.b64decode(public_key_b64(key)) == RFC8032_PUBLIC
    expected = hashlib.sha256(RFC8032_PUBLIC).hexdigest()[:32].upper()
    assert fingerprint_of(public_key_b64(key)).replace(" ", "") == expected
    assert fingerprint_of(public_key_b64(key)) == RFC8032_FINGERPRINT
    assert normalize_fingerprint(expected.lower()) == RFC8032_FINGERPRINT


def test_sign_is_deterministic_over_canonical_json() -> None:
    key = rfc_key()
    signature = sign(key, {"b": [1, "é"], "a": 1})
    assert signature == (
        "PjvLm0+Qo9UfRkaxRmyMRX5BKVwHst0coAfyAYSGk71ebmGVzn+LCt8DsVpMi9Gwno6iMGE9Puvhwpi6oxu2Bw=="
    )
    raw = base64.b64decode(signature)
    key.public_key().verify(raw, '{"a":1,"b":[1,"é"]}'.encode())  # raises if not


def test_sign_then_verify() -> None:
    key = generate_private_key()
    payload = {"evidence": EVIDENCE_UUID, "n": 3}
    signature = sign(key, payload)
    assert verify(public_key_b64(key), payload, signature)
    assert verify(public_key_b64(key), {"n": 3, "evidence": EVIDENCE_UUID}, signature)


def test_verify_rejects_tampering_and_other_keys() -> None:
    key = generate_private_key()
    payload = {"evidence": EVIDENCE_UUID, "decision": "signed_off"}
    signature = sign(key, payload)
    public = public_key_b64(key)
    assert not verify(public, {**payload, "decision": "changes_requested"}, signature)
    assert not verify(public, {**payload, "extra": None}, signature)
    raw = bytearray(base64.b64decode(signature))
    raw[10] ^= 0x01
    assert not verify(public, payload, base64.b64encode(bytes(raw)).decode())
    assert not verify(public_key_b64(generate_private_key()), payload, signature)


@pytest.mark.parametrize(
    ("public", "payload", "signature"),
    [
        ("not base64!", {}, None),
        (base64.b64encode(b"x" * 31).decode(), {}, None),
        (None, {}, "not base64!"),
        (None, {}, base64.b64encode(b"x" * 63).decode()),
        (None, {}, ""),
        (None, {"nan": float("nan")}, None),
        (None, "not a mapping", None),
        (12, {}, None),
        (None, {}, 12),
    ],
)
def test_verify_never_raises(public: Any, payload: Any, signature: Any) -> None:
    key = generate_private_key()
    good_signature = sign(key, {})
    assert not verify(
        public_key_b64(key) if public is None else public,
        payload,
        good_signature if signature is None else signature,
    )


# ------------------------------------------------------------------------------ identity cards


def test_identity_card_round_trip() -> None:
    identity = identity_for(generate_private_key(), role="clinical_supervisor")
    card = identity.to_card()
    assert card["format"] == "gpc-portfolio-identity"
    assert card["format_version"] == 1
    assert card["fingerprint"] == identity.fingerprint
    assert PublicIdentity.from_card(json.loads(json.dumps(card))) == identity
    assert PublicIdentity.from_card_json(json.dumps(card)) == identity
    without_fingerprint = {k: v for k, v in card.items() if k != "fingerprint"}
    assert PublicIdentity.from_card(without_fingerprint) == identity


def test_fingerprint_format() -> None:
    fingerprint = identity_for(generate_private_key()).fingerprint
    groups = fingerprint.split(" ")
    assert len(groups) == 8
    assert all(len(g) == 4 and g == g.upper() and int(g, 16) >= 0 for g in groups)


def _card() -> dict[str, Any]:
    return identity_for(rfc_key()).to_card()


@pytest.mark.parametrize(
    ("change", "mentions"),
    [
        ({"format": "something-else"}, "not a GPC Portfolio identity card"),
        ({"format_version": 2}, "format_version"),
        ({"format_version": True}, "format_version"),
        ({"gmc_number": "123456"}, "gmc_number"),
        ({"gmc_number": "12345678"}, "gmc_number"),
        ({"gmc_number": "１２３４５６７"}, "gmc_number"),
        ({"gmc_number": 1234567}, "gmc_number"),
        ({"role": "consultant"}, "role"),
        ({"name": "  "}, "name"),
        ({"name": "Dr A\nB"}, "name"),
        ({"public_key": "not base64"}, "public_key"),
        ({"public_key": base64.b64encode(b"k" * 31).decode()}, "public_key"),
        ({"public_key": base64.b64encode(b"k" * 33).decode()}, "public_key"),
        ({"fingerprint": "0000 0000 0000 0000 0000 0000 0000 0000"}, "fingerprint"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_identity_cards(change: dict[str, Any], mentions: str) -> None:
    card = {**_card(), **change}
    with pytest.raises(InvalidInput, match=mentions):
        PublicIdentity.from_card(card)


@pytest.mark.parametrize("missing", ["name", "gmc_number", "role", "public_key", "format_version"])
def test_identity_card_missing_field(missing: str) -> None:
    card = _card()
    del card[missing]
    with pytest.raises(InvalidInput, match=missing):
        PublicIdentity.from_card(card)


@pytest.mark.parametrize("data", [[], "card", None, b"{"])
def test_identity_card_not_an_object(data: Any) -> None:
    with pytest.raises(InvalidInput):
        PublicIdentity.from_card(data)
    with pytest.raises(InvalidInput):
        PublicIdentity.from_card_json("{not json")


# ------------------------------------------------------------------------------ sign-off records


def test_signoff_record_fields_and_signature() -> None:
    record = make_record()
    assert record.signature_valid()
    assert tuple(record.payload()) == SIGNED_FIELDS
    assert tuple(record.to_dict()) == SIGNOFF_FIELDS
    payload = record.payload()
    assert payload["signer_name"] == "Dr Ada Lovelace"
    assert payload["signer_gmc"] == "1234567"
    assert payload["signer_role"] == "educational_supervisor"
    assert payload["public_key"] == public_key_b64(rfc_key())
    assert payload["signed_at"] == SIGNED_AT
    assert "signature" not in payload
    assert verify(record.signer.public_key, payload, record.signature)


def test_signoff_record_dict_round_trip() -> None:
    record = make_record(decision="changes_requested", comment="Please add the outcome.")
    again = SignOffRecord.from_dict(json.loads(json.dumps(record.to_dict())))
    assert again == record
    assert again.signature_valid()


def test_signoff_states() -> None:
    key = rfc_key()
    record = make_record(key)
    assert signoff_state(record, DIGEST_A, None) == "valid"
    assert signoff_state(record, DIGEST_B, None) == "edited"
    assert signoff_state(record, DIGEST_A, {record.signer.public_key}) == "valid"
    assert signoff_state(record, DIGEST_B, {record.signer.public_key}) == "edited"
    # Key not known: invalid even though the signature is good.
    assert signoff_state(record, DIGEST_A, set()) == "invalid"
    assert signoff_state(record, DIGEST_A, {public_key_b64(generate_private_key())}) == "invalid"
    # Any change to a signed field breaks the signature.
    assert signoff_state(replace(record, decision="changes_requested"), DIGEST_A, None) == "invalid"
    assert signoff_state(replace(record, comment="edited"), DIGEST_A, None) == "invalid"
    assert signoff_state(replace(record, evidence_digest=DIGEST_B), DIGEST_B, None) == "invalid"
    assert signoff_state(replace(record, signed_at="2024-05-02T14:30:00Z"), DIGEST_A) == "invalid"
    other_identity = identity_for(key, name="Dr Someone Else")
    assert signoff_state(replace(record, signer=other_identity), DIGEST_A, None) == "invalid"
    # A signature from another key, even over the same payload.
    forged = replace(record, signature=sign(generate_private_key(), record.payload()))
    assert signoff_state(forged, DIGEST_A, None) == "invalid"
    assert signoff_state(replace(record, signature="garbage"), DIGEST_A, None) == "invalid"
    # A record about another item.
    other_uuid = "00000000-0000-4000-8000-000000000000"
    assert signoff_state(record, DIGEST_A, None, evidence_uuid=other_uuid) == "invalid"
    assert signoff_state(record, DIGEST_A, None, evidence_uuid=EVIDENCE_UUID) == "valid"


def test_a_record_names_the_record_it_supersedes_inside_what_is_signed() -> None:
    first = make_record()
    second = make_record(decision="changes_requested", supersedes=first.signature)
    assert second.payload()["supersedes"] == first.signature
    assert second.signature_valid()
    again = SignOffRecord.from_dict(json.loads(json.dumps(second.to_dict())))
    assert again == second
    other = make_record(comment="Another").signature
    assert not replace(second, supersedes=other).signature_valid()
    assert not replace(second, supersedes=None).signature_valid()


def test_version_1_records_are_still_read_and_verified() -> None:
    key = rfc_key()
    unsigned = replace(make_record(key), format_version=1, trainee_gmc=None, signature="")
    old = replace(unsigned, signature=sign(key, unsigned.payload()))
    data = old.to_dict()
    assert tuple(data) == (*SIGNED_FIELDS_V1, "signature")
    assert data["format_version"] == 1 and "supersedes" not in data and "trainee_gmc" not in data
    read = SignOffRecord.from_dict(data)
    assert read.format_version == 1 and read.supersedes is None and read.trainee_gmc is None
    assert signoff_state(read, DIGEST_A) == "valid"
    # A version 1 record cannot claim a predecessor, nor be read as version 2.
    with pytest.raises(InvalidInput, match="version 1"):
        replace(read, supersedes=make_record().signature)
    with pytest.raises(InvalidInput, match="missing the field 'supersedes'"):
        SignOffRecord.from_dict({**data, "format_version": 2})
    with pytest.raises(InvalidInput, match="unknown field 'supersedes'"):
        SignOffRecord.from_dict({**data, "supersedes": None})
    # Nor name a trainee: that would need a version 2 signature.
    with pytest.raises(InvalidInput, match="cannot name the trainee"):
        replace(read, trainee_gmc=TRAINEE_GMC)
    with pytest.raises(InvalidInput, match="unknown field 'trainee_gmc'"):
        SignOffRecord.from_dict({**data, "trainee_gmc": TRAINEE_GMC})


def test_a_version_2_record_names_the_trainee_inside_what_is_signed() -> None:
    record = make_record()
    assert record.payload()["trainee_gmc"] == TRAINEE_GMC
    assert SignOffRecord.from_dict(record.to_dict()) == record
    # Moving it to another trainee's portfolio means changing a signed field.
    assert not replace(record, trainee_gmc="7000004").signature_valid()
    with pytest.raises(InvalidInput, match="missing the field 'trainee_gmc'"):
        SignOffRecord.from_dict({k: v for k, v in record.to_dict().items() if k != "trainee_gmc"})
    with pytest.raises(InvalidInput, match="'trainee_gmc' must be text"):
        SignOffRecord.from_dict({**record.to_dict(), "trainee_gmc": None})
    with pytest.raises(InvalidInput, match="trainee's GMC number must be text"):
        replace(record, trainee_gmc=None)


def test_a_withdrawal_must_name_what_it_withdraws() -> None:
    with pytest.raises(InvalidInput, match="must name the decision it withdraws"):
        make_record(decision="withdrawn")
    decision = make_record()
    withdrawal = make_record(decision="withdrawn", supersedes=decision.signature)
    assert withdrawal.signature_valid()


def test_create_signoff_refuses_a_key_that_is_not_the_identitys() -> None:
    with pytest.raises(InvalidInput, match="does not belong"):
        create_signoff(
            generate_private_key(),
            identity_for(rfc_key()),
            EVIDENCE_UUID,
            DIGEST_A,
            "signed_off",
            "",
            SIGNED_AT,
            trainee_gmc=TRAINEE_GMC,
        )


def test_signed_at_from_datetimes() -> None:
    plus_one = timezone(timedelta(hours=1))
    record = make_record(signed_at=datetime(2024, 5, 1, 15, 30, 0, 999_999, tzinfo=plus_one))
    assert record.signed_at == SIGNED_AT
    assert make_record(signed_at=None).signed_at.endswith("Z")
    assert utc_timestamp(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    with pytest.raises(ValueError):
        utc_timestamp(datetime(2024, 1, 2, 3, 4, 5))
    for bad in ("2024-05-01 14:30:00Z", "2024-05-01T14:30:00", "2024-02-30T00:00:00Z"):
        with pytest.raises(InvalidInput, match="UTC time"):
            make_record(signed_at=bad)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("evidence_uuid", "not-a-uuid"),
        ("evidence_uuid", EVIDENCE_UUID.upper()),
        ("evidence_digest", "ABC"),
        ("evidence_digest", DIGEST_A.upper()),
        ("decision", "approved"),
        ("comment", 5),
        ("comment", "x" * (MAX_COMMENT_CHARS + 1)),
        ("signer_name", ""),
        ("signer_gmc", "12345"),
        ("signer_role", "boss"),
        ("public_key", "AAAA"),
        ("signed_at", "yesterday"),
        ("signature", "not base64"),
        ("signature", base64.b64encode(b"s" * 63).decode()),
        ("format_version", 3),
        ("format_version", "2"),
        ("supersedes", "not base64"),
        ("supersedes", 7),
    ],
)
def test_signoff_from_dict_names_the_bad_field(field: str, value: Any) -> None:
    data = make_record().to_dict()
    data[field] = value
    with pytest.raises(InvalidInput, match=f"'{field}'"):
        SignOffRecord.from_dict(data)


@pytest.mark.parametrize("field", SIGNOFF_FIELDS[1:])
def test_signoff_from_dict_missing_field(field: str) -> None:
    data = make_record().to_dict()
    del data[field]
    with pytest.raises(InvalidInput, match=f"missing the field '{field}'"):
        SignOffRecord.from_dict(data)


def test_signoff_from_dict_refuses_unknown_fields_and_other_formats() -> None:
    data = make_record().to_dict()
    with pytest.raises(InvalidInput, match="unknown field 'status'"):
        SignOffRecord.from_dict({**data, "status": "valid"})
    with pytest.raises(InvalidInput, match="not a GPC Portfolio sign-off"):
        SignOffRecord.from_dict({**data, "format": "gpc-portfolio-identity"})
    with pytest.raises(InvalidInput, match="JSON object"):
        SignOffRecord.from_dict([data])


def test_signoff_from_dict_keeps_a_well_formed_forgery_as_invalid() -> None:
    data = make_record().to_dict()
    data["comment"] = "Changed after signing"
    record = SignOffRecord.from_dict(data)
    assert signoff_state(record, DIGEST_A, None) == "invalid"


@settings(max_examples=60, deadline=None)
@given(comment=st.text(max_size=500))
def test_sign_then_verify_any_comment(comment: str) -> None:
    record = make_record(comment=comment)
    assert record.signature_valid()
    again = SignOffRecord.from_dict(json.loads(json.dumps(record.to_dict())))
    assert signoff_state(again, DIGEST_A, {record.signer.public_key}) == "valid"
    assert signoff_state(again, DIGEST_B, None) == "edited"


# ------------------------------------------------------------------------------ passphrase store


@pytest.fixture
def file_store(tmp_path: Path) -> PassphraseKeyStore:
    return PassphraseKeyStore(tmp_path, n=FAST_N)


def _fp(key: Ed25519PrivateKey) -> str:
    return fingerprint_of(public_key_b64(key))


def test_passphrase_store_round_trip(file_store: PassphraseKeyStore) -> None:
    key = generate_private_key()
    assert file_store.needs_passphrase
    assert not file_store.contains(_fp(key))
    file_store.save(_fp(key), key, "correct horse battery staple")
    assert file_store.contains(_fp(key))
    loaded = file_store.load(_fp(key), "correct horse battery staple")
    assert loaded.private_bytes_raw() == key.private_bytes_raw()
    # The fingerprint may be typed without spaces and in lower case.
    compact = _fp(key).replace(" ", "").lower()
    assert file_store.load(compact, "correct horse battery staple").private_bytes_raw() == (
        key.private_bytes_raw()
    )
    file_store.delete(_fp(key))
    with pytest.raises(NotFound):
        file_store.load(_fp(key), "correct horse battery staple")
    with pytest.raises(NotFound):
        file_store.delete(_fp(key))


def test_passphrase_store_unicode_passphrase_in_either_normal_form(
    file_store: PassphraseKeyStore,
) -> None:
    key = generate_private_key()
    file_store.save(_fp(key), key, "caf\u00e9")  # é precomposed
    assert file_store.load(_fp(key), "cafe\u0301")  # e + combining acute


def test_passphrase_store_wrong_passphrase(file_store: PassphraseKeyStore) -> None:
    key = generate_private_key()
    file_store.save(_fp(key), key, "right")
    with pytest.raises(InvalidInput, match=f"Wrong passphrase for the key {_fp(key)}"):
        file_store.load(_fp(key), "wrong")


@pytest.mark.parametrize("passphrase", ["", None])
def test_passphrase_store_refuses_empty_passphrase(
    file_store: PassphraseKeyStore, passphrase: str | None
) -> None:
    key = generate_private_key()
    with pytest.raises(InvalidInput, match="must not be empty"):
        file_store.save(_fp(key), key, passphrase)
    assert not file_store.keys_dir.exists() or not any(file_store.keys_dir.iterdir())
    file_store.save(_fp(key), key, "x")
    with pytest.raises(InvalidInput, match="must not be empty"):
        file_store.load(_fp(key), passphrase)


def test_passphrase_store_file_is_encrypted_and_private(file_store: PassphraseKeyStore) -> None:
    key = generate_private_key()
    file_store.save(_fp(key), key, "secret passphrase")
    path = file_store.path_for(_fp(key))
    assert path == file_store.folder / "keys" / (_fp(key).replace(" ", "") + ".key")
    content = path.read_bytes()
    raw = key.private_bytes_raw()
    for leaked in (raw, raw.hex().encode(), raw.hex().upper().encode(), base64.b64encode(raw)):
        assert leaked not in content
    assert b"secret passphrase" not in content
    document = json.loads(content)
    assert set(document) == {
        "format",
        "format_version",
        "kdf",
        "n",
        "r",
        "p",
        "salt",
        "nonce",
        "ciphertext",
    }
    assert (document["kdf"], document["n"], document["r"], document["p"]) == (
        "scrypt",
        FAST_N,
        8,
        1,
    )
    assert len(base64.b64decode(document["ciphertext"])) == 32 + 16  # key + GCM tag
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(file_store.keys_dir.stat().st_mode) == 0o700
    # Written through a temporary file that is gone afterwards; saving again replaces it.
    file_store.save(_fp(key), key, "another passphrase")
    assert [p.name for p in file_store.keys_dir.iterdir()] == [path.name]
    assert json.loads(path.read_bytes())["salt"] != document["salt"]


def test_passphrase_store_default_cost(tmp_path: Path) -> None:
    store = PassphraseKeyStore(tmp_path)
    key = generate_private_key()
    store.save(_fp(key), key, "pw")
    document = json.loads(store.path_for(_fp(key)).read_bytes())
    assert (document["n"], document["r"], document["p"]) == (2**15, 8, 1)
    assert store.location() == (
        f"in an encrypted file protected by your passphrase: {tmp_path / 'keys'}"
    )


def test_passphrase_store_names_a_folder_under_home_with_a_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    store = PassphraseKeyStore(tmp_path / "data")
    assert store.location() == "in an encrypted file protected by your passphrase: ~/data/keys"


def test_passphrase_store_damaged_or_swapped_files(file_store: PassphraseKeyStore) -> None:
    key, other = generate_private_key(), generate_private_key()
    file_store.save(_fp(key), key, "pw")
    path = file_store.path_for(_fp(key))
    good = json.loads(path.read_bytes())

    def load_with(document: Any) -> None:
        path.write_text(json.dumps(document))
        file_store.load(_fp(key), "pw")

    ciphertext = bytearray(base64.b64decode(good["ciphertext"]))
    ciphertext[0] ^= 1
    with pytest.raises(InvalidInput):
        load_with({**good, "ciphertext": base64.b64encode(bytes(ciphertext)).decode()})
    with pytest.raises(InvalidInput, match="scrypt parameters"):
        load_with({**good, "n": 2**30})  # refused before any memory is spent
    with pytest.raises(InvalidInput, match="scrypt parameters"):
        load_with({**good, "n": 1000})
    with pytest.raises(InvalidInput, match="nonce"):
        load_with({**good, "nonce": "***"})
    with pytest.raises(InvalidInput, match="not a GPC Portfolio key file"):
        load_with({**good, "format": "x"})
    with pytest.raises(InvalidInput, match="key derivation"):
        load_with({**good, "kdf": "pbkdf2"})
    path.write_text("{")
    with pytest.raises(InvalidInput, match="not complete JSON"):
        file_store.load(_fp(key), "pw")
    # Another key's file under this fingerprint fails: the fingerprint is associated data.
    file_store.save(_fp(other), other, "pw")
    file_store.path_for(_fp(other)).replace(path)
    with pytest.raises(InvalidInput):
        file_store.load(_fp(key), "pw")


def test_stores_refuse_a_key_under_the_wrong_fingerprint(
    file_store: PassphraseKeyStore, memory_keyring: MemoryKeyring
) -> None:
    key = generate_private_key()
    wrong = _fp(generate_private_key())
    for store in (file_store, KeyringKeyStore()):
        with pytest.raises(InvalidInput, match="does not have the fingerprint"):
            store.save(wrong, key, "pw")
    with pytest.raises(InvalidInput, match="fingerprint"):
        file_store.load("not a fingerprint", "pw")


# ------------------------------------------------------------------------------ keyring store


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring for tests. Its priority raises, so keyring never auto-selects it."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test-only keyring")

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such password") from None


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class ForgetfulKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        return None  # like the chainer over backends that cannot write


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def use_keyring() -> Iterator[Any]:
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_keyring_store_round_trip(memory_keyring: MemoryKeyring) -> None:
    store = KeyringKeyStore()
    assert not store.needs_passphrase
    key = generate_private_key()
    store.save(_fp(key), key, None)
    assert memory_keyring.entries == {
        (KEYRING_SERVICE, _fp(key)): base64.b64encode(key.private_bytes_raw()).decode()
    }
    assert store.contains(_fp(key))
    assert store.load(_fp(key), None).private_bytes_raw() == key.private_bytes_raw()
    store.delete(_fp(key))
    assert memory_keyring.entries == {}
    with pytest.raises(NotFound, match="system keyring"):
        store.load(_fp(key), None)
    with pytest.raises(NotFound):
        store.delete(_fp(key))


def test_keyring_store_with_explicit_backend() -> None:
    backend = MemoryKeyring()
    store = KeyringKeyStore(backend)
    key = generate_private_key()
    store.save(_fp(key), key, None)
    assert (KEYRING_SERVICE, _fp(key)) in backend.entries
    assert store.location().startswith("in the system keyring (")


def test_keyring_store_reports_backend_failures(use_keyring: Any) -> None:
    key = generate_private_key()
    use_keyring(LockedKeyring())
    with pytest.raises(PortfolioError, match="system keyring could not be read"):
        KeyringKeyStore().load(_fp(key), None)
    use_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(PortfolioError, match="system keyring could not store the key"):
        KeyringKeyStore().save(_fp(key), key, None)
    use_keyring(ForgetfulKeyring())
    with pytest.raises(PortfolioError, match="did not keep the key"):
        KeyringKeyStore().save(_fp(key), key, None)


def test_keyring_store_damaged_entry(memory_keyring: MemoryKeyring) -> None:
    key, other = generate_private_key(), generate_private_key()
    memory_keyring.entries[(KEYRING_SERVICE, _fp(key))] = "%%%"
    with pytest.raises(PortfolioError, match="damaged"):
        KeyringKeyStore().load(_fp(key), None)
    memory_keyring.entries[(KEYRING_SERVICE, _fp(key))] = base64.b64encode(
        other.private_bytes_raw()
    ).decode()
    with pytest.raises(PortfolioError, match="another fingerprint"):
        KeyringKeyStore().load(_fp(key), None)


# ------------------------------------------------------------------------------ choosing a store


def test_open_keystore_uses_a_working_keyring(tmp_path: Path, memory_keyring: Any) -> None:
    store = open_keystore(tmp_path)
    assert isinstance(store, KeyringKeyStore)
    assert store.location().startswith("in the system keyring")
    assert keystore_warning(store) is None


@pytest.mark.parametrize(
    "backend",
    [keyring.backends.fail.Keyring, keyring.backends.null.Keyring, LockedKeyring],
)
def test_open_keystore_falls_back_to_passphrase(
    tmp_path: Path, use_keyring: Any, backend: type[keyring.backend.KeyringBackend]
) -> None:
    use_keyring(backend())
    store = open_keystore(tmp_path)
    assert isinstance(store, PassphraseKeyStore)
    assert store.needs_passphrase
    assert store.location() == (
        f"in an encrypted file protected by your passphrase: {tmp_path / 'keys'}"
    )
    warning = keystore_warning(store)
    assert warning is not None
    assert "No working system keyring" in warning
    assert str(tmp_path / "keys") in warning


def test_open_keystore_chainer_without_backends_is_not_a_keyring(
    tmp_path: Path, use_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring.backend, "get_all_keyring", list)
    chainer = keyring.backends.chainer.ChainerBackend()
    assert list(chainer.backends) == []
    use_keyring(chainer)
    assert keyring_problem() is not None
    assert isinstance(open_keystore(tmp_path), PassphraseKeyStore)


def test_open_keystore_passphrase_by_choice_has_no_warning(
    tmp_path: Path, memory_keyring: Any
) -> None:
    store = open_keystore(tmp_path, prefer_keyring=False)
    assert isinstance(store, PassphraseKeyStore)
    assert keystore_warning(store) is None


def test_open_keystore_finds_an_existing_key_file(tmp_path: Path, memory_keyring: Any) -> None:
    key = generate_private_key()
    PassphraseKeyStore(tmp_path, n=FAST_N).save(_fp(key), key, "pw")
    assert isinstance(open_keystore(tmp_path, fingerprint=_fp(key)), PassphraseKeyStore)
    other = _fp(generate_private_key())
    assert isinstance(open_keystore(tmp_path, fingerprint=other), KeyringKeyStore)


# ------------------------------------------------------------------------------ passphrases


def test_read_passphrase_order(tmp_path: Path) -> None:
    file = tmp_path / "pass.txt"
    file.write_text("from file\n", encoding="utf-8")
    env = {PASSPHRASE_ENV: "from env"}
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return "typed"

    assert read_passphrase(file, env, prompt) == "from file"
    assert read_passphrase(None, env, prompt) == "from env"
    assert read_passphrase(None, {}, prompt) == "typed"
    assert read_passphrase(None, {PASSPHRASE_ENV: ""}, prompt) == "typed"
    assert len(asked) == 2


def test_read_passphrase_file_keeps_inner_whitespace(tmp_path: Path) -> None:
    file = tmp_path / "pass.txt"
    file.write_bytes(b" two words \r\n")
    assert read_passphrase(file, {}) == " two words "
    file.write_bytes(b"no newline")
    assert read_passphrase(file, {}) == "no newline"


def test_read_passphrase_problems(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="A passphrase is needed"):
        read_passphrase(None, {}, None)

    def eof(text: str) -> str:
        raise EOFError

    with pytest.raises(InvalidInput, match="A passphrase is needed"):
        read_passphrase(None, {}, eof)
    with pytest.raises(InvalidInput, match="A passphrase is needed"):
        read_passphrase(None, {}, lambda text: "")
    with pytest.raises(NotFound, match="no passphrase file"):
        read_passphrase(tmp_path / "missing.txt", {PASSPHRASE_ENV: "x"})
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(InvalidInput, match="is empty"):
        read_passphrase(empty, {PASSPHRASE_ENV: "x"})


def test_no_qt_in_security_package() -> None:
    import portfolio.security

    for source in Path(portfolio.security.__file__).parent.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"PySide|\bQt", text), source


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_json_values)
def test_the_fast_path_writes_exactly_what_rfc8785_writes(value: Any) -> None:
    import rfc8785

    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        with pytest.raises(InvalidInput):
            canonical_json(value)
        return
    assert canonical_json(value) == expected
