"""One set of limits: what the services accept, the archive carries back (issue 12, point 4).

The property test builds portfolios at the limits (titles, texts, tags, links, justifications,
file names, profile texts) and sends them through export, import and export again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio import limits
from portfolio.app import Portfolio, open_portfolio
from portfolio.errors import InvalidInput
from portfolio.formats import archive as archive_format
from portfolio.kinds import LONGTEXT_MAX
from portfolio.paths import Location
from portfolio.services.dto import EvidenceDraft, Link, ProfileData
from tests.services.archive_helpers import GMC, archive_service, members

_TYPED = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])


def _up_to(limit: int) -> st.SearchStrategy[str]:
    """Text of ``limit`` characters (or a little less): a short drawn piece, repeated."""
    return st.tuples(
        st.text(_TYPED, min_size=1, max_size=6), st.sampled_from([limit, limit, limit - 1, 1])
    ).map(lambda drawn: (drawn[0] * limit)[: drawn[1]])


def _field(model: type[Any], name: str) -> Any:
    return model.model_fields[name]


def _max_length(model: type[Any], name: str) -> int:
    return next(m.max_length for m in _field(model, name).metadata if hasattr(m, "max_length"))


def test_the_archive_reader_uses_the_limits_the_services_enforce() -> None:
    item, snapshot = archive_format.ItemEntry, archive_format.Snapshot
    assert _max_length(item, "title") == _max_length(snapshot, "title") == limits.MAX_TITLE
    assert _max_length(item, "text") == _max_length(snapshot, "text") == limits.MAX_TEXT
    assert _max_length(item, "tags") == _max_length(snapshot, "tags") == limits.MAX_TAGS
    assert _max_length(item, "links") == _max_length(snapshot, "links") == limits.MAX_LINKS
    assert _max_length(item, "attachments") == limits.MAX_ATTACHMENTS
    assert _max_length(snapshot, "attachments") == limits.MAX_ATTACHMENTS
    assert _max_length(archive_format.LinkEntry, "justification") == limits.MAX_JUSTIFICATION
    assert _max_length(archive_format.AttachmentEntry, "filename") == limits.MAX_FILENAME
    assert _max_length(archive_format.ProfileEntry, "name") == limits.MAX_PROFILE_TEXT


def _item(portfolio: Portfolio, **changes: Any) -> str:
    draft = EvidenceDraft(kind="reflection", title="Ward round", occurred_on=date(2026, 2, 1))
    return portfolio.evidence.create(EvidenceDraft(**{**draft.__dict__, **changes})).uuid


def test_one_tag_too_many_is_refused_and_changes_nothing(portfolio: Portfolio) -> None:
    tags = tuple(f"tag {n}" for n in range(limits.MAX_TAGS + 1))
    with pytest.raises(InvalidInput, match=f"at most {limits.MAX_TAGS} tags"):
        _item(portfolio, tags=tags)
    assert portfolio.evidence.list() == []
    uuid = _item(portfolio, tags=tags[:-1])
    with pytest.raises(InvalidInput, match="tags"):
        draft = portfolio.evidence.get(uuid).as_draft()
        portfolio.evidence.update(uuid, EvidenceDraft(**{**draft.__dict__, "tags": tags}))
    assert len(portfolio.evidence.get(uuid).tags) == limits.MAX_TAGS


def test_one_attachment_too_many_is_refused(
    portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit (1,000) takes minutes to reach: each attachment is a revision of its own.
    monkeypatch.setattr(limits, "MAX_ATTACHMENTS", 3)
    uuid = _item(portfolio)
    for number in range(3):
        portfolio.evidence.attach_bytes(uuid, f"scan{number}.txt", f"page {number}".encode())
    with pytest.raises(InvalidInput, match="at most 3 attachments"):
        portfolio.evidence.attach_bytes(uuid, "one-more.txt", b"too many")
    assert len(portfolio.evidence.get(uuid).attachments) == 3


_CODES = ["GPC1", "GPC2.2", "GPC3", "GPC5", "GPC6.2", "GPC9"]


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=_up_to(limits.MAX_TITLE).filter(str.strip),
    text=_up_to(limits.MAX_TEXT),
    what=_up_to(LONGTEXT_MAX),
    tag=_up_to(limits.MAX_TAG - 4).filter(str.strip),
    tag_count=st.sampled_from([limits.MAX_TAGS, 1]),
    justification=_up_to(limits.MAX_JUSTIFICATION),
    filename=_up_to(limits.MAX_FILENAME).filter(str.strip),
    name=_up_to(limits.MAX_PROFILE_TEXT).filter(str.strip),
)
def test_a_portfolio_at_the_limits_survives_export_and_import(
    blank_location: Callable[[str], Location],
    title: str,
    text: str,
    what: str,
    tag: str,
    tag_count: int,
    justification: str,
    filename: str,
    name: str,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with open_portfolio(blank_location("source")) as source:
            source.profile.save(ProfileData(name=name, gmc_number=GMC, trust=name, grade=name))
            uuid = _item(
                source,
                title=title,
                text=text,
                fields={"model": "what_so_what_now_what", "what": what},
                tags=tuple(f"{tag}{n:04d}" for n in range(tag_count)),
                links=tuple(Link(code, justification) for code in _CODES),
            )
            source.evidence.attach_bytes(uuid, filename, b"%PDF-1.4 scan")
            source.evidence.attach_bytes(uuid, filename[::-1], b"second page")
            before = source.evidence.get(uuid)
            first = archive_service(source, backup=False).export(root / "1.gpcportfolio").path
        with open_portfolio(blank_location("target")) as target:
            archive_service(target, backup=False).import_(first)
            after = target.evidence.get(uuid)
            second = archive_service(target, backup=False).export(root / "2.gpcportfolio").path
        assert (after.title, after.text, after.fields, after.tags, after.links) == (
            before.title,
            before.text,
            before.fields,
            before.tags,
            before.links,
        )
        assert [a.filename for a in after.attachments] == [a.filename for a in before.attachments]
        one, two = members(first), members(second)
        one.pop("manifest.json")
        two.pop("manifest.json")
        assert one == two
