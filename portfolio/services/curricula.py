"""The curricula a portfolio knows: the files shipped in resources/ and those the trainee imported.

Built-in curricula are synchronised into ``curriculum``/``curriculum_node`` when a portfolio
opens; an imported one is kept as its curriculum file in ``imported_curriculum`` and synchronised
when it is imported. Coverage, the dashboard, the ARCP summary, the profile and the domain map ask
:class:`CurriculumService` (or :func:`curricula_in` inside a session), so an imported curriculum
is offered and counted wherever a built-in one is.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.curriculum import (
    Curriculum,
    builtin_curricula,
    curriculum_to_data,
)
from portfolio.curriculum.domains import DomainMap, domain_map
from portfolio.errors import InvalidInput, NotFound
from portfolio.models import Curriculum as CurriculumRow
from portfolio.models import CurriculumNode, ImportedCurriculum, Profile
from portfolio.models.base import utcnow
from portfolio.security.canonical import canonical_json
from portfolio.services.stored_curricula import (
    content_digest,
    curricula_in,
    imported_in,
    own_curriculum,
    stored_as_given,
)
from portfolio.storage.concurrency import one_at_a_time


def sync_curricula(
    sessions: sessionmaker[Session], curricula: tuple[Curriculum, ...] | None = None
) -> None:
    """Insert or update nodes of changed curricula. Nodes are never deleted: links keep them.

    Every open runs this, and almost always nothing changed: ``stored_as_given`` then settles it,
    taking no lock."""
    chosen = curricula or builtin_curricula()
    with sessions() as session:
        if stored_as_given(session, chosen):
            return
    with sessions.begin() as session:
        one_at_a_time(session, "curricula")  # two first opens of a shared database at once
        _sync(session, chosen)


def _sync(session: Session, curricula: Iterable[Curriculum]) -> None:
    stored = {row.id: row for row in session.scalars(select(CurriculumRow))}
    for curriculum in curricula:
        content = content_digest(curriculum)
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


def document_of(curriculum: Curriculum) -> str:
    """The curriculum file of ``curriculum`` as stored: canonical JSON."""
    return canonical_json(curriculum_to_data(curriculum)).decode("utf-8")


def check_importable(session: Session, curriculum: Curriculum) -> None:
    """An imported curriculum needs its own id and codes: none of a built-in curriculum's, nor of
    another curriculum stored here (whose nodes items may link to)."""
    if any(builtin.id == curriculum.id for builtin in builtin_curricula()):
        raise InvalidInput(
            f"The curriculum '{curriculum.id}' is built in; an imported curriculum needs an id "
            f"of its own."
        )
    owners = {
        code.casefold(): owner
        for code, owner in session.execute(
            select(CurriculumNode.code, CurriculumNode.curriculum_id).where(
                CurriculumNode.curriculum_id != curriculum.id
            )
        )
    }
    for builtin in builtin_curricula():
        owners.update((code.casefold(), builtin.id) for code in builtin.codes())
    for code in curriculum.codes():
        owner = owners.get(code.casefold())
        if owner is not None:
            raise InvalidInput(
                f"The curriculum '{curriculum.id}' uses the code '{code}', which belongs to the "
                f"curriculum '{owner}'; nothing was imported."
            )


def store_imported(session: Session, curriculum: Curriculum) -> bool:
    """Add ``curriculum`` (or replace an imported one with its id); True when it replaced one."""
    check_importable(session, curriculum)
    row = session.get(ImportedCurriculum, curriculum.id)
    replaced = row is not None and row.removed_at is None
    if row is None:
        row = ImportedCurriculum(id=curriculum.id)
        session.add(row)
    row.document, row.imported_at, row.removed_at = document_of(curriculum), utcnow(), None
    session.flush()
    _sync(session, (curriculum,))
    return replaced


class CurriculumService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def available(self) -> tuple[Curriculum, ...]:
        """The built-in curricula (GPC first), then the imported ones by id."""
        with self._sessions() as session:
            return curricula_in(session)

    def imported_ids(self) -> frozenset[str]:
        with self._sessions() as session:
            return frozenset(c.id for c in imported_in(session))

    def own(self, curriculum_id: str) -> Curriculum:
        """A curriculum the trainee can choose (any but GPC itself); NotFound names the others."""
        with self._sessions() as session:
            return own_curriculum(session, curriculum_id)

    def domain_map(self) -> DomainMap:
        """The one domain map, with this portfolio's imported curricula in it."""
        with self._sessions() as session:
            return domain_map(imported_in(session))

    def add(self, curriculum: Curriculum) -> bool:
        """Import a validated curriculum; True when it replaced an imported one with its id."""
        with self._sessions.begin() as session:
            return store_imported(session, curriculum)

    def import_case(self, path: Path) -> tuple[Curriculum, bool]:
        """Read a 1EdTech CASE file and import its curriculum (see :meth:`add`)."""
        from portfolio.formats.case import read_case_file

        curriculum = read_case_file(path)
        return curriculum, self.add(curriculum)

    def remove(self, curriculum_id: str) -> bool:
        """Stop offering an imported curriculum. Its nodes stay, so items keep their links to
        it (the editor lists them under "Also linked"). True when it was the trainee's choice,
        which then becomes none."""
        with self._sessions.begin() as session:
            row = session.get(ImportedCurriculum, curriculum_id)
            if row is None or row.removed_at is not None:
                imported = ", ".join(c.id for c in imported_in(session)) or "none"
                raise NotFound(
                    f"There is no imported curriculum '{curriculum_id}' (imported: {imported})."
                )
            row.removed_at = utcnow()
            profile = session.get(Profile, 1)
            chosen = profile is not None and profile.curriculum_id == curriculum_id
            if profile is not None and chosen:
                profile.curriculum_id = ""
            return chosen
