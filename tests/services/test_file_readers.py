"""Every file we read goes through one bounded JSON reader: duplicate keys, 10,000-deep nesting
and 5,000-digit numbers are refused in one sentence, whichever file they come in."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portfolio.curriculum import read_json_file
from portfolio.errors import InvalidInput
from portfolio.formats.catalogue import read_catalogue
from portfolio.formats.cohort_summary import read_summary
from portfolio.formats.reader import parse_json
from portfolio.formats.review_pack import read_signoff_file
from portfolio.limits import MAX_INTEGER_DIGITS, MAX_JSON_DEPTH
from portfolio.security.database_key import read_settings
from portfolio.security.signing import PublicIdentity
from portfolio.services.review_files import read_review_pack


def _review_pack(path: Path, items: bytes) -> Any:
    packed = path.with_suffix(".gpcreview")
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("manifest.json", b'{"format": "gpc-portfolio-review-pack"}')
        archive.writestr("items.json", items)
    return read_review_pack(packed)


READERS: dict[str, Callable[[Path, bytes], Any]] = {
    "review pack": _review_pack,
    "opportunity catalogue": lambda p, raw: read_catalogue(_written(p, raw)),
    "cohort summary": lambda p, raw: read_summary(_written(p, raw)),
    "sign-off file": lambda p, raw: read_signoff_file(_written(p, raw)),
    "identity card": lambda _p, raw: PublicIdentity.from_card_json(raw),
    "encryption settings": lambda p, raw: read_settings(_written(p, raw)),
    "curriculum": lambda p, raw: read_json_file(_written(p, raw), "curriculum"),
}

HOSTILE = {
    "duplicate key": (b'{"format": "a", "format": "b"}', "repeats the key 'format'"),
    "10,000-deep": (b"[" * 10_000 + b"]" * 10_000, f"nests more than {MAX_JSON_DEPTH} levels"),
    "5,000-digit number": (
        b'{"format_version": ' + b"7" * 5_000 + b"}",
        f"longer than {MAX_INTEGER_DIGITS} digits",
    ),
    "NaN": (b'{"format_version": NaN}', "not a JSON number"),
}


def _written(path: Path, raw: bytes) -> Path:
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize("hostile", sorted(HOSTILE))
@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_refuses_hostile_json(tmp_path: Path, reader: str, hostile: str) -> None:
    raw, reason = HOSTILE[hostile]
    with pytest.raises(InvalidInput, match=reason) as caught:
        READERS[reader](tmp_path / "file.json", raw)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 400


def test_the_limits_are_exact() -> None:
    nested: Any = "leaf"
    for _ in range(MAX_JSON_DEPTH):
        nested = [nested]
    assert parse_json(repr(nested).replace("'", '"'), "x") == nested
    with pytest.raises(InvalidInput, match="nests"):
        parse_json(repr([nested]).replace("'", '"'), "x")
    assert parse_json("9" * MAX_INTEGER_DIGITS, "x") == int("9" * MAX_INTEGER_DIGITS)
    with pytest.raises(InvalidInput, match="digits"):
        parse_json("9" * (MAX_INTEGER_DIGITS + 1), "x")


@pytest.mark.parametrize(
    "text",
    [
        '["' + "[" * 100 + '"]',  # brackets in a string are words, not nesting
        '{"' + "{" * 100 + '": "]]]\\\\"}',  # in a key, with an escaped backslash before the quote
        '["\\"[[[[", "\\\\", "\\u005b\\u005b"]',  # escaped quotes; a bracket written as \u005b
    ],
)
def test_brackets_inside_strings_do_not_count_as_nesting(text: str) -> None:
    deep = "[" * (MAX_JSON_DEPTH - 1) + text + "]" * (MAX_JSON_DEPTH - 1)  # each text: 1 deep
    assert parse_json(deep.encode("utf-16"), "x") == parse_json(deep, "x")
    with pytest.raises(InvalidInput, match="nests"):
        parse_json("[" + deep + "]", "x")


def test_objects_and_arrays_nest_alike_and_a_repeated_key_is_named_wherever_it_is() -> None:
    """Depth counts objects and arrays together, however they alternate; a key repeated in
    an inner object is refused as one at the top is (issue 17 made both checks faster)."""
    half = MAX_JSON_DEPTH // 2
    exact = '{"a": [' * half + "1" + "]}" * half  # MAX_JSON_DEPTH levels, alternating
    assert parse_json(exact, "x")["a"][0]["a"][0]
    for deeper in ("[" + exact + "]", '{"b": ' + exact + "}", exact.replace("1", "{}", 1)):
        with pytest.raises(InvalidInput, match=f"nests more than {MAX_JSON_DEPTH} levels"):
            parse_json(deeper, "x")
    with pytest.raises(InvalidInput, match="repeats the key 'b'"):
        parse_json('[{"a": {"b": 1, "c": 2, "b": 3}}]', "x")
    assert parse_json('{"a": {"b": 1}, "b": {"a": 2}}', "x") == {"a": {"b": 1}, "b": {"a": 2}}
