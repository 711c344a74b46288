"""Gathering a report: what the services say, turned into the plain dataclasses of
``portfolio.reports.model`` (``ReportService`` in ``reports.service`` lays them out and writes
them). No session, no storage, no ReportLab: only the services a report reads.

Privacy: a private item appears only when its uuid is passed in ``include_private``.
Reproducibility: with ``SOURCE_DATE_EPOCH`` set, the generation date is taken from it (and the
PDF is laid out in ReportLab's invariant mode), so the same portfolio gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from portfolio import __version__
from portfolio.curriculum import Curriculum, CurriculumNode, gpc
from portfolio.curriculum.domains import DomainMap
from portfolio.errors import InvalidInput
from portfolio.formats.arcp_manifest import credential_file_name, directory_file_name
from portfolio.kinds import FieldSpec, template
from portfolio.reports.model import (
    ArcpReport,
    DomainRow,
    EmbeddedFile,
    Entry,
    Field,
    Item,
    ItemReport,
    RegisterEntry,
    SignOffLine,
    Trainee,
)
from portfolio.reproducible import source_date
from portfolio.services.content import forget_blob_digests
from portfolio.services.dto import EvidenceDetail, ProfileData, SignOffStatus
from portfolio.services.evidence import EvidenceQuery
from portfolio.services.profile import require_profile
from portfolio.services.signoff_words import trust_words, verdict_words, vouch_short

if TYPE_CHECKING:
    from portfolio.services.credentials import CredentialService
    from portfolio.services.curricula import CurriculumService
    from portfolio.services.directories import DirectoryService
    from portfolio.services.evidence import EvidenceService
    from portfolio.services.profile import ProfileService
    from portfolio.services.signoffs import SignOffService

Reflections = Sequence[str] | Literal["all"]
CheckRead = Callable[[Sequence[EvidenceDetail]], None]
"""Called with the items a summary prints, as read, before anything else is made of them (the
command line's privacy check, which raises to stop: the items are read once)."""


class ReportSources(Protocol):
    """The services a report reads (``Portfolio`` offers them all)."""

    @property
    def profile(self) -> ProfileService: ...
    @property
    def evidence(self) -> EvidenceService: ...
    @property
    def signoffs(self) -> SignOffService: ...
    @property
    def credentials(self) -> CredentialService: ...
    @property
    def directories(self) -> DirectoryService: ...
    @property
    def curricula(self) -> CurriculumService: ...


FULL_KINDS = ("qi_project", "leadership_role")


def arcp_file_name(trainee: str, date_from: date | None, date_to: date | None, today: date) -> str:
    """The name the summary is offered under: whose, and which period, e.g.
    ``ARCP summary - Dr A Khan - 2025-08-01 to 2026-07-31.pdf``."""
    start = f"{date_from:%Y-%m-%d}" if date_from else "start"
    period = f"{start} to {date_to or today:%Y-%m-%d}"
    name = _UNSAFE_IN_FILE_NAMES.sub("", trainee).strip(" .")
    return " - ".join(part for part in ("ARCP summary", name, period) if part) + ".pdf"


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
"""Characters Windows, macOS or Linux refuse (or treat specially) in a file name."""


# -- gathering -----------------------------------------------------------------------------------


def build_arcp_report(
    sources: ReportSources,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    include_private: Collection[str] = (),
    reflections: Reflections = "all",
    check: CheckRead | None = None,
) -> ArcpReport:
    if date_from and date_to and date_from > date_to:
        raise InvalidInput(f"The period starts ({date_from}) after it ends ({date_to}).")
    forget_blob_digests()  # a report is trusted: every attachment is hashed afresh
    chosen_private = set(include_private)
    found: Sequence[EvidenceDetail] = sources.evidence.details(
        EvidenceQuery(
            date_from=date_from,
            date_to=date_to,
            include_private=True,
            sort="date",
            descending=False,
        )
    )
    details = [d for d in found if not d.private or d.uuid in chosen_private]
    if check is not None:
        check(details)
    profile = require_profile(sources.profile.get())
    credentials, files = _credential_files(sources, details)
    domain_map = sources.curricula.domain_map()
    items = [replace(item_of(d, domain_map), credentials=files.get(d.uuid, ())) for d in details]
    directories = _directory_files(sources)
    wanted = None if reflections == "all" else set(reflections)
    in_full = [i for i in items if i.kind == "reflection" and (wanted is None or i.uuid in wanted)]
    in_full += [
        i
        for i in items
        if wanted and i.uuid in wanted and i.kind != "reflection" and i.kind not in FULL_KINDS
    ]
    histories = sources.signoffs.histories(
        [d.uuid for d in details if d.signoff is not None], {d.uuid: d.digest for d in details}
    )
    register = [
        RegisterEntry(item.uuid, item.title, signoff_line(s))
        for item in items
        for s in histories.get(item.uuid, ())
    ]
    register.sort(key=lambda e: (e.signoff.signed_at, e.item_title))
    own = sources.curricula.own(profile.curriculum_id) if profile.curriculum_id else None
    return ArcpReport(
        trainee=trainee_of(profile),
        date_from=date_from,
        date_to=date_to,
        generated_at=generation_time(),
        domains=domain_rows(items),
        items=tuple(items),
        projects=tuple(i for i in items if i.kind in FULL_KINDS),
        reflections=tuple(in_full),
        register=tuple(register),
        private_included=sum(1 for i in items if i.private),
        private_left_out=len(found) - len(details),
        app_version=__version__,
        embedded=(*credentials, *directories),
        directory_files=tuple(sorted(d.name for d in directories)),
        curriculum_title=f"{own.title} ({own.edition})" if own else "",
        capabilities=capability_rows(own, items) if own else (),
    )


def _credential_files(
    sources: ReportSources, details: Sequence[EvidenceDetail]
) -> tuple[list[EmbeddedFile], dict[str, tuple[str, ...]]]:
    """The stored credentials of each item's latest sign-off, as files to embed, and the
    names of each item's files."""
    latest = {d.signoff.signature: d for d in details if d.signoff and d.signoff.signature}
    files: list[EmbeddedFile] = []
    names: dict[str, tuple[str, ...]] = {}
    for signature, documents in sources.credentials.stored_for(list(latest)).items():
        detail = latest[signature]
        for document in documents:
            data = json.loads(document)
            name = credential_file_name(str(data["id"]), str(data["proof"]["cryptosuite"]))
            description = (
                f"Sign-off credential of “{detail.title}” ({data['proof']['cryptosuite']})"
            )
            files.append(EmbeddedFile(name, document.encode("utf-8"), description))
            names[detail.uuid] = (*names.get(detail.uuid, ()), name)
    return files, names


def _directory_files(sources: ReportSources) -> list[EmbeddedFile]:
    """The trusted supervisor directories, each text exactly as stored (and as signed)."""
    return [
        EmbeddedFile(
            directory_file_name(d.directory_id, d.version),
            d.document.encode("utf-8"),
            f"Supervisor directory “{d.name}” version {d.version}, signed by its publisher",
        )
        for d in sources.directories.trusted()
    ]


def build_item_report(sources: ReportSources, item_uuid: str) -> ItemReport:
    profile = require_profile(sources.profile.get())
    forget_blob_digests()
    detail = sources.evidence.get(item_uuid)
    history = tuple(signoff_line(s) for s in sources.signoffs.history(item_uuid))
    return ItemReport(
        trainee=trainee_of(profile),
        item=item_of(detail, sources.curricula.domain_map()),
        history=history,
        generated_at=generation_time(),
        app_version=__version__,
    )


def domain_rows(items: Iterable[Item]) -> tuple[DomainRow, ...]:
    """Items per GPC domain by shown status; an item counts once towards each of its domains."""
    return _rows(gpc().top_level(), items, lambda item: item.domains)


def capability_rows(curriculum: Curriculum, items: Iterable[Item]) -> tuple[DomainRow, ...]:
    """Items linked to each capability of a curriculum, by shown status."""
    capabilities = [node for node in curriculum if node.kind == "capability"]
    return _rows(capabilities, items, lambda item: item.links)


def _rows(
    nodes: Sequence[CurriculumNode], items: Iterable[Item], codes: Callable[[Item], Iterable[str]]
) -> tuple[DomainRow, ...]:
    counts: dict[str, Counter[str]] = {node.code: Counter() for node in nodes}
    for item in items:
        for code in set(codes(item)):
            counts.setdefault(code, Counter())[item.status] += 1
    return tuple(
        DomainRow(
            node.code,
            node.title,
            sum(counts[node.code].values()),
            counts[node.code]["signed_off"],
            counts[node.code]["ready"],
            counts[node.code]["edited"],
            counts[node.code]["invalid"],
        )
        for node in nodes
    )


def trainee_of(profile: ProfileData) -> Trainee:
    return Trainee(
        name=profile.name,
        gmc_number=profile.gmc_number,
        grade=profile.grade,
        specialty=profile.specialty,
        programme=profile.programme,
        region=profile.region,
        trust=profile.trust,
        educational_supervisor=profile.educational_supervisor,
    )


def signoff_line(s: SignOffStatus) -> SignOffLine:
    return SignOffLine(
        state=s.state,
        decision=s.decision,
        signer_name=s.signer_name,
        signer_role=s.signer_role,
        fingerprint=s.fingerprint,
        signed_at=s.signed_at,
        comment=s.comment,
        warning=" ".join(w for w in (s.warning, s.chain_warning) if w),
        vouched=s.vouched_by is not None,
        verdict=verdict_words(s),
        trust=trust_words(s),
        vouch=vouch_short(s.vouched_by),
        reason=s.reason,
    )


def item_of(detail: EvidenceDetail, domain_map: DomainMap) -> Item:
    spec = template(detail.kind)
    kind_title = spec.title
    if detail.kind == "assessment" and detail.fields.get("form"):
        form = spec.field("form").choice_label(str(detail.fields["form"]))
        kind_title = f"Assessment: {form.split(' (')[0]}"
    return Item(
        uuid=detail.uuid,
        kind=detail.kind,
        kind_title=kind_title,
        title=detail.title,
        occurred_on=detail.occurred_on,
        occurred_until=detail.occurred_until,
        status=detail.status,
        domains=domain_map.domains_of(detail.domains),
        links=detail.domains,
        fields=fields_of(spec.fields, detail.fields),
        text_label=spec.text_label or "",
        text=detail.text,
        signoff=signoff_line(detail.signoff) if detail.signoff else None,
        private=detail.private,
        tags=detail.tags,
        attachments=tuple(a.filename for a in detail.attachments),
        digest=detail.digest,
    )


def fields_of(specs: Sequence[FieldSpec], values: Mapping[str, Any]) -> tuple[Field, ...]:
    """The item's fields in template order, labelled, with choices shown by their labels."""
    out = []
    for spec in specs:
        value = values.get(spec.key)
        if value in (None, "", [], ()):
            continue
        if spec.type == "repeat" and isinstance(value, list):
            entries = [
                entry_of(spec, number, entry)
                for number, entry in enumerate(value, start=1)
                if isinstance(entry, Mapping)
            ]
            out.append(Field(spec.label, long=True, entries=tuple(entries)))
        else:
            out.append(Field(spec.label, _shown(spec, value), long=spec.type == "longtext"))
    return tuple(out)


def entry_of(spec: FieldSpec, number: int, values: Mapping[str, Any]) -> Entry:
    """A repeat entry: its dates go into the caption, its other fields below it."""
    noun = spec.label[:-1] if spec.label.endswith("s") else spec.label
    dates = [
        _shown(sub, values[sub.key])
        for sub in spec.fields
        if sub.type == "date" and values.get(sub.key)
    ]
    caption = f"{noun} {number}" + (f" · {' – '.join(dates)}" if dates else "")
    rest = [sub for sub in spec.fields if sub.type != "date"]
    return Entry(caption, fields_of(rest, values))


def _shown(spec: FieldSpec, value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(spec.choice_label(str(v)) for v in value)
    if spec.type == "choice":
        return spec.choice_label(str(value))
    if spec.type == "date":
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return f"{day.day} {day:%B %Y}"
    return str(value)


def generation_time() -> datetime:
    """Now, or the moment ``SOURCE_DATE_EPOCH`` names (reproducible builds)."""
    return source_date() or datetime.now(UTC).astimezone()
