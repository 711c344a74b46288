"""The typed ORM. Relationships are lazy="raise": services load what they need explicitly."""

from portfolio.models.base import Base
from portfolio.models.credential import SignOffCredential
from portfolio.models.curriculum import Curriculum, CurriculumNode, ImportedCurriculum
from portfolio.models.evidence import (
    Attachment,
    Blob,
    Evidence,
    EvidenceLink,
    Revision,
    Tag,
    evidence_tag,
)
from portfolio.models.imports import ImportedArchive
from portfolio.models.opportunity import (
    Opportunity,
    OpportunityCatalogue,
    OpportunityProgress,
)
from portfolio.models.privacy import PrivacyDismissal
from portfolio.models.profile import Placement, Profile
from portfolio.models.recovery import UnsavedDraft
from portfolio.models.signoff import SigningLogEntry, SignOff, SupervisorIdentity
from portfolio.models.trust import TrustedDirectory
from portfolio.vocabulary import STATUSES

__all__ = [
    "STATUSES",
    "Attachment",
    "Base",
    "Blob",
    "Curriculum",
    "CurriculumNode",
    "Evidence",
    "EvidenceLink",
    "ImportedArchive",
    "ImportedCurriculum",
    "Opportunity",
    "OpportunityCatalogue",
    "OpportunityProgress",
    "Placement",
    "PrivacyDismissal",
    "Profile",
    "Revision",
    "SignOff",
    "SignOffCredential",
    "SigningLogEntry",
    "SupervisorIdentity",
    "Tag",
    "TrustedDirectory",
    "UnsavedDraft",
    "evidence_tag",
]
