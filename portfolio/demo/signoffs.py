"""The demo's sign-offs: a deanery directory the trainee trusts vouches for the educational
supervisor, who signs items in two meetings; one item is edited afterwards and one comes back
with changes requested. Everything goes through the ordinary services and files.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio.demo.people import DEANERY, PGME_OFFICE, SUPERVISOR, at
from portfolio.services.directories import DirectoryService
from portfolio.services.dto import EvidenceDetail, EvidenceDraft
from portfolio.services.signoffs import SignOffService

if TYPE_CHECKING:
    from portfolio.app import Portfolio

DIRECTORY_FILE = "tamar-deanery-supervisors.gpcdirectory"
DIRECTORY_ISSUED = at("2025-07-28T09:00")
DIRECTORY_DAYS = 3650
"""Long enough that the demo's directory is still current whenever the demo is run."""
MEETINGS = (at("2026-02-04T16:00"), at("2026-05-20T15:30"))
"""The supervisor signs, at each meeting, what was ready and dated before it."""
CHANGES_REQUESTED = {
    "Consent: knowing what I can and cannot consent for": (
        "Good start. Please add what you now do when asked to consent for a procedure you "
        "have not done, and link it to the GMC guidance you read."
    )
}
EDITED_AFTER = "Treating hyperkalaemia: learning from a pharmacist's query"
EDIT = " I have since added the pharmacist's checklist to the ward's induction pack."


def trust_supervisor(portfolio: Portfolio, folder: Path) -> Path:
    """Publish the deanery's directory listing the supervisor, and trust it by fingerprint."""
    office = DirectoryService(portfolio.database.sessions, clock=lambda: DIRECTORY_ISSUED)
    path = folder / DIRECTORY_FILE
    office.create(
        f"{DEANERY} educational and clinical supervisors",
        path,
        [SUPERVISOR.identity],
        PGME_OFFICE,
        valid_days=DIRECTORY_DAYS,
        valid_from=DIRECTORY_ISSUED.date(),
        directory_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "gpc-portfolio:demo:directory")),
    )
    portfolio.directories.import_directory(path, trust=PGME_OFFICE.identity.fingerprint)
    return path


def sign_ready(
    portfolio: Portfolio,
    ready: list[EvidenceDetail],
    drafts: Mapping[str, EvidenceDraft],
) -> None:
    """Sign the ready items meeting by meeting, then edit one signed item as a trainee would."""
    left = sorted(ready, key=lambda item: (item.occurred_on, item.title))
    for meeting in MEETINGS:
        signer = _signing_service(portfolio, meeting)
        due = [item for item in left if item.occurred_on < meeting.date()]
        for item in due:
            comment = CHANGES_REQUESTED.get(item.title)
            decision = "signed_off" if comment is None else "changes_requested"
            signer.sign_in_meeting(SUPERVISOR, item.uuid, decision, comment or _praise(item))
        left = left[len(due) :]
    edited = next(item for item in ready if item.title == EDITED_AFTER)
    draft = drafts[edited.uuid]
    fields = dict(draft.fields)
    fields["active_experimentation"] += EDIT
    portfolio.evidence.update(edited.uuid, replace(draft, fields=fields))


def _signing_service(portfolio: Portfolio, meeting: datetime) -> SignOffService:
    """The portfolio's sign-off service, its clock stopped at the meeting."""
    location = portfolio.location
    return SignOffService(
        portfolio.database.sessions, portfolio.evidence, location.data_dir, lambda: meeting
    )


def _praise(item: EvidenceDetail) -> str:
    if item.kind == "reflection":
        return "Thoughtful reflection with a clear change in practice."
    return "Well evidenced; discussed at our meeting."
