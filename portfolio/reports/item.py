"""One evidence item printed on its own, with every sign-off it has had."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import mm as MM
from reportlab.platypus import Flowable, Spacer

from portfolio.reports.flowables import Para
from portfolio.reports.layout import (
    CONTENT_WIDTH,
    Furniture,
    build,
    item_in_full,
    item_meta,
    table,
    verification_markup,
)
from portfolio.reports.model import ItemReport, decision_text, long_date, role_text
from portfolio.reports.styles import MONO, MUTED, hex_of, styles, text


def render_item(report: ItemReport, out: str | BinaryIO, *, invariant: bool = False) -> None:
    st = styles()
    item, t = report.item, report.trainee
    flowables: list[Flowable] = [
        Para(text(item.kind_title).upper(), st.kicker),
        Para(text(item.title), st.h1),
        Para(item_meta(item), st.note),
        Spacer(1, 8),
        *item_in_full(item, heading=False),
    ]
    if item.attachments:
        flowables += [
            Para("ATTACHMENTS", st.label),
            Para(text(", ".join(item.attachments)), st.cell),
        ]
    if report.history:
        flowables += [Para("Sign-off history", st.h2)]
        widths = [30 * MM, 0.0, 62 * MM, 28 * MM]
        widths[1] = CONTENT_WIDTH - sum(widths)
        rows: list[list[object]] = [
            [Para(h, st.head) for h in ("DECISION", "SIGNED BY", "KEY FINGERPRINT", "VERIFICATION")]
        ]
        for s in report.history:
            rows.append(
                [
                    Para(
                        f"{decision_text(s.decision)}<br/><font size='6.8' color="
                        f"'{hex_of(MUTED)}'>{text(s.signed_at[:10])}</font>",
                        st.cell,
                    ),
                    Para(f"{text(s.signer_name)}, {text(role_text(s.signer_role))}", st.cell),
                    Para(text(s.fingerprint), st.cell_mono),
                    Para(verification_markup(s), st.cell),
                ]
            )
        flowables.append(table(rows, widths, header=True))
    flowables += [
        Spacer(1, 10),
        Para(
            f"Item {text(item.uuid)} · content digest "
            f'<font name="{MONO}" size="6.6">{text(item.digest)}</font>',
            st.cell_small,
        ),
    ]
    build(
        flowables,
        out,
        furniture=Furniture(
            header_left=f"{t.name} · GMC {t.gmc_number}",
            header_right=item.title[:70],
            footer_left=f"Printed {long_date(report.generated_at.date())} by "
            f"GPC Portfolio {report.app_version} · sign-offs "
            "verified when printed",
            plain_first_page=False,
        ),
        title=item.title,
        author=t.name,
        subject=f"{item.kind_title}, {item.occurred_on}",
        keywords=("GPC", "portfolio", item.kind),
        creator=f"GPC Portfolio {report.app_version}",
        invariant=invariant,
    )
