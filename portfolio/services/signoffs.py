"""Supervisor sign-off: identities, signing in a meeting, review packs and sign-off files.

Keys: on a trainee's machine (a portfolio with a profile) a supervisor's private key is always
kept encrypted with the supervisor's passphrase, never in the trainee's keyring, which the
trainee can open. On the supervisor's own copy the system keyring is used when one works.

Sign-off rows are append-only. Each new record names the item's latest record as the one it
supersedes; a decision is taken back only by a signed withdrawal, never by deleting it. What a
supervisor's own copy signs for a review pack also goes into its signing log (signing_log.py).
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.errors import InvalidInput, NotFound, Remedy
from portfolio.formats.review_pack import (
    SignOffFile,
    read_signoff_file,
    write_review_pack,
    write_signoff_file,
)
from portfolio.formats.signing_log import read_log
from portfolio.models import Evidence, Profile, Revision, SignOff, SupervisorIdentity
from portfolio.models.base import utcnow
from portfolio.security.keystore import KeyStore, keystore_warning, open_keystore
from portfolio.security.signing import (
    DECISIONS,
    ROLES,
    WITHDRAWN,
    Decision,
    PublicIdentity,
    SignOffRecord,
    create_signoff,
    generate_private_key,
    normalize_fingerprint,
    public_key_b64,
    utc_timestamp,
)
from portfolio.services import credentials, signing_log, validation
from portfolio.services.content import (
    LOAD_CONTENT,
    check_bytes,
    digest_of_item,
    forget_blob_digests,
)
from portfolio.services.dto import EvidenceDetail, SignOffStatus
from portfolio.services.evidence import EvidenceQuery, EvidenceService
from portfolio.services.review_files import ReviewPack
from portfolio.services.trust_roots import load_trust_roots
from portfolio.services.verification import (
    chain_warning,
    in_chain_order,
    known_identities,
    latest_signatures,
    latest_statuses,
    signoff_row,
    status_after,
    status_of,
)
from portfolio.vocabulary import PinMethod, Role


@dataclass(frozen=True)
class IdentityInfo:
    identity: PublicIdentity
    has_private_key: bool
    pinned_how: PinMethod | None
    key_location: str = ""

    @property
    def fingerprint(self) -> str:
        return self.identity.fingerprint

    @property
    def pinned(self) -> bool:
        return self.pinned_how is not None


@dataclass(frozen=True)
class Unlocked:
    """A supervisor's identity with its private key, held only while they are signing."""

    identity: PublicIdentity
    private_key: Ed25519PrivateKey


@dataclass(frozen=True)
class SignOffInfo:
    evidence_uuid: str
    evidence_title: str
    status: SignOffStatus
    credentials_issued: int = 0
    """Sign-offs given credentials when this one was signed: itself, and earlier ones by the
    same key shown to be this trainee's (``credentials.issue_missing``)."""


@dataclass(frozen=True)
class MissingSignOff:
    """A record in a supervisor's signing log that the portfolio does not hold."""

    sequence: int
    evidence_uuid: str
    decision: str
    signed_at: str
    signer_name: str
    fingerprint: str


@dataclass(frozen=True)
class ImportOutcome:
    evidence_uuid: str
    evidence_title: str
    decision: str
    new: bool
    status: SignOffStatus


_BATCH = 500
"""Items read per query (well under any engine's limit on bound parameters)."""


class SignOffService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        evidence: EvidenceService,
        data_dir: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self._evidence = evidence
        self._data_dir = data_dir
        self._clock = clock

    # -- identities --------------------------------------------------------------------------

    def keystore(self, fingerprint: str | None = None) -> KeyStore:
        """Where keys are kept; with ``fingerprint``, wherever that key was kept when made."""
        with self._sessions() as session:
            trainee_machine = session.get(Profile, 1) is not None
        return open_keystore(
            self._data_dir, prefer_keyring=not trainee_machine, fingerprint=fingerprint
        )

    def create_identity(
        self, name: str, gmc_number: str, role: str, passphrase: str | None
    ) -> IdentityInfo:
        """A new key pair; the private key goes to the key store, the public card is kept here."""
        if role not in ROLES:
            raise InvalidInput(f"Unknown role '{role}'; choose one of: {', '.join(ROLES)}.")
        private_key = generate_private_key()
        identity = PublicIdentity(
            validation.required_text(name, "name", 200),
            validation.gmc_number(gmc_number),
            Role(role),
            public_key_b64(private_key),
        )
        store = self.keystore()
        if store.needs_passphrase and not passphrase:
            raise InvalidInput("A passphrase is needed to protect the new signing key.")
        with self._sessions.begin() as session:
            load_trust_roots(session).check_no_conflict(identity, "The new identity")
            session.add(
                self._row(identity, has_private_key=True, pinned_how=PinMethod.CREATED_HERE)
            )
            session.flush()
            store.save(identity.fingerprint, private_key, passphrase)
        return IdentityInfo(identity, True, PinMethod.CREATED_HERE, store.location())

    def identities(self) -> list[IdentityInfo]:
        store = self.keystore()
        with self._sessions() as session:
            rows = session.scalars(select(SupervisorIdentity).order_by(SupervisorIdentity.name))
            return [
                IdentityInfo(
                    self._identity(r),
                    r.has_private_key,
                    r.pinned_how,  # type: ignore[arg-type]
                    store.location() if r.has_private_key else "",
                )
                for r in rows
            ]

    def key_warning(self) -> str | None:
        """Said to the user when keys are kept in a passphrase file because no keyring works."""
        return keystore_warning(self.keystore())

    def identity(self, fingerprint: str) -> IdentityInfo:
        wanted = normalize_fingerprint(fingerprint)
        for info in self.identities():
            if normalize_fingerprint(info.fingerprint) == wanted:
                return info
        raise NotFound(f"No supervisor identity with fingerprint {fingerprint}.")

    def own_identity(self, fingerprint: str | None = None) -> IdentityInfo:
        """The identity to sign with: the one named, or the only one this copy holds a key for."""
        if fingerprint:
            return self.identity(fingerprint)
        own = [i for i in self.identities() if i.has_private_key]
        if len(own) != 1:
            if not own:
                raise InvalidInput(
                    "This copy holds no signing identity yet.", remedy=Remedy.CREATE_IDENTITY
                )
            raise InvalidInput(
                "Several signing identities are kept here; choose one.",
                remedy=Remedy.CHOOSE_IDENTITY,
            )
        return own[0]

    def unlock(self, fingerprint: str, passphrase: str | None) -> Unlocked:
        info = self.identity(fingerprint)
        if not info.has_private_key:
            raise InvalidInput(f"This copy holds no private key for {info.identity.name}.")
        key = self.keystore(info.fingerprint).load(info.fingerprint, passphrase)
        return Unlocked(info.identity, key)

    def pin_card(self, card: PublicIdentity, how: PinMethod = PinMethod.FILE) -> IdentityInfo:
        """Vouch for this card, recording how it was checked: "meeting" (against the
        supervisor's own device) or "file". Refused when another key is pinned or listed in a
        trusted directory under its GMC number."""
        if how not in ("meeting", "file"):
            raise InvalidInput("A card is pinned in a meeting or from a file.")
        with self._sessions.begin() as session:
            load_trust_roots(session).check_no_conflict(card, "This card")
            row = session.get(SupervisorIdentity, card.fingerprint)
            if row is None:
                row = self._row(card, has_private_key=False, pinned_how=None)
                session.add(row)
            if row.pinned_how is None or how == "meeting":
                row.pinned_how, row.pinned_at = how, utcnow()
            pinned_how, has_key = row.pinned_how, row.has_private_key
        return IdentityInfo(card, has_key, pinned_how)  # type: ignore[arg-type]

    # -- signing -----------------------------------------------------------------------------

    def sign_in_meeting(
        self, unlocked: Unlocked, evidence_uuid: str, decision: str, comment: str
    ) -> SignOffInfo:
        """Sign the item as it stands now, on this machine, and record the decision at once."""
        item = self._evidence.get(evidence_uuid)
        with self._sessions() as session:
            trainee_gmc = _trainee_gmc(session)
            supersedes = latest_signatures(session, [item.uuid]).get(item.uuid)
        record = create_signoff(
            unlocked.private_key,
            unlocked.identity,
            item.uuid,
            item.digest,
            _decision(decision),
            validation.optional_text(comment, "comment", 5_000),
            self._clock(),
            supersedes,
            trainee_gmc=trainee_gmc,
        )
        return self._keep_meeting_record(unlocked, record, item.title)

    def withdraw_in_meeting(
        self, unlocked: Unlocked, signature: str, reason: str = ""
    ) -> SignOffInfo:
        """Take back a decision with a signed withdrawal that supersedes it (nothing is deleted).

        Only the item's latest decision, made with the unlocked identity, can be withdrawn; the
        item goes back to the review queue.
        """
        with self._sessions() as session:
            row = session.scalar(select(SignOff).where(SignOff.signature == signature))
            if row is None:
                raise NotFound("That sign-off is not in this portfolio.")
            latest = latest_signatures(session, [row.evidence_uuid])[row.evidence_uuid]
            withdrawn = (row.evidence_uuid, row.evidence_digest, row.decision, row.public_key)
            trainee_gmc = _trainee_gmc(session)
        uuid, digest, decision, key = withdrawn
        title = self._evidence.get(uuid).title
        if key != unlocked.identity.public_key:
            raise InvalidInput(f"Only the supervisor who signed '{title}' can withdraw it.")
        if decision == WITHDRAWN or latest != signature:
            raise InvalidInput(
                f"Only the latest decision about '{title}' can be withdrawn, and this one is not."
            )
        record = create_signoff(
            unlocked.private_key,
            unlocked.identity,
            uuid,
            digest,
            WITHDRAWN,
            validation.optional_text(reason, "reason", 5_000),
            supersedes=signature,
            trainee_gmc=trainee_gmc,
        )
        return self._keep_meeting_record(unlocked, record, title)

    def _keep_meeting_record(
        self, unlocked: Unlocked, record: SignOffRecord, title: str
    ) -> SignOffInfo:
        with self._sessions.begin() as session:
            self._ensure_identity(session, unlocked.identity)
            self._store(session, record, "meeting")
            issued = credentials.issue_missing(session, unlocked.private_key)
            status = self._status(session, record)
        return SignOffInfo(record.evidence_uuid, title, status, issued)

    def export_review_pack(
        self, out: Path, uuids: Sequence[str] = (), *, ready: bool = False
    ) -> list[EvidenceDetail]:
        """Chosen items (private ones only when chosen by uuid) or every item ready for review."""
        if bool(uuids) == ready:
            raise InvalidInput(
                "Choose the items for the review pack, or all items ready for review.",
                remedy=Remedy.CHOOSE_ITEMS,
            )
        if ready:
            items = self._evidence.details(EvidenceQuery(status="ready", include_private=False))
        else:
            items = [self._evidence.get(u) for u in uuids]
        if not items:
            raise InvalidInput("No items are ready for review; submit some first.")
        deleted = [i.title for i in items if i.deleted_at is not None]
        if deleted:
            raise InvalidInput(f"'{deleted[0]}' is in the trash; restore it first.")
        with self._sessions() as session:
            profile = session.get(Profile, 1)
            if profile is None:
                raise InvalidInput(
                    "This portfolio has no profile yet.", remedy=Remedy.CREATE_PROFILE
                )
            trainee = {
                "name": profile.name,
                "gmc_number": profile.gmc_number,
                "grade": profile.grade,
                "programme": profile.programme,
                "trust": profile.trust,
            }
            earlier = credentials.awaiting(session)
            supersedes = latest_signatures(session, [item.uuid for item in items])
        attachments = {
            a.sha256: check_bytes(
                item.title, a.filename, a.sha256, self._evidence.attachment_content(a.sha256)
            )
            for item in items
            for a in item.attachments
        }
        write_review_pack(
            out,
            str(uuid_module.uuid4()),
            utc_timestamp(),
            trainee,
            items,
            attachments,
            supersedes,
            earlier,
        )
        return items

    def sign_pack(
        self, pack: ReviewPack, unlocked: Unlocked, decisions: dict[str, tuple[str, str]], out: Path
    ) -> list[SignOffRecord]:
        """Sign decisions (uuid → (decision, comment)) about items of a pack; write the reply."""
        by_uuid = {item.detail.uuid: item.detail for item in pack.items}
        unknown = [u for u in decisions if u not in by_uuid]
        if unknown:
            raise InvalidInput(f"Item {unknown[0]} is not in this review pack.")
        if not decisions:
            raise InvalidInput("No decisions to sign.")
        supersedes = {item.detail.uuid: item.supersedes for item in pack.items}
        signed_at = utc_timestamp()
        records = [
            create_signoff(
                unlocked.private_key,
                unlocked.identity,
                uuid,
                by_uuid[uuid].digest,
                _decision(decision),
                validation.optional_text(comment, "comment", 5_000),
                signed_at,
                supersedes[uuid],
                trainee_gmc=pack.trainee_gmc,
            )
            for uuid, (decision, comment) in decisions.items()
        ]
        with self._sessions() as session:
            issued = credentials.for_pack(session, pack, records, unlocked.private_key, signed_at)
        written = False
        try:  # the file is written inside the log's transaction: nothing is sent unlogged
            with self._sessions.begin() as session:
                signing_log.append(
                    session, unlocked.private_key, unlocked.identity, pack.trainee_gmc, records
                )
                written = bool(
                    write_signoff_file(
                        out, pack.pack_id, pack.trainee_gmc, unlocked.identity, records, issued
                    )
                )
        except BaseException:
            if written:  # the log could not be saved: take back the file that would go unlogged
                out.unlink(missing_ok=True)
            raise
        return records

    def earlier_credentials(self, pack: ReviewPack, public_key: str) -> credentials.EarlierChoice:
        """Which of the pack's earlier sign-offs by this key ``sign_pack`` issues credentials for."""
        with self._sessions() as session:
            return credentials.earlier_of(session, pack, public_key)

    def export_log(self, out: Path, fingerprint: str | None = None) -> int:
        """Write the signing log of this copy's identity; returns how many records it holds."""
        info = self.own_identity(fingerprint)
        with self._sessions() as session:
            return signing_log.write_log(session, info.identity, out)

    def missing_from_log(self, path: Path) -> list[MissingSignOff]:
        """The records of a signing log (for this trainee) that this portfolio does not hold."""
        log = read_log(path)
        with self._sessions() as session:
            profile = session.get(Profile, 1)
            held = set(session.scalars(select(SignOff.signature)))
        return [
            MissingSignOff(
                entry.sequence,
                entry.record.evidence_uuid,
                entry.record.decision,
                entry.record.signed_at,
                entry.record.signer.name,
                entry.record.fingerprint,
            )
            for entry in log.entries
            if entry.record.signature not in held
            and (profile is None or entry.trainee_gmc == profile.gmc_number)
        ]

    def import_signoff_file(self, path: Path) -> list[ImportOutcome]:
        """Verify every record first; import all of them, or none with the reason."""
        return self.import_signoffs(read_signoff_file(path), path.name)

    def import_signoffs(self, document: SignOffFile, source: str) -> list[ImportOutcome]:
        with self._sessions.begin() as session:
            profile = session.get(Profile, 1)
            if profile is not None and profile.gmc_number != document.trainee_gmc:
                raise InvalidInput(
                    f"{source} was made for another trainee (GMC "
                    f"{document.trainee_gmc}); nothing was imported."
                )
            load_trust_roots(session).check_no_conflict(document.signer, source)
            for number, record in enumerate(document.records, start=1):
                if record.trainee_gmc not in (None, document.trainee_gmc):
                    raise InvalidInput(
                        f"{source}, sign-off {number}: signed for another trainee (GMC "
                        f"{record.trainee_gmc}); nothing was imported."
                    )
            checked = [
                self._checked(session, record, number, source)
                for number, record in enumerate(document.records, start=1)
            ]
            self._ensure_identity(session, document.signer)
            outcomes = []
            for record, title in checked:
                new = (
                    session.scalar(select(SignOff.id).where(SignOff.signature == record.signature))
                    is None
                )
                if new:
                    self._store(session, record, "file")
                outcomes.append(
                    ImportOutcome(
                        record.evidence_uuid,
                        title,
                        record.decision,
                        new,
                        self._status(session, record),
                    )
                )
            credentials.receive(session, document.credentials, source)
            return outcomes

    # -- reading -----------------------------------------------------------------------------

    def statuses(self, evidence_ids: Sequence[int]) -> dict[int, SignOffStatus]:
        with self._sessions() as session:
            return latest_statuses(session, evidence_ids)

    def history(self, evidence_uuid: str) -> list[SignOffStatus]:
        """Every sign-off of an item, oldest first, each verified against the item now."""
        found = self.histories([evidence_uuid])
        if evidence_uuid not in found:
            raise NotFound(f"No evidence item with uuid {evidence_uuid}.")
        return found[evidence_uuid]

    def histories(
        self, evidence_uuids: Sequence[str], digests: Mapping[str, str] | None = None
    ) -> dict[str, list[SignOffStatus]]:
        """:meth:`history` of each item found, in one session: the known identities and the
        trust roots are loaded once, not once per item (a summary asks for hundreds).
        ``digests``: the items' content digests by uuid when the caller has them (a summary's
        items, read once): those items are not loaded and digested again."""
        known = dict(digests or {})
        out: dict[str, list[SignOffStatus]] = {}
        with self._sessions() as session:
            identities = known_identities(session)
            roots = load_trust_roots(session)
            for start in range(0, len(evidence_uuids), _BATCH):
                batch = evidence_uuids[start : start + _BATCH]
                if missing := [u for u in batch if u not in known]:
                    for item in session.scalars(
                        select(Evidence).where(Evidence.uuid.in_(missing)).options(*LOAD_CONTENT)
                    ):
                        known[item.uuid] = digest_of_item(item)
                signoffs: dict[str, list[SignOff]] = {}
                for row in session.scalars(select(SignOff).where(SignOff.evidence_uuid.in_(batch))):
                    signoffs.setdefault(row.evidence_uuid, []).append(row)
                for uuid in dict.fromkeys(batch):
                    if uuid not in known:
                        continue  # no such item
                    rows = in_chain_order(signoffs.get(uuid, []))
                    chain = chain_warning(rows)
                    out[uuid] = [
                        status_of(row, known[uuid], identities, roots, chain) for row in rows
                    ]
        return out

    def verify_all(self) -> list[SignOffInfo]:
        """The latest sign-off of every item that has one, verified from scratch."""
        forget_blob_digests()
        with self._sessions() as session:
            rows = session.execute(
                select(Evidence.id, Evidence.uuid, Evidence.title).where(
                    Evidence.uuid.in_(select(SignOff.evidence_uuid))
                )
            )
            titles = {row.id: (row.uuid, row.title) for row in rows}
            statuses = latest_statuses(session, list(titles))
        return [SignOffInfo(*titles[i], statuses[i]) for i in sorted(statuses)]

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _row(
        identity: PublicIdentity, *, has_private_key: bool, pinned_how: PinMethod | None
    ) -> SupervisorIdentity:
        return SupervisorIdentity(
            fingerprint=identity.fingerprint,
            public_key=identity.public_key,
            name=identity.name,
            gmc_number=identity.gmc_number,
            role=identity.role,
            has_private_key=has_private_key,
            pinned_how=pinned_how,
            pinned_at=None if pinned_how is None else utcnow(),
        )

    @staticmethod
    def _identity(row: SupervisorIdentity) -> PublicIdentity:
        return PublicIdentity(
            row.name,
            row.gmc_number,
            row.role,  # type: ignore[arg-type]
            row.public_key,
        )

    def _ensure_identity(self, session: Session, identity: PublicIdentity) -> None:
        if session.get(SupervisorIdentity, identity.fingerprint) is None:
            session.add(self._row(identity, has_private_key=False, pinned_how=None))
            session.flush()

    @staticmethod
    def _checked(
        session: Session, record: SignOffRecord, number: int, source: str
    ) -> tuple[SignOffRecord, str]:
        where = f"{source}, sign-off {number}"
        if not record.signature_valid():
            raise InvalidInput(
                f"{where}: the signature does not match its content; the file "
                "was altered or forged. Nothing was imported."
            )
        item = session.scalar(select(Evidence).where(Evidence.uuid == record.evidence_uuid))
        if item is None:
            raise InvalidInput(
                f"{where}: this portfolio has no item {record.evidence_uuid}. Nothing was imported."
            )
        signed_versions = set(
            session.scalars(select(Revision.digest).where(Revision.evidence_id == item.id))
        )
        if record.evidence_digest not in signed_versions:
            raise InvalidInput(
                f"{where}: '{item.title}' never had the content that was signed. "
                "Nothing was imported."
            )
        return record, item.title

    @staticmethod
    def _store(session: Session, record: SignOffRecord, source: str) -> None:
        """Keep the record; the item takes the decision if it is the latest and still current."""
        latest = session.scalar(
            select(SignOff.signed_at)
            .where(SignOff.evidence_uuid == record.evidence_uuid)
            .order_by(SignOff.signed_at.desc())
            .limit(1)
        )
        session.add(SignOff(**signoff_row(record, source)))
        item = session.scalar(
            select(Evidence).where(Evidence.uuid == record.evidence_uuid).options(*LOAD_CONTENT)
        )
        assert item is not None
        current = record.decision == WITHDRAWN or digest_of_item(item) == record.evidence_digest
        if current and (latest or "") <= record.signed_at:
            item.status = status_after(record.decision)
        session.flush()

    @staticmethod
    def _status(session: Session, record: SignOffRecord) -> SignOffStatus:
        row = session.scalar(select(SignOff).where(SignOff.signature == record.signature))
        item = session.scalar(
            select(Evidence).where(Evidence.uuid == record.evidence_uuid).options(*LOAD_CONTENT)
        )
        assert row is not None and item is not None
        return status_of(
            row, digest_of_item(item), known_identities(session), load_trust_roots(session)
        )


def _trainee_gmc(session: Session) -> str:
    """The GMC number of this portfolio's trainee, which a record signed here names."""
    profile = session.get(Profile, 1)
    if profile is None:
        raise InvalidInput("This portfolio has no profile yet.", remedy=Remedy.CREATE_PROFILE)
    return profile.gmc_number


def _decision(value: str) -> Decision:
    if value not in DECISIONS:
        raise InvalidInput(f"Unknown decision '{value}'; choose one of: {', '.join(DECISIONS)}.")
    return value  # type: ignore[return-value]
