"""The mentor's view in the window (issue 14 point 6), through the real widgets: View → Mentor
mode; the demo opens straight into its cohort; a folder with good, tampered, repeated and
small-cohort files; the PDF and CSV read back and byte for byte the command line's; a catalogue
written, signed and published here and verified by the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from portfolio.app import Portfolio, open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import ProfileData
from portfolio.services.opportunities import OpportunityDraft
from portfolio.ui.main_window import MainWindow
from portfolio.ui.mentor.catalogue_dialogs import (
    NewCatalogueDialog,
    OpportunityDialog,
    PublishDialog,
)
from portfolio.ui.mentor.cohort_view import CohortView
from portfolio.ui.operations import Operations
from portfolio.ui.review_dialogs import CreateIdentityDialog
from portfolio.ui.widgets import app_settings
from tests.conftest import run_cli
from tests.services.test_cohort import cohort_of_ten, summary, write_all

WAIT = 20_000
PASS = "mentor passphrase 1"


def mentor_mode(qtbot, window: MainWindow) -> None:
    """Turn mentor mode on from the View menu, as a user would."""
    cohort = window.mentor.cohort
    with qtbot.waitSignal(window.mentor.catalogue.loaded, timeout=WAIT):
        window.mentor_mode_action.trigger()
    if cohort.default_folder() is not None:
        qtbot.waitUntil(lambda: cohort.gathered is not None, timeout=WAIT)


def open_folder(qtbot, cohort: CohortView, folder: Path) -> None:
    with qtbot.waitSignal(cohort.loaded, timeout=WAIT):
        cohort.open_folder(folder)


def test_mentor_mode_is_off_until_chosen_and_remembered(qtbot, main_window, portfolio, ops):
    window = main_window
    row = window._page_keys.index("mentor")
    assert window.navigation.item(row).isHidden()
    assert not window.mentor_mode_action.isChecked()
    assert window.mentor_mode_action in window.view_menu.actions()
    mentor_mode(qtbot, window)
    assert not window.navigation.item(row).isHidden()
    assert window.current_page_key() == "mentor"
    window.save_layout()
    again = MainWindow(portfolio, ops)
    qtbot.addWidget(again)
    assert again.mentor_mode_action.isChecked() and again.current_page_key() == "mentor"
    again.set_mentor_mode(False)
    assert again.navigation.item(row).isHidden() and again.current_page_key() == "dashboard"
    ops.wait()


def test_the_demo_opens_into_its_cohort_with_charts_drawn(qtbot, trainee_window, demo):
    window = trainee_window
    mentor_mode(qtbot, window)
    cohort = window.mentor.cohort
    assert cohort.figures["trainees"].text() == "27"
    assert "Trusts: 2" in cohort.summary_label.text()
    assert not cohort.skipped_list.isVisibleTo(window)
    # Big enough that the shares show, with their bars drawn.
    shares = {bar.label: bar for bar in cohort.shares_chart.bars}
    assert shares["QI activity"].caption == "15 of 27 (56%)"
    assert shares["Took up an opportunity"].caption == "11 of 27 (41%)"
    assert not any(bar.hidden for bar in cohort.shares_chart.bars)
    assert cohort.figures["taken_up"].text() == "41%"
    # The uptake names the demo catalogue's opportunities (imported here); small counts hide.
    uptake = {bar.label: bar for bar in cohort.uptake_chart.bars}
    assert not uptake["Rota and wellbeing working group"].hidden
    assert [bar.caption for bar in uptake.values() if bar.hidden] == ["<5 completed"]
    # Eight domains drawn in colour; GPC4's few with 6 or more items keep its bar grey.
    assert [bar.label for bar in cohort.domains_chart.bars if bar.hidden] == ["GPC4"]
    assert len(cohort.domains_chart.bars) == 9
    # Per Trust, only the other Trust's handful of leaders is not shown.
    assert cohort.trusts_chart.isVisibleTo(window) and len(cohort.trusts_chart.bars) == 6
    hidden = [bar.label for bar in cohort.trusts_chart.bars if bar.hidden]
    assert hidden == ["Tamar Valley Hospitals NHS Trust (13) · leadership"]
    # The catalogue tab shows the imported catalogue read-only, with who published it.
    editor = window.mentor.catalogue
    assert "Dr Tom Okafor" in editor.state.text() and "Only its publisher" in editor.state.text()
    assert editor.table.rowCount() == len(editor.opportunities) > 0
    assert not editor.add_button.isEnabled() and not editor.publish_button.isEnabled()
    window.grab().save("/tmp/mentor-demo-cohort.png")


def test_bad_and_repeated_files_are_listed_with_a_reason_and_never_counted(
    qtbot, main_window, tmp_path
):
    folder = tmp_path / "inbox"
    summaries = cohort_of_ten()
    paths = write_all(folder, summaries)
    (folder / "truncated.gpccohort").write_bytes(paths[0].read_bytes()[:40])
    tampered = json.loads(paths[1].read_text(encoding="utf-8"))
    tampered["evidence_items"] = "lots"
    (folder / "tampered.gpccohort").write_text(json.dumps(tampered), encoding="utf-8")
    (folder / "zz-again.gpccohort").write_bytes(paths[2].read_bytes())
    (folder / "notes.txt").write_text("not a summary", encoding="utf-8")
    mentor_mode(qtbot, main_window)
    cohort = main_window.mentor.cohort
    open_folder(qtbot, cohort, folder)
    assert cohort.figures["trainees"].text() == "10"
    assert "Files not counted: 3" in cohort.summary_label.text()
    reasons = [cohort.skipped_list.item(i).text() for i in range(cohort.skipped_list.count())]
    assert len(reasons) == 3 and cohort.skipped_list.isVisibleTo(main_window)
    assert any(r.startswith("truncated.gpccohort — ") for r in reasons)
    assert any(r.startswith("tampered.gpccohort — ") for r in reasons)
    assert any(r.startswith("zz-again.gpccohort — ") and "counted once" in r for r in reasons)
    # 4 of 10 are QI-active: a small count, so no share and no bar, as in the PDF.
    assert cohort.figures["qi"].text() == "not shown"
    assert cohort.figures["qi"].toolTip() == "fewer than 5 of 10"
    # Laid out one under the other: each chart ends above the next heading.
    below = cohort.sections["uptake"]
    qtbot.waitUntil(lambda: below.y() >= cohort.shares_chart.geometry().bottom())
    main_window.grab().save("/tmp/mentor-skipped.png")


def test_a_folder_of_nothing_readable_says_so_and_offers_no_export(qtbot, main_window, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "a.gpccohort").write_text("{", encoding="utf-8")
    mentor_mode(qtbot, main_window)
    cohort = main_window.mentor.cohort
    open_folder(qtbot, cohort, folder)
    assert "nothing is counted" in cohort.summary_label.text()
    assert cohort.skipped_list.count() == 1
    assert not cohort.pdf_button.isEnabled() and not cohort.csv_button.isEnabled()
    assert cohort.figures["trainees"].text() == "–"


def test_a_small_cohort_shows_no_share_spread_or_bar(qtbot, main_window, tmp_path):
    folder = tmp_path / "three"
    write_all(folder, [summary("Only Trust", qi=True, domains={"GPC5": 3})] * 3)
    mentor_mode(qtbot, main_window)
    cohort = main_window.mentor.cohort
    open_folder(qtbot, cohort, folder)
    assert cohort.figures["trainees"].text() == "fewer than 5"
    assert {cohort.figures[k].text() for k in ("qi", "leadership", "taken_up")} == {"not shown"}
    assert all(bar.hidden for bar in cohort.shares_chart.bars)
    assert all(bar.hidden and bar.caption == "" for bar in cohort.domains_chart.bars)
    assert not cohort.trusts_chart.isVisibleTo(main_window)
    text = " ".join(
        label.text() for label in cohort.findChildren(QLabel) if label.isVisibleTo(main_window)
    )
    assert "100%" not in text and "3 " not in cohort.summary_label.text()


def test_exports_read_back_and_match_the_command_line_byte_for_byte(
    qtbot, main_window, portfolio: Portfolio, tmp_path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    folder = tmp_path / "inbox"
    write_all(folder, cohort_of_ten() + cohort_of_ten())  # twenty: fresh summary ids
    mentor_mode(qtbot, main_window)
    cohort = main_window.mentor.cohort
    open_folder(qtbot, cohort, folder)
    pdf, table = tmp_path / "window.pdf", tmp_path / "window.csv"
    with qtbot.waitSignal(cohort.exported, timeout=WAIT):
        cohort.export_pdf_to(pdf)
    with qtbot.waitSignal(cohort.exported, timeout=WAIT):
        cohort.export_csv_to(table)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Leadership and quality improvement in the cohort" in text
    assert "with a QI activity (8)" in text and "Differences between Trusts" in text
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert rows[0] == ["scope", "measure", "category", "value"]
    assert ["all", "trainees", "", "20"] in rows
    cli_pdf, cli_csv = tmp_path / "cli.pdf", tmp_path / "cli.csv"
    result = run_cli(
        portfolio.location.data_dir,
        "cohort",
        str(folder),
        "--out",
        str(cli_pdf),
        "--csv",
        str(cli_csv),
    )
    assert result.returncode == 0, result.stderr
    assert cli_pdf.read_bytes() == pdf.read_bytes()
    assert cli_csv.read_bytes() == table.read_bytes()


# -- the catalogue -----------------------------------------------------------------------------


def dialog_of(qtbot, kind):
    from PySide6.QtWidgets import QApplication

    found: list = []

    def shown() -> bool:
        found[:] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()
        ]
        return bool(found)

    qtbot.waitUntil(shown, timeout=WAIT)
    return found[0]


def click_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_a_catalogue_written_and_published_here_verifies_on_the_command_line(
    qtbot, main_window, portfolio: Portfolio, ops: Operations, tmp_path
):
    portfolio.signoffs.create_identity("Dr Ada Mentor", "5000001", "other", PASS)
    mentor_mode(qtbot, main_window)
    main_window.mentor.tabs.setCurrentIndex(1)
    editor = main_window.mentor.catalogue
    assert not editor.add_button.isEnabled()

    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    new = dialog_of(qtbot, NewCatalogueDialog)
    new.title.setText("Leadership opportunities 2027")
    new.trust.setText("North Trust")
    with qtbot.waitSignal(editor.loaded, timeout=WAIT):
        click_ok(qtbot, new)
    assert editor.chosen.title == "Leadership opportunities 2027" and editor.chosen.own
    assert "Not published yet" in editor.state.text()

    # A bad entry is refused in the form, which stays open; nothing is added.
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    form = dialog_of(qtbot, OpportunityDialog)
    form.title.setText("Junior doctors' forum representative")
    form.kind.setCurrentIndex(form.kind.findData("role"))
    form.domains.setText("GPC5, GPC99")
    click_ok(qtbot, form)
    qtbot.waitUntil(lambda: form.error.isVisibleTo(form), timeout=WAIT)
    assert "GPC99" in form.error.text() and form.isVisible()
    form.domains.setText("GPC5, GPC6.2")
    form.contact.setText("leadership@north.example")
    with qtbot.waitSignal(editor.loaded, timeout=WAIT):
        click_ok(qtbot, form)
    form = None
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    second = dialog_of(qtbot, OpportunityDialog)
    second.title.setText("Sepsis audit")
    second.kind.setCurrentIndex(second.kind.findData("project"))
    second.domains.setText("GPC6")
    with qtbot.waitSignal(editor.loaded, timeout=WAIT):
        click_ok(qtbot, second)
    assert editor.table.rowCount() == 2

    # Edit the first, remove the second.
    editor.table.selectRow(0)
    qtbot.mouseClick(editor.edit_button, Qt.MouseButton.LeftButton)
    edit = dialog_of(qtbot, OpportunityDialog)
    assert edit.domains.text() == "GPC5, GPC6.2"
    edit.title.setText("Junior doctors' forum rep (2027)")
    with qtbot.waitSignal(editor.loaded, timeout=WAIT):
        click_ok(qtbot, edit)
    editor.table.selectRow(1)
    box = editor.remove_opportunity()
    with qtbot.waitSignal(editor.loaded, timeout=WAIT):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert [v.title for v in editor.opportunities] == ["Junior doctors' forum rep (2027)"]

    # A wrong passphrase writes nothing; the right one signs and writes version 1.
    out = tmp_path / "published.gpcopportunities"
    editor.publish_to(out)
    publish = dialog_of(qtbot, PublishDialog)
    assert "Dr Ada Mentor" in publish.identity.currentText()
    publish.passphrase.setText("not the passphrase")
    click_ok(qtbot, publish)
    qtbot.waitUntil(lambda: publish.error.isVisibleTo(publish), timeout=WAIT)
    assert not out.exists() and publish.isVisible()
    publish.passphrase.setText(PASS)
    with qtbot.waitSignal(editor.published, timeout=WAIT):
        click_ok(qtbot, publish)
    qtbot.waitUntil(lambda: "Version 1 published" in editor.state.text(), timeout=WAIT)
    main_window.grab().save("/tmp/mentor-catalogue.png")

    result = run_cli(tmp_path / "trainee", "catalogue", "import", str(out))
    assert result.returncode == 0, result.stderr
    assert "Imported 'Leadership opportunities 2027' version 1: 1 opportunities." in result.stdout
    assert "Dr Ada Mentor (GMC 5000001)" in result.stdout
    listed = run_cli(tmp_path / "trainee", "opportunities", "--json")
    [entry] = json.loads(listed.stdout)
    assert entry["title"] == "Junior doctors' forum rep (2027)"
    assert entry["domains"] == ["GPC5", "GPC6.2"] and entry["contact"] == "leadership@north.example"


@pytest.fixture
def mentor_window(qtbot, empty_portfolio: Portfolio, ops: Operations):
    """A mentor's own copy of the app: a fresh portfolio, no profile, no identity yet, with a
    catalogue of one opportunity written and not published."""
    catalogue = empty_portfolio.opportunities.create_catalogue("Leadership 2027", "North Trust")
    empty_portfolio.opportunities.add_opportunity(
        catalogue.catalogue_id, OpportunityDraft("Forum rep", "role", domains=("GPC5",))
    )
    window = MainWindow(empty_portfolio, ops)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        window.show()
    mentor_mode(qtbot, window)
    window.mentor.tabs.setCurrentIndex(1)
    yield window
    qtbot.waitUntil(lambda: not ops.busy, timeout=WAIT)


@pytest.mark.parametrize("trainee_copy", [False, True], ids=["own copy", "trainee's copy"])
def test_a_mentor_without_an_identity_creates_one_and_publishes(
    qtbot, mentor_window, empty_portfolio: Portfolio, tmp_path, trainee_copy: bool
):
    """Publishing with no identity offers the identity dialog, in a mentor's words, right
    there; once made, publishing goes on and the file verifies on the command line. In a
    trainee's copy the key goes to a passphrase file; in a mentor's own, to the keyring."""
    if trainee_copy:
        empty_portfolio.profile.save(ProfileData(name="Dr Ada Mentor", gmc_number="5000001"))
    editor = mentor_window.mentor.catalogue
    assert editor.publish_button.isEnabled()
    out = tmp_path / "published.gpcopportunities"
    editor.publish_to(out)
    dialog = dialog_of(qtbot, CreateIdentityDialog)
    intro = dialog.findChild(QLabel, "identityIntro").text()
    assert "catalogue" in intro and "supervisor" not in intro.lower()
    assert dialog.role.currentData() == "other"
    assert dialog.passphrase.isVisibleTo(dialog) is trainee_copy

    click_ok(qtbot, dialog)  # nothing typed: refused in the dialog, nothing made
    assert dialog.error.text() == "Enter your name as trainees should see it."
    assert dialog.isVisible() and empty_portfolio.signoffs.identities() == []
    qtbot.keyClicks(dialog.name, "Dr Ada Mentor")
    qtbot.keyClicks(dialog.gmc, "5000001")
    if trainee_copy:
        qtbot.keyClicks(dialog.passphrase, PASS)
        qtbot.keyClicks(dialog.repeat, PASS)
    click_ok(qtbot, dialog)

    publish = dialog_of(qtbot, PublishDialog)  # publishing goes on, with the new identity
    assert "Dr Ada Mentor (GMC 5000001)" in publish.identity.currentText()
    [made] = empty_portfolio.signoffs.identities()
    assert made.has_private_key and made.identity.role == "other"
    if trainee_copy:
        qtbot.keyClicks(publish.passphrase, PASS)
    with qtbot.waitSignal(editor.published, timeout=WAIT):
        click_ok(qtbot, publish)
    qtbot.waitUntil(lambda: "Version 1 published" in editor.state.text(), timeout=WAIT)
    assert not editor.error.isVisibleTo(mentor_window)
    mentor_window.grab().save("/tmp/polish-mentor-published.png")

    result = run_cli(tmp_path / "trainee", "catalogue", "import", str(out))
    assert result.returncode == 0, result.stderr
    assert "Imported 'Leadership 2027' version 1: 1 opportunities." in result.stdout
    assert "Dr Ada Mentor (GMC 5000001)" in result.stdout


def test_cancelling_the_identity_publishes_nothing(
    qtbot, mentor_window, empty_portfolio: Portfolio, tmp_path
):
    editor = mentor_window.mentor.catalogue
    out = tmp_path / "x.gpcopportunities"
    editor.publish_to(out)
    dialog = dialog_of(qtbot, CreateIdentityDialog)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: editor.error.isVisibleTo(mentor_window), timeout=WAIT)
    assert "Nothing was published" in editor.error.text()
    assert "Sign and publish" in editor.error.text()
    assert not out.exists() and empty_portfolio.signoffs.identities() == []
    assert "Not published yet" in editor.state.text()


def test_the_cohort_folder_is_remembered(qtbot, main_window, portfolio, ops, tmp_path):
    folder = tmp_path / "inbox"
    write_all(folder, cohort_of_ten())
    mentor_mode(qtbot, main_window)
    open_folder(qtbot, main_window.mentor.cohort, folder)
    view = CohortView(portfolio, ops, settings=app_settings())
    qtbot.addWidget(view)
    assert view.default_folder() == folder


def test_the_keyboard_reaches_every_chart(qtbot, trainee_window):
    mentor_mode(qtbot, trainee_window)
    cohort = trainee_window.mentor.cohort
    charts = [cohort.shares_chart, cohort.uptake_chart, cohort.domains_chart, cohort.trusts_chart]
    cohort.csv_button.setFocus()
    reached = []
    for _ in range(12):
        qtbot.keyClick(trainee_window.focusWidget(), Qt.Key.Key_Tab)
        if trainee_window.focusWidget() in charts:
            reached.append(trainee_window.focusWidget())
    assert reached[:4] == charts
    assert all(chart.accessibleDescription() for chart in charts)


def test_the_welcome_tells_mentors_where_their_view_is(qtbot, empty_portfolio, ops):
    from portfolio.ui.welcome import WelcomeDialog

    dialog = WelcomeDialog(empty_portfolio, ops)
    qtbot.addWidget(dialog)
    dialog.show()
    hint = dialog.findChild(QLabel, "mentorHint")
    assert hint is not None and hint.isVisible() and "View → Mentor mode" in hint.text()
    assert "Mentor mode" in dialog.demo_button.toolTip()
    ops.wait()


def test_uptake_names_opportunities_once_their_catalogue_is_imported(
    qtbot, main_window, portfolio: Portfolio, tmp_path
):
    """Summaries name opportunities by id; importing the catalogue here puts titles on them."""
    from portfolio.formats.cohort_summary import Uptake
    from tests.services.test_opportunities import DRAFTS

    with open_portfolio(resolve_location(tmp_path / "clm")) as own:
        info = own.signoffs.create_identity("Dr Ada Mentor", "5000001", "other", PASS)
        catalogue = own.opportunities.create_catalogue("Leadership 2027", "North Trust")
        first = own.opportunities.add_opportunity(catalogue.catalogue_id, DRAFTS[0])
        path = tmp_path / "catalogue.gpcopportunities"
        own.opportunities.publish(
            catalogue.catalogue_id, path, own.signoffs.unlock(info.fingerprint, PASS)
        )
    took = (Uptake(catalogue.catalogue_id, first.uuid, first.kind, "completed"),)
    write_all(tmp_path / "inbox", [summary("North Trust", uptake=took) for _ in range(6)])
    mentor_mode(qtbot, main_window)
    cohort = main_window.mentor.cohort
    open_folder(qtbot, cohort, tmp_path / "inbox")
    [bar] = cohort.uptake_chart.bars
    assert bar.label.startswith("Not in a catalogue held here") and not bar.hidden
    assert bar.caption == "6 completed"
    with qtbot.waitSignal(cohort.loaded, timeout=WAIT):
        main_window.opportunities.import_catalogue(path)
    assert [b.label for b in cohort.uptake_chart.bars] == [first.title]
