"""Keep the stored curriculum nodes in step with the curriculum files shipped in resources/."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.curriculum import Curriculum, builtin_curricula
from portfolio.models import Curriculum as CurriculumRow
from portfolio.models import CurriculumNode
from portfolio.security.canonical import digest


def sync_curricula(
    sessions: sessionmaker[Session], curricula: tuple[Curriculum, ...] | None = None
) -> None:
    """Insert or update nodes of changed curricula. Nodes are never deleted: links keep them."""
    with sessions.begin() as session:
        stored = {row.id: row for row in session.scalars(select(CurriculumRow))}
        for curriculum in curricula or builtin_curricula():
            content = digest([asdict(node) for node in curriculum.nodes])
            row = stored.get(curriculum.id)
            if row is not None and row.content_digest == content:
                continue
            if row is None:
                row = CurriculumRow(id=curriculum.id)
                session.add(row)
            row.title, row.edition, row.content_digest = (
                curriculum.title,
                curriculum.edition,
                content,
            )
            session.flush()
            for node in curriculum.nodes:
                session.merge(
                    CurriculumNode(
                        code=node.code,
                        curriculum_id=curriculum.id,
                        parent_code=node.parent_code,
                        kind=node.kind,
                        title=node.title,
                        guidance=node.guidance,
                        position=node.position,
                        maps_to=" ".join(node.maps_to),
                    )
                )
