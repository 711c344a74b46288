"""Sign-off credentials: issued with the supervisor's key when they sign, kept beside the sign-off
record, checked on import, exported one file per sign-off, and verified from files.

Only a decision to sign off becomes a credential (an Open Badge states an achievement). A
credential is issued in both cryptosuites. Sign-offs made before credentials existed get theirs
the next time their supervisor signs in this portfolio: never with anyone else's key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.errors import InvalidInput, NotFound
from portfolio.formats.credential import MAX_CREDENTIAL_BYTES, parse_credential
from portfolio.formats.reader import parse_json, read_bounded
from portfolio.formats.review_pack import EarlierSignOff
from portfolio.models import (
    Curriculum,
    CurriculumNode,
    Evidence,
    Profile,
    Revision,
    SigningLogEntry,
    SignOff,
    SignOffCredential,
)
from portfolio.security.credentials import (
    SUITES,
    Alignment,
    SignOffClaims,
    Suite,
    VerifiedCredential,
    issue_credential,
    verify_credential,
)
from portfolio.security.signing import SignOffRecord, fingerprint_of, public_key_b64, utc_timestamp
from portfolio.services.review_files import ReviewPack
from portfolio.services.verification import record_of
from portfolio.storage.files import write_atomically

_CONTENT_KEYS = (
    "uuid", "kind", "title", "occurred_on", "occurred_until", "fields", "text", "links",
    "attachments",
)  # fmt: skip
"""The keys of `content_of`, which a revision snapshot holds among others."""
MAX_FOLDER_FILES = 10_000


def alignments_of(session: Session, codes: Iterable[str]) -> tuple[Alignment, ...]:
    """The capabilities linked by code, named as this portfolio's curricula name them."""
    wanted = sorted(set(codes))
    rows = session.execute(
        select(CurriculumNode.code, CurriculumNode.title, Curriculum.title)
        .join(Curriculum, Curriculum.id == CurriculumNode.curriculum_id)
        .where(CurriculumNode.code.in_(wanted))
    )
    names = {code: (title, framework) for code, title, framework in rows}
    return tuple(Alignment(code, *names.get(code, (code, ""))) for code in wanted)


def issue_both(
    claims: SignOffClaims, private_key: Ed25519PrivateKey, created: str
) -> list[dict[str, Any]]:
    return [issue_credential(claims, private_key, suite, created) for suite in SUITES]


@dataclass(frozen=True)
class EarlierChoice:
    """A review pack's earlier sign-offs by one key, split by whether they may be issued."""

    issued: tuple[EarlierSignOff, ...]
    """Records shown to be for the pack's trainee: version 2 records naming them, and version
    1 records the signer's own log shows signed for them."""
    withheld: tuple[EarlierSignOff, ...]
    """Records that do not show they were signed for the pack's trainee (a version 1 record not
    in the log for them, or a record naming another trainee): perhaps copied from another
    trainee's portfolio, so no credential naming this trainee is issued."""


def for_pack(
    session: Session,
    pack: ReviewPack,
    records: Sequence[SignOffRecord],
    private_key: Ed25519PrivateKey,
    created: str,
) -> list[dict[str, Any]]:
    """Credentials for the sign-offs just made on a review pack, and for those of the pack's
    earlier sign-offs by this key shown to be for the pack's trainee (``earlier_of``)."""
    items = {item.detail.uuid: item.detail for item in pack.items}
    facts = [
        (r, items[r.evidence_uuid].title, items[r.evidence_uuid].kind,
         [link.code for link in items[r.evidence_uuid].links])
        for r in records
    ]  # fmt: skip
    facts += [
        (e.record, e.title, e.kind, list(e.links))
        for e in earlier_of(session, pack, public_key_b64(private_key)).issued
    ]
    return [
        document
        for record, title, kind, codes in facts
        if record.decision == "signed_off"
        for document in issue_both(
            SignOffClaims.of(record, title, kind, alignments_of(session, codes), pack.trainee_gmc),
            private_key,
            created,
        )
    ]


def earlier_of(session: Session, pack: ReviewPack, public_key: str) -> EarlierChoice:
    """The pack's earlier, valid decisions to sign off made with this key, and which of them
    may be issued as credentials naming the pack's trainee."""
    logged = {
        record["signature"]
        for record in session.scalars(
            select(SigningLogEntry.record).where(
                SigningLogEntry.fingerprint == fingerprint_of(public_key),
                SigningLogEntry.trainee_gmc == pack.trainee_gmc,
            )
        )
    }
    mine = [
        e
        for e in pack.earlier
        if e.record.signer.public_key == public_key
        and e.record.decision == "signed_off"
        and e.record.signature_valid()
    ]

    def for_trainee(record: SignOffRecord) -> bool:
        if record.trainee_gmc is not None:
            return record.trainee_gmc == pack.trainee_gmc
        return record.signature in logged

    return EarlierChoice(
        tuple(e for e in mine if for_trainee(e.record)),
        tuple(e for e in mine if not for_trainee(e.record)),
    )


def awaiting(session: Session) -> list[tuple[SignOffRecord, dict[str, Any]]]:
    """Sign-offs here with no credential yet, of items a supervisor may see (not private, not
    in the trash), each with the content its record signs."""
    rows = session.execute(
        select(SignOff, Revision.snapshot)
        .join(Evidence, Evidence.uuid == SignOff.evidence_uuid)
        .join(
            Revision,
            (Revision.evidence_id == Evidence.id) & (Revision.digest == SignOff.evidence_digest),
        )
        .where(
            SignOff.decision == "signed_off",
            SignOff.id.not_in(select(SignOffCredential.signoff_id)),
            Evidence.private.is_(False),
            Evidence.deleted_at.is_(None),
        )
        .order_by(SignOff.id)
    )
    found: dict[int, tuple[SignOffRecord, dict[str, Any]]] = {}
    for row, snapshot in rows:
        record = record_of(row)
        if row.id not in found and record.signature_valid():
            found[row.id] = (record, {key: snapshot[key] for key in _CONTENT_KEYS})
    return list(found.values())


def _claims_here(session: Session, row: SignOff, record: SignOffRecord) -> SignOffClaims | None:
    """The claims of a stored sign-off, from the item as it was when signed; None when this
    portfolio has no trainee profile or never held that version of the item."""
    profile = session.get(Profile, 1)
    snapshot = session.scalar(
        select(Revision.snapshot)
        .join(Evidence, Evidence.id == Revision.evidence_id)
        .where(Evidence.uuid == row.evidence_uuid, Revision.digest == row.evidence_digest)
        .limit(1)
    )
    if profile is None or snapshot is None or record.trainee_gmc not in (None, profile.gmc_number):
        return None
    alignments = alignments_of(session, snapshot["links"])
    return SignOffClaims.of(
        record, snapshot["title"], snapshot["kind"], alignments, profile.gmc_number
    )


def keep(session: Session, signoff_id: int, document: dict[str, Any]) -> None:
    session.add(
        SignOffCredential(
            signoff_id=signoff_id,
            suite=document["proof"]["cryptosuite"],
            document=json.dumps(document, ensure_ascii=False),
            issued_at=document["proof"]["created"],
        )
    )


def issue_missing(session: Session, private_key: Ed25519PrivateKey) -> int:
    """Issue credentials for the sign-offs by this key here that have none; how many.

    Only records shown to be this trainee's: version 2 records naming the profile's GMC number,
    and version 1 records signed in a meeting on this machine (``source == "meeting"``; their
    key's private half never left it). A version 1 record that came in a file or an archive
    may have been copied from another trainee's portfolio, so it gets none.
    """
    issued = 0
    created = utc_timestamp()
    rows = session.scalars(
        select(SignOff)
        .where(
            SignOff.public_key == public_key_b64(private_key),
            SignOff.decision == "signed_off",
            SignOff.id.not_in(select(SignOffCredential.signoff_id)),
            (SignOff.format_version > 1) | (SignOff.source == "meeting"),
        )
        .order_by(SignOff.id)
    ).all()
    for row in rows:
        record = record_of(row)
        claims = _claims_here(session, row, record) if record.signature_valid() else None
        if claims is None:
            continue
        for document in issue_both(claims, private_key, created):
            keep(session, row.id, document)
        issued += 1
    session.flush()
    return issued


def receive(session: Session, credentials: Sequence[object], source: str) -> int:
    """Keep credentials that came with sign-offs (already stored in this session); how many new.

    Each must verify, be issued by the key of a sign-off record here, and state exactly what
    this portfolio derives from that record; otherwise InvalidInput, and the caller's
    transaction (nothing imported) is rolled back.
    """
    new = 0
    for number, document in enumerate(credentials, start=1):
        where = f"{source}, credential {number}"
        try:
            verified = verify_credential(document)
        except InvalidInput as error:
            raise InvalidInput(f"{where}: {error} Nothing was imported.") from None
        row = _row_of(session, verified)
        if row is None:
            raise InvalidInput(
                f"{where} does not state what any sign-off record says. Nothing was imported."
            )
        suite = verified.proof.suite
        if (
            session.scalar(
                select(SignOffCredential.id).where(
                    SignOffCredential.signoff_id == row.id, SignOffCredential.suite == suite
                )
            )
            is None
        ):
            keep(session, row.id, cast(dict[str, Any], document))
            new += 1
    session.flush()
    return new


def _row_of(session: Session, verified: VerifiedCredential) -> SignOff | None:
    """The sign-off record here whose derived claims are the credential's."""
    claims = verified.claims
    rows = session.scalars(
        select(SignOff).where(
            SignOff.evidence_uuid == claims.evidence_uuid, SignOff.signed_at == claims.signed_at
        )
    )
    for row in rows:
        record = record_of(row)
        if not record.signature_valid():
            continue
        expected = _claims_here(session, row, record) if row.decision == "signed_off" else None
        if expected is not None and _core(expected) == _core(claims):
            return row
    return None


def _core(claims: SignOffClaims) -> SignOffClaims:
    """The claims without the curricula's names for the codes, which may differ by version."""
    return replace(claims, alignments=tuple(Alignment(a.code, "", "") for a in claims.alignments))


# ------------------------------------------------------------------------------ export, verify


@dataclass(frozen=True)
class Exported:
    paths: tuple[Path, ...]
    pending: int
    """Sign-offs chosen that have no credential yet (made before credentials existed)."""


class CredentialService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def export(
        self, out: Path, suite: Suite = "eddsa-rdfc-2022", uuids: Sequence[str] = ()
    ) -> Exported:
        """One credential file per sign-off (of these items, or all), each verified first."""
        if suite not in SUITES:
            raise InvalidInput(f"Unknown cryptosuite '{suite}'; choose {' or '.join(SUITES)}.")
        with self._sessions() as session:
            for uuid in uuids:
                if session.scalar(select(Evidence.id).where(Evidence.uuid == uuid)) is None:
                    raise NotFound(f"No evidence item with uuid {uuid}.")
            query = select(SignOff.id, SignOff.evidence_uuid).where(
                SignOff.decision == "signed_off"
            )
            if uuids:
                query = query.where(SignOff.evidence_uuid.in_(uuids))
            signoffs = session.execute(query.order_by(SignOff.signed_at, SignOff.id)).all()
            stored = {
                signoff_id: document
                for signoff_id, document in session.execute(
                    select(SignOffCredential.signoff_id, SignOffCredential.document).where(
                        SignOffCredential.suite == suite,
                        SignOffCredential.signoff_id.in_([s.id for s in signoffs]),
                    )
                )
            }
        if not signoffs:
            raise InvalidInput("There are no sign-offs to export.")
        documents = [_checked_stored(uuid, stored[i]) for i, uuid in signoffs if i in stored]
        pending = len(signoffs) - len(documents)
        if not documents:
            raise InvalidInput(
                "None of these sign-offs has a credential yet: each is issued the next time "
                "its supervisor signs in this portfolio."
            )
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InvalidInput(f"Cannot create the folder {out}: {error.strerror}.") from None
        paths = tuple(
            write_atomically(out / f"{_file_stem(d)}.json", _pretty(d)) for d in documents
        )
        return Exported(paths, pending)

    def stored_for(self, signatures: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """The stored credentials of these sign-offs (named by their signatures), each text
        exactly as kept, ordered by cryptosuite; a sign-off without any is left out."""
        found: dict[str, list[tuple[str, str]]] = {}
        with self._sessions() as session:
            rows = session.execute(
                select(SignOff.signature, SignOffCredential.suite, SignOffCredential.document)
                .join(SignOffCredential, SignOffCredential.signoff_id == SignOff.id)
                .where(SignOff.signature.in_(list(signatures)))
            )
            for signature, suite, document in rows:
                found.setdefault(signature, []).append((suite, document))
        return {k: tuple(d for _, d in sorted(v)) for k, v in found.items()}


def _checked_stored(evidence_uuid: str, text: str) -> dict[str, Any]:
    document = parse_json(text, f"The stored credential for item {evidence_uuid}")
    try:
        verify_credential(document)
    except InvalidInput as error:
        raise InvalidInput(
            f"The stored credential for item {evidence_uuid} does not verify ({error}); "
            "nothing was exported."
        ) from None
    return cast(dict[str, Any], document)


def _file_stem(document: dict[str, Any]) -> str:
    return str(document["id"]).removeprefix("urn:uuid:")


def _pretty(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class FileCheck:
    path: Path
    credential: VerifiedCredential | None
    problem: str = ""

    @property
    def state(self) -> str:
        return "valid" if self.credential is not None else "invalid"


def verify_path(path: Path) -> list[FileCheck]:
    """Check a credential file, or every .json file in a folder; needs no portfolio."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json" and p.is_file())
        if not files:
            raise InvalidInput(f"{path} holds no .json credential files.")
        if len(files) > MAX_FOLDER_FILES:
            raise InvalidInput(f"{path} holds more than {MAX_FOLDER_FILES} files.")
        return [check_file(p) for p in files]
    if not path.is_file():
        raise InvalidInput(f"There is no file or folder at {path}.")
    return [check_file(path)]


def check_file(path: Path) -> FileCheck:
    try:
        if path.stat().st_size > MAX_CREDENTIAL_BYTES:
            return FileCheck(path, None, "The file is too large to be a credential.")
        document = parse_credential(
            read_bounded(path, "credential", MAX_CREDENTIAL_BYTES), "The file"
        )
    except OSError as error:
        return FileCheck(path, None, f"The file cannot be read ({error.strerror}).")
    except InvalidInput as error:
        return FileCheck(path, None, f"{error}.")
    try:
        return FileCheck(path, verify_credential(document))
    except InvalidInput as error:
        return FileCheck(path, None, str(error))
