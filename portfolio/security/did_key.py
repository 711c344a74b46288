"""`did:key` identifiers for Ed25519 keys, and the base58-btc multibase they are written in.

A did:key is ``did:key:`` + ``z`` + base58-btc of the multicodec header 0xed 0x01 followed by the
32-byte public key (did:key method, W3C CCG; Multikey in Controlled Identifiers 1.0). Its one
verification method is the DID with the same multibase value as fragment.
"""

from __future__ import annotations

from typing import Final

from portfolio.errors import InvalidInput

__all__ = [
    "b58_decode",
    "b58_encode",
    "did_key_of",
    "multibase_decode",
    "multibase_encode",
    "public_key_of",
    "verification_method_of",
]

_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX: Final = {ch: i for i, ch in enumerate(_ALPHABET)}
_ED25519_HEADER: Final = b"\xed\x01"
_PREFIX: Final = "did:key:"
_PUBLIC_KEY_BYTES: Final = 32
_MAX_DID_CHARS: Final = 64  # an Ed25519 did:key has 56; decoding base58 is quadratic


def b58_encode(data: bytes) -> str:
    """Base58 with the Bitcoin alphabet; each leading zero byte is written as ``1``."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(_ALPHABET[rest])
    return "1" * zeros + "".join(reversed(digits))


def b58_decode(text: str) -> bytes:
    """The bytes of a base58-btc string; InvalidInput for a character outside the alphabet."""
    number = 0
    for ch in text:
        if ch not in _INDEX:
            raise InvalidInput(f"{text[:20]!r} is not base58: {ch!r} is not a base58 digit.")
        number = number * 58 + _INDEX[ch]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58-btc: ``z`` followed by base58."""
    return "z" + b58_encode(data)


def multibase_decode(text: str) -> bytes:
    if not text.startswith("z"):
        raise InvalidInput("A proof value must be base58-btc multibase (starting with 'z').")
    return b58_decode(text[1:])


def did_key_of(public_key: bytes) -> str:
    """The did:key of a raw 32-byte Ed25519 public key (``did:key:z6Mk…``)."""
    if len(public_key) != _PUBLIC_KEY_BYTES:
        raise InvalidInput("An Ed25519 public key is 32 bytes.")
    return _PREFIX + multibase_encode(_ED25519_HEADER + public_key)


def public_key_of(did: str) -> bytes:
    """The raw Ed25519 public key a did:key names; InvalidInput for any other DID."""
    if not did.startswith(_PREFIX + "z") or len(did) > _MAX_DID_CHARS:
        raise InvalidInput(f"{did[:60]!r} is not the did:key of an Ed25519 key.")
    raw = b58_decode(did[len(_PREFIX) + 1 :])
    if not raw.startswith(_ED25519_HEADER) or len(raw) != 2 + _PUBLIC_KEY_BYTES:
        raise InvalidInput(f"{did[:60]!r} is not the did:key of an Ed25519 key.")
    return raw[2:]


def verification_method_of(did: str) -> str:
    """The one verification method of a did:key: the DID, ``#``, its multibase key."""
    return f"{did}#{did[len(_PREFIX) :]}"
