"""ReportLab documents built from the plain dataclasses in ``portfolio.reports.model``.

Importing this package does not import ReportLab: ``portfolio.reports.arcp`` and
``portfolio.reports.item`` do, and callers import them only when a report is wanted.
"""

from __future__ import annotations

from portfolio.errors import PortfolioError


class ReportCancelled(PortfolioError):
    """The user cancelled a report; nothing was written."""
