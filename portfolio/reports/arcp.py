"""The ARCP evidence summary: cover, coverage, evidence by domain, QI and leadership in full,
chosen reflections, and a register of every sign-off with its verification result."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import BinaryIO

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm as MM
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from portfolio.formats.arcp_manifest import MANIFEST_NAME, Manifest, ManifestItem
from portfolio.reports.attach import PageMark
from portfolio.reports.chart import coverage_chart
from portfolio.reports.flowables import Para
from portfolio.reports.layout import (
    CONTENT_WIDTH,
    Cancelled,
    Furniture,
    Progress,
    build,
    callout,
    item_in_full,
    status_markup,
    table,
    verification_markup,
)
from portfolio.reports.model import (
    ArcpReport,
    DomainRow,
    EmbeddedFile,
    Item,
    decision_text,
    long_date,
    role_text,
    short_date,
)
from portfolio.reports.styles import (
    ACCENT,
    EDITED,
    INVALID,
    MONO,
    MUTED,
    PAPER_TINT,
    RULE,
    SANS,
    STATE_COLOURS,
    VALID,
    hex_of,
    styles,
    text,
)

TRUST_NOTE = (
    "Every sign-off in this summary was verified when it was generated. The supervisor’s "
    "Ed25519 signature is checked against their public key, and the digest of the item as it "
    "is now is compared with the digest the supervisor signed. "
    "<b>Valid</b>: the signature is good and the item has not changed since. "
    "<b>Edited since sign-off</b>: the signature is good but the item was changed afterwards, "
    "so the sign-off does not cover what it says now. "
    "<b>Invalid</b>: the signature does not verify or the key is unknown. "
    "A good signature proves only that <i>a</i> key signed; each sign-off also says who "
    "vouches that the key is the supervisor’s: a supervisor directory published by a "
    "postgraduate education office (named, with its publisher’s key fingerprint), or the "
    "trainee’s own pin of the supervisor’s card (which the trainee alone attests). "
    "<b>Not vouched for</b>: nobody this portfolio trusts vouches for the key. "
    "<b>Revoked</b>: a directory revoked the key, or it was used outside its validity dates. "
    "Only valid sign-offs by vouched-for signers count as signed off."
)

VERIFY_NOTE = (
    "<b>This PDF carries its own proof:</b> each sign-off as a signed credential, and the "
    "supervisor directories that vouch for the signers, as attached files. To check them, "
    "offline and without the trainee’s portfolio, run "
    f'<font name="{MONO}">gpc-portfolio&nbsp;verify</font> on this file.'
)


def render_arcp(
    report: ArcpReport,
    out: str | BinaryIO,
    *,
    invariant: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Lay out ``report`` as a PDF into ``out`` (a path or a binary file)."""
    t = report.trainee
    sections: list[Callable[[ArcpReport, int], list[Flowable]]] = [_coverage]
    if report.capabilities:
        sections.append(_curriculum)
    sections.append(_by_domain)
    if report.projects:
        sections.append(_projects)
    if report.reflections:
        sections.append(_reflections)
    sections.append(_register)
    flowables = _cover(report)
    for number, section in enumerate(sections, start=1):  # numbered as printed: no gaps
        flowables += [PageBreak(), *section(report, number)]
    period = report.period_text()
    furniture = Furniture(
        header_left=f"ARCP evidence summary · {t.name}",
        header_right=f"GMC {t.gmc_number} · {period}",
        footer_left=f"Generated {long_date(report.generated_at.date())} by GPC Portfolio "
        f"{report.app_version} · sign-offs verified at generation",
    )
    build(
        flowables,
        out,
        furniture=furniture,
        title=f"ARCP evidence summary: {t.name} ({period})",
        author=t.name,
        subject=f"Generic Professional Capabilities evidence, {period}; GMC {t.gmc_number}",
        keywords=("ARCP", "GPC", "portfolio"),
        creator=f"GPC Portfolio {report.app_version}",
        invariant=invariant,
        progress=progress,
        cancelled=cancelled,
        attach=lambda pages: [*report.embedded, _manifest_file(report, pages)],
    )


def _manifest_file(report: ArcpReport, pages: Mapping[str, tuple[int, ...]]) -> EmbeddedFile:
    manifest = Manifest(
        app_version=report.app_version,
        trainee_name=report.trainee.name,
        trainee_gmc=report.trainee.gmc_number,
        period=report.period_text(),
        generated_at=report.generated_at.isoformat(timespec="seconds"),
        items=tuple(
            ManifestItem(
                item.uuid,
                item.title,
                item.kind,
                item.digest,
                item.status,
                pages.get(item.uuid, ()),
                item.credentials,
            )
            for item in report.items
        ),
        directories=report.directory_files,
    )
    return EmbeddedFile(
        MANIFEST_NAME,
        manifest.to_bytes(),
        "What this summary prints, for gpc-portfolio verify: items, digests, pages, credentials",
    )


# -- cover ---------------------------------------------------------------------------------------


def _cover(report: ArcpReport) -> list[Flowable]:
    st = styles()
    t = report.trainee
    rows = [
        ("GMC number", t.gmc_number),
        ("Grade", t.grade),
        ("Specialty", t.specialty),
        ("Programme", t.programme),
        ("Region", t.region),
        ("Trust", t.trust),
        ("Educational supervisor", t.educational_supervisor),
        ("Period", report.period_text()),
        ("Generated", long_date(report.generated_at.date())),
    ]
    details = Table(
        [
            [Para(label.upper(), st.label), Para(text(value or "—"), st.prose)]
            for label, value in rows
        ],
        colWidths=[48 * MM, CONTENT_WIDTH - 48 * MM],
    )
    details.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BASELINE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    items = len(report.items)
    counters = [
        ("Evidence items in the period", items),
        ("Signed off, valid and vouched for", sum(1 for i in report.items if _valid_signed(i))),
        ("Awaiting review", sum(1 for i in report.items if i.status == "ready")),
        ("Edited since sign-off", sum(1 for i in report.items if i.status == "edited")),
    ]
    left_out = report.private_left_out
    if left_out:
        counters.append(("Private items not included", left_out))
    figures: list[Flowable] = [_counters(counters)]
    if left_out:
        figures.append(
            Para(
                f"The trainee marked {left_out} item{'' if left_out == 1 else 's'} in the period "
                f"private; {'it is' if left_out == 1 else 'they are'} not in this summary or its "
                f"counts (the app counts {items + left_out:,} items, private ones included).",
                st.note,
            )
        )
    out: list[Flowable] = [
        Spacer(1, 26 * MM),
        Para("GENERIC PROFESSIONAL CAPABILITIES · ARCP", st.kicker),
        Para("Evidence summary for the Annual Review of Competence Progression", st.title),
        Para(text(t.name), st.name),
        Spacer(1, 10 * MM),
        details,
        Spacer(1, 10 * MM),
        *figures,
        Spacer(1, 12 * MM),
        Para(VERIFY_NOTE, st.note),
        Spacer(1, 6 * MM),
        callout(TRUST_NOTE, ACCENT),
    ]
    if report.private_included:
        out += [
            Spacer(1, 4 * MM),
            callout(
                f"The trainee chose to include {report.private_included} item"
                f"{'s' if report.private_included != 1 else ''} marked private; each is labelled "
                "where it appears.",
                EDITED,
            ),
        ]
    return out


def _counters(rows: list[tuple[str, int]]) -> Table:
    """The cover's counters, one a line, each label beside its figure (they read as pairs, in
    print and when the text is copied or read aloud)."""
    st = styles()
    figure = ParagraphStyle(
        "counter", parent=st.figure, fontSize=14, leading=17, alignment=TA_RIGHT
    )
    grid = Table(
        [[Para(text(label), st.prose), Para(f"{value:,}", figure)] for label, value in rows],
        colWidths=[70 * MM, 22 * MM],
        hAlign="LEFT",
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return grid


def _valid_signed(item: Item) -> bool:
    return (
        item.signoff is not None and item.signoff.trusted and item.signoff.decision == "signed_off"
    )


def _section(number: int, title: str, intro: str = "") -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [
        Para(f'<font color="{hex_of(MUTED)}">{number}</font>&nbsp;&nbsp;{text(title)}', st.h1)
    ]
    if intro:
        out += [Para(intro, st.note), Spacer(1, 6)]
    return out


# -- coverage ------------------------------------------------------------------------------------


def _coverage(report: ArcpReport, number: int) -> list[Flowable]:
    out = [
        *_section(
            number,
            "Coverage of the GPC domains",
            "Each item counts once towards every domain it is linked to, so the "
            "domain totals add up to more than the number of items.",
        ),
        _count_table("DOMAIN", report.domains),
        Spacer(1, 9 * MM),
        coverage_chart(report.domains, CONTENT_WIDTH),
        Spacer(1, 8 * MM),
    ]
    out.append(
        _gaps_callout(
            "Domains with no validly signed evidence",
            report.without_signed_evidence,
            "Every GPC domain has validly signed evidence in this period.",
        )
    )
    return out


def _gaps_callout(heading: str, gaps: Sequence[DomainRow], none: str) -> Flowable:
    if not gaps:
        return callout(none, VALID)
    listed = "<br/>".join(
        f"<b>{text(row.code)}</b>&nbsp;&nbsp;{text(row.title)}"
        + ("" if row.items else f' <font color="{hex_of(MUTED)}">(no evidence at all)</font>')
        for row in gaps
    )
    return callout(f'<font name="GPCSerif-Bold" size="10.5">{heading}</font><br/>{listed}', INVALID)


def _curriculum(report: ArcpReport, number: int) -> list[Flowable]:
    """The trainee's own curriculum: items linked to each of its capabilities."""
    return [
        *_section(
            number,
            f"Coverage of {report.curriculum_title}",
            "Items the trainee linked to each capability of their curriculum; they also count "
            "towards the GPC domains the capability maps to (previous section).",
        ),
        _count_table("CAPABILITY", report.capabilities),
        Spacer(1, 8 * MM),
        _gaps_callout(
            "Capabilities with no validly signed evidence",
            tuple(row for row in report.capabilities if row.signed == 0),
            "Every capability has validly signed evidence in this period.",
        ),
    ]


def _count_table(first: str, counted: Sequence[DomainRow]) -> Flowable:
    st = styles()
    widths = [CONTENT_WIDTH - 76 * MM, 14 * MM, 19 * MM, 19 * MM, 24 * MM]
    rows: list[list[object]] = [
        [
            Para(first, st.head),
            Para("ITEMS", st.head_right),
            Para("VALIDLY SIGNED", st.head_right),
            Para("AWAITING REVIEW", st.head_right),
            Para("EDITED SINCE SIGN-OFF", st.head_right),
        ]
    ]

    def count(value: int, edited: bool = False) -> Para:
        return Para(
            str(value) if value else "–",
            st.cell_right_edited if edited and value else st.cell_right,
        )

    for row in counted:
        rows.append(
            [
                Para(f"<b>{text(row.code)}</b>&nbsp;&nbsp;{text(row.title)}", st.cell),
                count(row.items),
                count(row.signed),
                count(row.awaiting_review),
                count(row.edited, edited=True),
            ]
        )
    return table(rows, widths, header=True, extra=[("VALIGN", (1, 1), (-1, -1), "TOP")])


# -- evidence by domain --------------------------------------------------------------------------

_LIST_WIDTHS = [22 * MM, 0.0, 58 * MM]
_LIST_WIDTHS[1] = CONTENT_WIDTH - sum(_LIST_WIDTHS)


def _by_domain(report: ArcpReport, number: int) -> list[Flowable]:
    st = styles()
    out = _section(
        number,
        "Evidence by domain",
        "Every item in the period under each domain it counts towards, oldest "
        "first, with the verified state of its latest sign-off.",
    )
    groups: dict[str, list[Item]] = {row.code: [] for row in report.domains}
    unlinked: list[Item] = []
    for item in report.items:
        for code in item.domains:
            groups.setdefault(code, []).append(item)
        if not item.domains:
            unlinked.append(item)
    titles = {row.code: row.title for row in report.domains}
    header = [
        Para("DATE", st.head),
        Para("ITEM", st.head),
        Para("SIGN-OFF", st.head),
    ]
    sections = [(code, titles.get(code, ""), items) for code, items in groups.items()]
    if unlinked:
        sections.append(("", "Not linked to a domain", unlinked))
    for code, title, items in sections:
        heading = f"{text(code)}&nbsp;&nbsp;{text(title)}" if code else text(title)
        count = (
            f'<font name="{SANS}" size="8" color="{hex_of(MUTED)}">&nbsp;&nbsp;'
            f"{len(items)} item{'' if len(items) == 1 else 's'}</font>"
        )
        out += [CondPageBreak(40 * MM), Para(heading + (count if items else ""), st.h2)]
        if not items:
            out.append(Para("No evidence in this period.", st.note_invalid))
            continue
        out.append(table([header, *(_list_row(item) for item in items)], _LIST_WIDTHS, header=True))
    return out


def _list_row(item: Item) -> list[object]:
    st = styles()
    title = text(item.title)
    if item.private:
        title += f' <font color="{hex_of(EDITED)}" size="7">(private)</font>'
    kind = f'<br/><font size="7.2" color="{hex_of(MUTED)}">{text(item.kind_title)}</font>'
    return [
        Para(short_date(item.occurred_on).replace(" ", "&nbsp;"), st.cell),
        [PageMark(item.uuid), Para(title + kind, st.cell)],
        Para(status_markup(item), st.cell),
    ]


# -- items in full ------------------------------------------------------------------------------


def _projects(report: ArcpReport, number: int) -> list[Flowable]:
    out = _section(
        number,
        "Quality improvement and leadership",
        "Quality improvement projects and leadership roles in the period, in full.",
    )
    for item in report.projects:
        out += item_in_full(item)
    return out


def _reflections(report: ArcpReport, number: int) -> list[Flowable]:
    out = _section(number, "Reflections", "Reflections the trainee chose to include.")
    for item in report.reflections:
        out += item_in_full(item)
    return out


# -- register ------------------------------------------------------------------------------------

_REGISTER_WIDTHS = [0.0, 25 * MM, 34 * MM, 31 * MM, 25 * MM]
_REGISTER_WIDTHS[0] = CONTENT_WIDTH - sum(_REGISTER_WIDTHS)


def _register(report: ArcpReport, number: int) -> list[Flowable]:
    st = styles()
    signoffs = [e.signoff for e in report.register]
    counts = {state: sum(1 for s in signoffs if s.state == state) for state in STATE_COLOURS}
    trusted = sum(1 for s in signoffs if s.trusted)
    out = _section(
        number,
        "Register of sign-offs",
        "Every sign-off of the items in this summary, oldest first, with the "
        f"result of verifying it: {trusted} valid and vouched for, "
        f"{counts['valid'] - trusted} with a valid signature by a signer nobody vouches for, "
        f"{counts['edited']} edited since sign-off, {counts['revoked']} revoked, "
        f"{counts['invalid']} invalid. Only the first count as signed off.",
    )
    if not report.register:
        out.append(Para("No item in this summary has been reviewed by a supervisor.", st.body))
        return out
    rows: list[list[Para]] = [
        [
            Para("ITEM", st.head),
            Para("DECISION", st.head),
            Para("SIGNED BY", st.head),
            Para("KEY FINGERPRINT", st.head),
            Para("VERIFICATION", st.head),
        ]
    ]
    flagged: list[tuple[object, ...]] = []
    for row, entry in enumerate(report.register, start=1):
        s = entry.signoff
        verdict = verification_markup(s)
        if not s.trusted:
            flagged.append(("BACKGROUND", (0, row), (-1, row), PAPER_TINT))
        rows.append(
            [
                Para(text(entry.item_title), st.cell),
                Para(
                    f"{decision_text(s.decision)}<br/><font size='6.8' color="
                    f"'{hex_of(MUTED)}'>{text(s.signed_at[:10])}</font>",
                    st.cell,
                ),
                Para(
                    f"{text(s.signer_name)}<br/><font size='6.8' color='{hex_of(MUTED)}'>"
                    f"{text(role_text(s.signer_role))}</font>",
                    st.cell,
                ),
                Para(text(s.fingerprint), st.cell_mono),
                Para(verdict, st.cell),
            ]
        )
    out.append(table(rows, _REGISTER_WIDTHS, header=True, extra=flagged))
    return out
