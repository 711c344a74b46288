"""The deanery store's tables: its own metadata and version, apart from the portfolio's.

Every table is named ``deanery_…`` and belongs to ``DeaneryBase.metadata``, never to the
portfolio's ``portfolio.models.Base``: the portfolio's Alembic history knows nothing of them,
and ``deanery_schema`` holds the one version number this store's code expects. A summary is
stored as read (counts only, as in its file); the figures are computed from these rows in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portfolio.models.base import NAMING_CONVENTION

SCHEMA_VERSION = 1
"""Raised with every change to these tables; a store of another version is refused."""

_UUID = String(36)


class DeaneryBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SchemaVersion(DeaneryBase):
    __tablename__ = "deanery_schema"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class StoredSummary(DeaneryBase):
    """One trainee's cohort summary (``.gpccohort``), once per summary id."""

    __tablename__ = "deanery_summary"

    summary_id: Mapped[str] = mapped_column(_UUID, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the file's bytes: the same file loaded again is recognised as unchanged."""
    source: Mapped[str] = mapped_column(String(1000))
    created_on: Mapped[date] = mapped_column(Date)
    trust: Mapped[str] = mapped_column(String(200), index=True)
    grade: Mapped[str] = mapped_column(String(100))
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    named: Mapped[bool] = mapped_column(Boolean)
    """The trainee chose to be named; their name and GMC number are not kept here."""
    evidence_items: Mapped[int] = mapped_column(BigInteger)
    qi_activity: Mapped[bool] = mapped_column(Boolean)
    leadership_roles: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)


def _summary_key() -> Mapped[str]:
    return mapped_column(
        _UUID, ForeignKey("deanery_summary.summary_id", ondelete="CASCADE"), primary_key=True
    )


class SummaryDomain(DeaneryBase):
    """Items per GPC domain: every domain of every summary, 0 included (spreads need them)."""

    __tablename__ = "deanery_summary_domain"

    summary_id: Mapped[str] = _summary_key()
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    items: Mapped[int] = mapped_column(BigInteger)


class SummaryKind(DeaneryBase):
    """Items per kind of evidence; kinds with none are not stored."""

    __tablename__ = "deanery_summary_kind"

    summary_id: Mapped[str] = _summary_key()
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    items: Mapped[int] = mapped_column(BigInteger)


class SummaryRole(DeaneryBase):
    """Leadership roles held per type; types with none are not stored."""

    __tablename__ = "deanery_summary_role"

    summary_id: Mapped[str] = _summary_key()
    role_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    held: Mapped[int] = mapped_column(BigInteger)


class SummaryUptake(DeaneryBase):
    """What the trainee recorded about one opportunity, as their summary lists it."""

    __tablename__ = "deanery_summary_uptake"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    summary_id: Mapped[str] = mapped_column(
        _UUID, ForeignKey("deanery_summary.summary_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    catalogue_id: Mapped[str] = mapped_column(_UUID)
    opportunity_id: Mapped[str] = mapped_column(_UUID)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))


class StoredCatalogue(DeaneryBase):
    """The newest verified version of a CLM's opportunity catalogue (``.gpcopportunities``)."""

    __tablename__ = "deanery_catalogue"

    catalogue_id: Mapped[str] = mapped_column(_UUID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    trust: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[str] = mapped_column(String(20))
    publisher_name: Mapped[str] = mapped_column(String(200))
    publisher_gmc: Mapped[str] = mapped_column(String(7))
    publisher_key: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(1000))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)


class StoredOpportunity(DeaneryBase):
    __tablename__ = "deanery_opportunity"

    opportunity_id: Mapped[str] = mapped_column(_UUID, primary_key=True)
    catalogue_id: Mapped[str] = mapped_column(
        _UUID, ForeignKey("deanery_catalogue.catalogue_id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))


class StoredDirectory(DeaneryBase):
    """The newest verified version of a supervisor directory (``.gpcdirectory``), kept as the
    signed text and verified again when read: its entries say whose keys are revoked."""

    __tablename__ = "deanery_directory"

    directory_id: Mapped[str] = mapped_column(_UUID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    publisher_key: Mapped[str] = mapped_column(String(100))
    document: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(1000))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)


class TrustedPublisher(DeaneryBase):
    """A directory publisher the deanery trusts, named by fingerprint when first loaded."""

    __tablename__ = "deanery_trusted_publisher"

    fingerprint: Mapped[str] = mapped_column(String(100), primary_key=True)
    trusted_at: Mapped[datetime] = mapped_column(DateTime)
