"""Autosaved editor state: stashed every few seconds, offered back after a crash.

Through Core: the window asks for pending drafts as it starts, before the ORM is mapped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select

from portfolio.tables import unsaved_draft, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

Draft = unsaved_draft.c


@dataclass(frozen=True)
class Unsaved:
    key: str
    evidence_uuid: str | None
    kind: str
    title: str
    state: dict[str, Any]
    saved_at: datetime


class RecoveryService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def stash(
        self, key: str, kind: str, evidence_uuid: str | None, title: str, state: dict[str, Any]
    ) -> None:
        with self._sessions.begin() as session:  # one transaction: this draft replaces any
            session.execute(delete(unsaved_draft).where(Draft.key == key))
            session.execute(
                insert(unsaved_draft).values(
                    key=key,
                    evidence_uuid=evidence_uuid,
                    kind=kind,
                    title=title[:300],
                    state=state,
                    saved_at=utcnow(),
                )
            )

    def pending(self) -> list[Unsaved]:
        with self._sessions() as session:
            rows = session.execute(select(unsaved_draft).order_by(Draft.saved_at))
            return [
                Unsaved(r.key, r.evidence_uuid, r.kind, r.title, r.state, r.saved_at) for r in rows
            ]

    def discard(self, key: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(unsaved_draft).where(Draft.key == key))
