"""Autosaved editor state: stashed every few seconds, offered back after a crash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.models import UnsavedDraft
from portfolio.models.base import utcnow


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
        with self._sessions.begin() as session:
            session.merge(
                UnsavedDraft(
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
            rows = session.scalars(select(UnsavedDraft).order_by(UnsavedDraft.saved_at))
            return [
                Unsaved(r.key, r.evidence_uuid, r.kind, r.title, r.state, r.saved_at) for r in rows
            ]

    def discard(self, key: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(UnsavedDraft).where(UnsavedDraft.key == key))
