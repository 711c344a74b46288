"""The editor's session on its own, with no window (issue 13 point 6): load, change, stash, save,
submit and close against a real portfolio, the state and the signals as the view sees them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from portfolio.app import open_portfolio
from portfolio.errors import InvalidInput
from portfolio.paths import resolve_location
from portfolio.services.dto import EvidenceDraft
from portfolio.ui.editor.session import EditorSession, EditorState
from portfolio.ui.operations import Operations

WAIT = 10_000
NOON = datetime(2024, 3, 1, 12, 0)


def draft(title: str) -> EvidenceDraft:
    return EvidenceDraft("course", title, date(2024, 3, 1), text="Airway first.")


def test_a_new_item_from_first_change_to_submitted(qtbot: Any, tmp_path: Path) -> None:
    ops = Operations()
    with open_portfolio(resolve_location(tmp_path / "data")) as portfolio:
        shown: dict[str, Any] = {"title": "ALS"}
        session = EditorSession(
            portfolio, ops, lambda: dict(shown), kind="course", clock=lambda: NOON
        )
        with qtbot.waitSignal(session.loaded, timeout=WAIT):
            session.load()
        assert session.state is EditorState.LOADING and session.curriculum is not None
        session.shown()
        assert session.state is EditorState.CLEAN and not session.is_dirty
        with session.filling():
            assert not session.changed()  # filling the widgets is not the trainee's change
        assert session.changed() and session.state is EditorState.DIRTY

        with qtbot.waitSignal(session.stashed, timeout=WAIT) as stashed:
            session.stash_now()
        assert stashed.args == [NOON] and session.stash_count == 1
        assert [u.key for u in portfolio.recovery.pending()] == [session.key]
        session.stash_now()  # nothing changed since: no second stash
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
        assert session.stash_count == 1

        with qtbot.waitSignal(session.save_failed, timeout=WAIT) as failed:
            session.save(draft(" "))
        assert isinstance(failed.args[0], InvalidInput) and failed.args[0].field == "title"
        assert session.state is EditorState.DIRTY and session.uuid is None
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
        assert portfolio.recovery.pending()  # the words are stashed again after the failure

        with qtbot.waitSignal(session.saved, timeout=WAIT) as saved:
            session.save(draft("ALS"))
        assert session.state is EditorState.CLEAN
        assert session.uuid == saved.args[0].uuid == session.key  # the stash key became the uuid
        assert portfolio.recovery.pending() == []
        with qtbot.waitSignal(session.submitted, timeout=WAIT):
            session.submit(saved.args[0])
        assert portfolio.evidence.get(session.key).status == "ready"

        with qtbot.waitSignal(session.closed, timeout=WAIT):
            session.close()
        assert session.state is EditorState.CLOSED and not session.changed()
        ops.wait()


def test_closing_keeps_a_draft_and_discarding_drops_it(qtbot: Any, tmp_path: Path) -> None:
    ops = Operations()
    with open_portfolio(resolve_location(tmp_path / "data")) as portfolio:
        items = [portfolio.evidence.create(draft("ALS")) for _ in range(2)]
        sessions = []
        for item in items:
            session = EditorSession(
                portfolio, ops, lambda: {"title": "ALS, edited"}, item_uuid=item.uuid
            )
            with qtbot.waitSignal(session.loaded, timeout=WAIT):
                session.load()
            session.shown()
            assert session.detail is not None and session.detail.title == "ALS"
            session.changed()
            sessions.append(session)
        keep, discard = sessions
        discard.stash_now()
        qtbot.waitUntil(lambda: len(portfolio.recovery.pending()) == 1, timeout=WAIT)
        keep.close_keeping_draft()
        discard.discard()
        qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)
        assert [u.key for u in portfolio.recovery.pending()] == [keep.key]
        assert keep.state is EditorState.CLOSED and discard.state is EditorState.CLOSED
        assert [portfolio.evidence.get(i.uuid).title for i in items] == ["ALS", "ALS"]
        ops.wait()


def test_an_item_that_cannot_be_read_is_unavailable(qtbot: Any, tmp_path: Path) -> None:
    ops = Operations()
    with open_portfolio(resolve_location(tmp_path / "data")) as portfolio:
        session = EditorSession(portfolio, ops, dict, item_uuid="no-such-item")
        with qtbot.waitSignal(session.load_failed, timeout=WAIT):
            session.load()
        assert session.state is EditorState.UNAVAILABLE and not session.is_editable
        ops.wait()


def test_exactly_one_of_uuid_kind_or_recovered(tmp_path: Path) -> None:
    ops = Operations()
    with (
        open_portfolio(resolve_location(tmp_path / "data")) as portfolio,
        pytest.raises(ValueError, match="exactly one"),
    ):
        EditorSession(portfolio, ops, dict, item_uuid="x", kind="course")
