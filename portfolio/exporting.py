"""Exports for other systems and for print (Leap2A, an HTML folder), from the application's side.

They hold what the ARCP summary holds, gathered the same way (``Portfolio.reports.build_arcp``):
every live item, and a private one only when the trainee names it in ``include_private``.
The writers themselves are in ``portfolio.services.leap2a`` and ``.html_export``.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio.reports.model import ArcpReport
from portfolio.services.dto import EvidenceDetail
from portfolio.services.evidence import EvidenceQuery

if TYPE_CHECKING:
    from portfolio.app import Portfolio
    from portfolio.services.leap2a import Leap2ASummary


def export_leap2a(
    portfolio: Portfolio, out: Path, include_private: Collection[str] = ()
) -> Leap2ASummary:
    from portfolio.services.leap2a import write_leap2a

    report, details = _gathered(portfolio, include_private)
    return write_leap2a(out, report, details, portfolio.evidence.attachment_content)


def export_html(portfolio: Portfolio, out: Path, include_private: Collection[str] = ()) -> Path:
    from portfolio.services.html_export import write_html_export

    report, details = _gathered(portfolio, include_private)
    return write_html_export(out, report, details, portfolio.evidence.attachment_content)


def _gathered(
    portfolio: Portfolio, include_private: Collection[str]
) -> tuple[ArcpReport, dict[str, EvidenceDetail]]:
    report = portfolio.reports.build_arcp(include_private=include_private)
    wanted = {item.uuid for item in report.items}
    details = {
        d.uuid: d
        for d in portfolio.evidence.details(EvidenceQuery(include_private=bool(include_private)))
        if d.uuid in wanted
    }
    return report, details
