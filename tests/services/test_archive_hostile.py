"""Hostile archives: each is refused with one clear sentence, and the portfolio is unchanged."""

from __future__ import annotations

import copy
import json
import os
import random
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput, PortfolioError
from portfolio.formats import archive as archive_format
from portfolio.formats.reader import ZipLimits
from portfolio.paths import resolve_location
from tests.services.archive_helpers import (
    archive_service,
    database_fingerprint,
    members,
    sample_portfolio,
)

UNTOUCHED_TABLES = ("curriculum", "curriculum_node")


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The members of a sound archive of a small portfolio (made once)."""
    folder = tmp_path_factory.mktemp("good")
    with open_portfolio(resolve_location(folder / "source")) as source:
        sample_portfolio(source, items=2)
        path = archive_service(source).export(folder / "good.gpcportfolio").path
    return members(path)


@pytest.fixture
def target(portfolio: Portfolio) -> Portfolio:
    """A portfolio with something in it already, so that 'unchanged' means something."""
    sample_portfolio(portfolio, items=1)
    return portfolio


def write(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates we mean to write
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


def with_document(
    good: dict[str, bytes],
    change: Callable[[dict[str, Any]], None],
    *,
    manifest: Callable[[dict[str, Any]], None] | None = None,
) -> list[tuple[str | zipfile.ZipInfo, bytes]]:
    document = json.loads(good["portfolio.json"])
    change(document)
    content = dict(good)
    content["portfolio.json"] = json.dumps(document).encode()
    if manifest is not None:
        head = json.loads(good["manifest.json"])
        manifest(head)
        content["manifest.json"] = json.dumps(head).encode()
    return list(content.items())


def fingerprint(portfolio: Portfolio) -> str:
    return database_fingerprint(portfolio.location, skip=UNTOUCHED_TABLES)


def refused(portfolio: Portfolio, path: Path, match: str) -> None:
    before = fingerprint(portfolio)
    with pytest.raises(InvalidInput, match=match) as caught:
        archive_service(portfolio).import_(path)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400
    assert fingerprint(portfolio) == before
    assert portfolio.database.location.backups_dir.exists() is False or not [
        b for b in portfolio.database.location.backups_dir.iterdir() if "before-import" in b.name
    ]


def _link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _attachment_name(good: dict[str, bytes]) -> str:
    return next(n for n in good if n.startswith("attachments/"))


def _first_item(document: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = document["evidence"][0]
    return item


CASES: dict[str, tuple[Callable[[dict[str, bytes]], list[Any]], str]] = {
    "escaping path": (lambda g: [*g.items(), ("../evil.txt", b"x")], "unsafe name"),
    "absolute path": (lambda g: [*g.items(), ("/etc/passwd", b"x")], "unsafe name"),
    "backslash path": (lambda g: [*g.items(), ("attachments\\..\\x", b"x")], "unsafe name"),
    "link": (lambda g: [*g.items(), (_link("attachments/" + "0" * 64), b"/etc/passwd")], "link"),
    "duplicate": (lambda g: [*g.items(), ("portfolio.json", g["portfolio.json"])], "twice"),
    "unexpected member": (lambda g: [*g.items(), ("readme.txt", b"hello")], "unexpected"),
    "zip bomb": (
        lambda g: [*g.items(), ("attachments/" + "1" * 64, bytes(30 * 2**20))],
        "zip bomb|too large",
    ),
    "not a zip": (lambda g: [], ""),
    "no manifest": (
        lambda g: [(n, d) for n, d in g.items() if n != "manifest.json"],
        "manifest.json is missing",
    ),
    "malformed json": (
        lambda g: [(n, d[:-20] if n == "portfolio.json" else d) for n, d in g.items()],
        "not complete JSON",
    ),
    "wrong format": (
        lambda g: with_document(g, lambda d: None, manifest=lambda m: m.update(format="zip")),
        "not a GPC Portfolio archive",
    ),
    "newer version": (
        lambda g: with_document(g, lambda d: None, manifest=lambda m: m.update(format_version=2)),
        "version 2 portfolio archive; this app reads version 1",
    ),
    "wrong counts": (
        lambda g: with_document(g, lambda d: None, manifest=lambda m: m["counts"].update(items=99)),
        "manifest counts 99 items",
    ),
    "missing attachment": (
        lambda g: [(n, d) for n, d in g.items() if n != _attachment_name(g)],
        "is missing",
    ),
    "altered attachment": (
        lambda g: [(n, d + b"!" if n == _attachment_name(g) else d) for n, d in g.items()],
        "does not match its SHA-256",
    ),
    "unlisted attachment": (
        lambda g: [*g.items(), ("attachments/" + "2" * 64, b"x")],
        "does not list",
    ),
    "extra field": (
        lambda g: with_document(g, lambda d: _first_item(d).update(colour="red")),
        "Extra inputs are not permitted",
    ),
    "oversized title": (
        lambda g: with_document(g, lambda d: _first_item(d).update(title="x" * 301)),
        "at most 300 characters",
    ),
    "oversized text": (
        lambda g: with_document(g, lambda d: _first_item(d).update(text="x" * 100_001)),
        "at most 100000 characters",
    ),
    "too many tags": (
        lambda g: with_document(
            g, lambda d: _first_item(d).update(tags=[f"t{n}" for n in range(201)])
        ),
        "at most 200 items",
    ),
    "bad date": (
        lambda g: with_document(g, lambda d: _first_item(d).update(occurred_on="2026-02-30")),
        "occurred_on",
    ),
    "unknown kind": (
        lambda g: with_document(g, lambda d: _first_item(d).update(kind="horoscope")),
        "does not match its latest revision|Unknown kind",
    ),
    "altered content": (
        lambda g: with_document(g, lambda d: _first_item(d).update(title="Quietly changed")),
        "does not match its latest revision",
    ),
    "altered revision": (
        lambda g: with_document(
            g, lambda d: _first_item(d)["revisions"][0]["snapshot"].update(text="rewritten history")
        ),
        "does not match its digest",
    ),
    "duplicate item": (
        lambda g: with_document(
            g,
            lambda d: d["evidence"].append(copy.deepcopy(d["evidence"][0])),
            manifest=lambda m: None,
        ),
        "manifest counts|twice",
    ),
    "forged sign-off": (
        lambda g: with_document(
            g, lambda d: d["signoffs"][0]["record"].update(comment="Outstanding, sign everything")
        ),
        "forged",
    ),
    "sign-off of another item": (
        lambda g: with_document(
            g,
            lambda d: d["signoffs"][0]["record"].update(
                evidence_uuid="00000000-0000-4000-8000-000000000000"
            ),
        ),
        "forged",
    ),
    "fingerprint mismatch": (
        lambda g: with_document(
            g,
            lambda d: d["identities"][0].update(
                fingerprint="0000 0000 0000 0000 0000 0000 0000 0000"
            ),
        ),
        "fingerprint",
    ),
    "dangling placement": (
        lambda g: with_document(g, lambda d: _first_item(d).update(placement=42)),
        "placement 42",
    ),
    "duplicate key": (  # the last "profile" would win, unseen
        lambda g: [
            (n, b'{"profile": null, ' + d[1:] if n == "portfolio.json" else d) for n, d in g.items()
        ],
        "repeats the key 'profile'",
    ),
    "duplicate manifest key": (
        lambda g: [
            (n, b'{"format_version": 1, ' + d[1:] if n == "manifest.json" else d)
            for n, d in g.items()
        ],
        "repeats the key 'format_version'",
    ),
    "10,000-deep JSON": (
        lambda g: [
            (n, b"[" * 10_000 + b"]" * 10_000 if n == "portfolio.json" else d) for n, d in g.items()
        ],
        "nests more than 64 levels",
    ),
    "5,000-digit integer": (
        lambda g: [  # written by hand: Python's own json.dumps refuses such a number
            (n, d.replace(b"424242", b"9" * 5_000) if n == "portfolio.json" else d)
            for n, d in with_document(g, lambda d: _first_item(d).update(placement=424242))
        ],
        "longer than 20 digits",
    ),
    "encrypted member": (lambda g: list(g.items()), "encrypted"),  # flagged after writing
}


def flag_encrypted(path: Path) -> None:
    """Set the 'encrypted' bit of every member, in its local header and the central directory
    (zipfile will not write it; the bytes stay plain, as in a crafted file)."""
    with zipfile.ZipFile(path) as archive:
        infos, central = archive.infolist(), archive.start_dir
    data = bytearray(path.read_bytes())
    for info in infos:
        data[info.header_offset + 6] |= 0x1
    offset = central
    for _info in infos:
        data[offset + 8] |= 0x1
        name, extra, comment = struct.unpack_from("<HHH", data, offset + 28)
        offset += 46 + name + extra + comment
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_archive_is_refused_and_nothing_changes(
    case: str, good: dict[str, bytes], target: Portfolio, tmp_path: Path
) -> None:
    build, match = CASES[case]
    path = tmp_path / "hostile.gpcportfolio"
    if case == "not a zip":
        path.write_bytes(b"PK\x03\x04 this is not really a zip")
        match = "not a readable portfolio archive"
    else:
        write(path, build(good))
    if case == "encrypted member":
        flag_encrypted(path)
    refused(target, path, match)


def test_unknown_codes_are_refused(
    good: dict[str, bytes], target: Portfolio, tmp_path: Path
) -> None:
    """An archive from a copy with another curriculum (a code unknown here) is refused whole."""
    path = tmp_path / "codes.gpcportfolio"
    # A self-consistent archive whose item links to an unknown code: rebuild digests honestly.
    from portfolio.formats.archive import CONTENT_KEYS
    from portfolio.security.canonical import digest

    def relink(document: dict[str, Any]) -> None:
        item = _first_item(document)
        item["links"].append({"code": "MARS1", "justification": ""})
        for revision in item["revisions"]:
            snapshot = revision["snapshot"]
            snapshot["links"] = sorted([*snapshot["links"], "MARS1"])
            revision["digest"] = digest({k: snapshot[k] for k in CONTENT_KEYS})
        item["links"].sort(key=lambda link: link["code"])
        document["signoffs"] = [
            s for s in document["signoffs"] if s["record"]["evidence_uuid"] != item["uuid"]
        ]

    write(
        path,
        with_document(
            good,
            relink,
            manifest=lambda m: m["counts"].update(
                signoffs=len(json.loads(good["portfolio.json"])["signoffs"])
                - sum(
                    1
                    for s in json.loads(good["portfolio.json"])["signoffs"]
                    if s["record"]["evidence_uuid"]
                    == json.loads(good["portfolio.json"])["evidence"][0]["uuid"]
                )
            ),
        ),
    )
    refused(target, path, "MARS1")


def test_too_many_members_are_refused(
    good: dict[str, bytes], target: Portfolio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive_format, "LIMITS", ZipLimits(max_members=4))
    path = write(tmp_path / "many.gpcportfolio", list(good.items()))
    refused(target, path, "at most 4")


# -- fuzz ----------------------------------------------------------------------------------------


def _mutate_json(value: Any, rng: random.Random) -> Any:
    """Change one randomly chosen place in a JSON tree."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(sorted(value))
        choice = rng.random()
        if choice < 0.15:
            del value[key]
        elif choice < 0.25:
            value["x" + key] = value[key]
        else:
            value[key] = _mutate_json(value[key], rng)
        return value
    if isinstance(value, list) and value and rng.random() < 0.8:
        index = rng.randrange(len(value))
        choice = rng.random()
        if choice < 0.15:
            value.pop(index)
        elif choice < 0.3:
            value.append(copy.deepcopy(value[index]))
        elif choice < 0.4 and len(value) > 1:
            value.reverse()
        else:
            value[index] = _mutate_json(value[index], rng)
        return value
    return rng.choice(
        [
            None,
            True,
            0,
            -1,
            2**63,
            1.5,
            "",
            "x" * 400,
            "GPC6.2",
            "2026-02-30",
            [],
            {},
            "0" * 64,
            "../../etc",
            "\ud800" if False else "\u202e",
            {"a": [1, {"b": None}]},
            (value + value) if isinstance(value, str) else value,
        ]
    )


def _zip_of(content: list[tuple[str, bytes]]) -> bytes:
    import io

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in content:
                archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def mutations(good: dict[str, bytes], raw: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:  # byte flips anywhere in the file
        data = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data)
    if kind == 1:  # truncation
        return raw[: rng.randrange(len(raw))]
    entries = list(good.items())
    if kind == 2:  # member swaps, drops, duplicates, renames
        names = [n for n, _ in entries]
        choice = rng.randrange(4)
        if choice == 0:
            i, j = rng.sample(range(len(entries)), 2)
            entries[i], entries[j] = (names[i], entries[j][1]), (names[j], entries[i][1])
        elif choice == 1:
            entries.pop(rng.randrange(len(entries)))
        elif choice == 2:
            entries.append(rng.choice(entries))
        else:
            index = rng.randrange(len(entries))
            entries[index] = (
                rng.choice(
                    [
                        "attachments/" + "a" * 64,
                        "x/../y",
                        "manifest.json",
                        "attachments/",
                        "portfolio.JSON",
                    ]
                ),
                entries[index][1],
            )
        return _zip_of(entries)
    member = "manifest.json" if kind == 3 else "portfolio.json"
    document = json.loads(good[member])
    for _ in range(rng.randint(1, 3)):
        document = _mutate_json(document, rng)
    text = json.dumps(document, ensure_ascii=False)
    if kind == 5 and rng.random() < 0.3:  # a byte flip inside otherwise valid JSON
        position = rng.randrange(len(text))
        text = text[:position] + rng.choice('{}[]",:0\\') + text[position + 1 :]
    return _zip_of(
        [(n, text.encode("utf-8", "surrogatepass") if n == member else d) for n, d in entries]
    )


def test_fuzzed_archives_import_cleanly_or_are_refused_changing_nothing(
    good: dict[str, bytes], target: Portfolio, tmp_path: Path, database_engine: str
) -> None:
    # The archive's reader is the same on both engines; on PostgreSQL fewer cases show that a
    # refused import changes nothing there too (each one is fingerprinted, 5x dearer there).
    cases = 2500 if database_engine == "sqlite" else 500
    rng = random.Random(int(os.environ.get("ARCHIVE_FUZZ_SEED", "20260201")))
    raw = _zip_of(list(good.items()))
    service = archive_service(target, backup=False)
    path = tmp_path / "fuzz.gpcportfolio"
    outcomes = {"imported": 0, "refused": 0}
    before = fingerprint(target)
    for case in range(cases):
        path.write_bytes(mutations(good, raw, rng))
        try:
            service.import_(path)
        except PortfolioError as error:
            outcomes["refused"] += 1
            assert str(error) and "\n" not in str(error), case
            after = fingerprint(target)
            assert after == before, f"case {case} changed the portfolio: {error}"
        else:
            outcomes["imported"] += 1
            before = fingerprint(target)
    assert outcomes["refused"] > 0.8 * cases and outcomes["imported"] > 0, outcomes
