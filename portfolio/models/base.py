"""Declarative base over the one ``metadata`` of ``portfolio.tables`` (named constraints)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from portfolio.tables import NAMING_CONVENTION, metadata, utcnow

__all__ = ["NAMING_CONVENTION", "Base", "utcnow"]


class Base(DeclarativeBase):
    metadata = metadata
