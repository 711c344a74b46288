"""The trainee's profile and placements: a form shared with the welcome, and the dialog."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from portfolio.app import Portfolio
from portfolio.curriculum import GPC_ID, Curriculum, builtin_curricula
from portfolio.errors import PortfolioError
from portfolio.services.dto import PlacementData, ProfileData
from portfolio.services.profile import LOCK_MINUTES
from portfolio.ui.operations import Operations
from portfolio.ui.widgets import (
    FieldError,
    OptionalDateEdit,
    mark_required,
    placement_text,
    pydate,
    qdate,
)
from portfolio.vocabulary import ChangeKind, is_gmc_number

GRADES = (
    "FY1",
    "FY2",
    "CT1",
    "CT2",
    "CT3",
    "ST1",
    "ST2",
    "ST3",
    "ST4",
    "ST5",
    "ST6",
    "ST7",
    "ST8",
    "Clinical fellow",
    "Specialty doctor",
)


class ProfileForm(QWidget):
    """Name, GMC number, grade, specialty, programme, Trust, region, educational supervisor.

    ``profile()`` returns the data when the form is valid, else shows inline messages and
    returns None. Services validate again; their message goes to ``show_error``.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, training_period: bool = False) -> None:
        super().__init__(parent)
        self.name = self._line("nameEdit", self.tr("Full name"), self.tr("e.g. Dr Sam Patel"))
        mark_required(self.name)
        self.name_error = FieldError("nameError", self, field=self.name)
        self.gmc = self._line("gmcEdit", self.tr("GMC number"), self.tr("7 digits"))
        self.gmc.setMaxLength(7)
        self.gmc.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        mark_required(self.gmc)
        self.gmc_error = FieldError("gmcError", self, field=self.gmc)
        self.grade = QComboBox(self)
        self.grade.setObjectName("gradeEdit")
        self.grade.setEditable(True)
        self.grade.addItems(["", *GRADES])
        self.grade.setAccessibleName(self.tr("Grade"))
        grade_text = self.grade.lineEdit()  # the box one types a grade into
        assert grade_text is not None  # the combo is editable
        grade_text.setObjectName("gradeText")
        grade_text.setAccessibleName(self.tr("Grade"))
        self.specialty = self._line(
            "specialtyEdit", self.tr("Specialty"), self.tr("e.g. Internal medicine")
        )
        self.programme = self._line(
            "programmeEdit", self.tr("Training programme"), self.tr("e.g. Foundation Programme")
        )
        self.curriculum = QComboBox(self)
        self.curriculum.setObjectName("curriculumCombo")
        self.curriculum.setAccessibleName(self.tr("Curriculum"))
        self.curriculum.setToolTip(
            self.tr(
                "Your training curriculum. The dashboard and the ARCP summary show its "
                "coverage beside the GPC domains."
            )
        )
        self.set_curricula(builtin_curricula())
        self.curriculum_row = QHBoxLayout()
        self.curriculum_row.addWidget(self.curriculum, 1)
        self.curriculum_note = QLabel(self)
        self.curriculum_note.setObjectName("curriculumNote")
        self.curriculum_note.setWordWrap(True)
        self.curriculum_note.hide()
        self.trust = self._line("trustEdit", self.tr("Trust"), self.tr("Employing NHS Trust"))
        self.region = self._line("regionEdit", self.tr("Region"), self.tr("e.g. South West"))
        self.supervisor = self._line(
            "supervisorEdit",
            self.tr("Educational supervisor"),
            self.tr("Name of your educational supervisor"),
        )
        self.form_error = FieldError("formError", self)

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label(self.tr("&Name *"), self.name), self.name)
        form.addRow("", self.name_error)
        form.addRow(self._label(self.tr("&GMC number *"), self.gmc), self.gmc)
        form.addRow("", self.gmc_error)
        form.addRow(self._label(self.tr("G&rade"), self.grade), self.grade)
        form.addRow(self._label(self.tr("&Specialty"), self.specialty), self.specialty)
        form.addRow(self._label(self.tr("&Programme"), self.programme), self.programme)
        form.addRow(self._label(self.tr("&Curriculum"), self.curriculum), self.curriculum_row)
        form.addRow("", self.curriculum_note)
        form.addRow(self._label(self.tr("&Trust"), self.trust), self.trust)
        form.addRow(self._label(self.tr("R&egion"), self.region), self.region)
        form.addRow(
            self._label(self.tr("Educational s&upervisor"), self.supervisor), self.supervisor
        )
        self.training_start: OptionalDateEdit | None = None
        self.training_end: OptionalDateEdit | None = None
        if training_period:
            self.training_start = OptionalDateEdit(self.tr("not set"), self)
            self.training_start.setObjectName("trainingStartEdit")
            self.training_start.setAccessibleName(self.tr("Training period starts"))
            self.training_end = OptionalDateEdit(self.tr("not set"), self)
            self.training_end.setObjectName("trainingEndEdit")
            self.training_end.setAccessibleName(self.tr("Training period ends"))
            form.addRow(
                self._label(self.tr("Training &starts"), self.training_start), self.training_start
            )
            form.addRow(
                self._label(self.tr("Training &ends"), self.training_end), self.training_end
            )
        self.meeting_lock: QSpinBox | None = None
        if training_period:
            self.meeting_lock = QSpinBox(self)
            self.meeting_lock.setObjectName("meetingLockSpin")
            self.meeting_lock.setRange(LOCK_MINUTES[0], LOCK_MINUTES[-1])
            self.meeting_lock.setValue(ProfileData.meeting_lock_minutes)
            self.meeting_lock.setSuffix(self.tr(" min without input"))
            self.meeting_lock.setAccessibleName(self.tr("Meeting lock"))
            self.meeting_lock.setToolTip(
                self.tr(
                    "In a meeting, a supervisor's unlocked signing identity locks after this long "
                    "without input. It cannot be turned off."
                )
            )
            form.addRow(
                self._label(self.tr("Supervisor key &locks after"), self.meeting_lock),
                self.meeting_lock,
            )
        form.addRow("", self.form_error)
        self.name.textEdited.connect(lambda _: self.name_error.show_error(""))
        self.gmc.textEdited.connect(lambda _: self.gmc_error.show_error(""))
        self.gmc.editingFinished.connect(self._check_gmc)

    def _line(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(200)
        edit.textEdited.connect(self.edited)
        return edit

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _check_gmc(self) -> None:
        value = self.gmc.text().strip()
        if value and not is_gmc_number(value):
            self.gmc_error.show_error(self.tr("A GMC number is exactly 7 digits."))

    def set_curricula(self, curricula: Iterable[Curriculum]) -> None:
        """Offer these curricula (GPC itself is never one to choose), keeping the current one."""
        current = self.curriculum.currentData()
        self.curriculum.clear()
        self.curriculum.addItem(self.tr("None: the GPC domains only"), "")
        for curriculum in curricula:
            if curriculum.id != GPC_ID:
                self.curriculum.addItem(f"{curriculum.title} ({curriculum.edition})", curriculum.id)
        self.curriculum.setCurrentIndex(max(0, self.curriculum.findData(current)))

    def set_profile(self, profile: ProfileData | None) -> None:
        if profile is None:
            return
        self.name.setText(profile.name)
        self.gmc.setText(profile.gmc_number)
        self.grade.setCurrentText(profile.grade)
        self.specialty.setText(profile.specialty)
        self.programme.setText(profile.programme)
        self.trust.setText(profile.trust)
        self.region.setText(profile.region)
        self.supervisor.setText(profile.educational_supervisor)
        self.curriculum.setCurrentIndex(max(0, self.curriculum.findData(profile.curriculum_id)))
        if self.training_start is not None and self.training_end is not None:
            self.training_start.set_value(profile.training_start)
            self.training_end.set_value(profile.training_end)
        if self.meeting_lock is not None:
            self.meeting_lock.setValue(profile.meeting_lock_minutes)

    def profile(self) -> ProfileData | None:
        """The form's profile, or None after showing what to fix."""
        name = self.name.text().strip()
        gmc = self.gmc.text().strip()
        self.name_error.show_error("" if name else self.tr("Please enter your name."))
        if not gmc:
            self.gmc_error.show_error(self.tr("Please enter your GMC number."))
        elif not is_gmc_number(gmc):
            self.gmc_error.show_error(self.tr("A GMC number is exactly 7 digits."))
        else:
            self.gmc_error.show_error("")
        self.form_error.show_error("")
        if not name:
            self.name.setFocus()
            return None
        if not is_gmc_number(gmc):
            self.gmc.setFocus()
            return None
        start = self.training_start.value() if self.training_start is not None else None
        end = self.training_end.value() if self.training_end is not None else None
        return ProfileData(
            name=name,
            gmc_number=gmc,
            grade=self.grade.currentText().strip(),
            specialty=self.specialty.text().strip(),
            programme=self.programme.text().strip(),
            region=self.region.text().strip(),
            trust=self.trust.text().strip(),
            training_start=start,
            training_end=end,
            educational_supervisor=self.supervisor.text().strip(),
            curriculum_id=str(self.curriculum.currentData() or ""),
            meeting_lock_minutes=(
                self.meeting_lock.value()
                if self.meeting_lock is not None
                else ProfileData.meeting_lock_minutes
            ),
        )

    def show_error(self, message: str) -> None:
        self.form_error.show_error(message)


class PlacementEditor(QWidget):
    """Placements: a list on the left, the chosen one's fields on the right."""

    def __init__(
        self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._portfolio = portfolio
        self._ops = ops
        self._placements: list[PlacementData] = []

        self.list = QListWidget(self)
        self.list.setObjectName("placementList")
        self.list.setAccessibleName(self.tr("Placements"))
        self.add_button = QPushButton(self.tr("&New placement"), self)
        self.add_button.setObjectName("addPlacement")
        self.remove_button = QPushButton(self.tr("Re&move"), self)
        self.remove_button.setObjectName("removePlacement")
        self.remove_button.setAccessibleName(self.tr("Remove the selected placement"))

        self.trust = QLineEdit(self)
        self.trust.setObjectName("placementTrust")
        self.trust.setAccessibleName(self.tr("Placement Trust"))
        self.department = QLineEdit(self)
        self.department.setObjectName("placementDepartment")
        self.department.setAccessibleName(self.tr("Department"))
        self.starts = QDateEdit(self)
        self.starts.setObjectName("placementStart")
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("yyyy-MM-dd")
        self.starts.setAccessibleName(self.tr("Placement starts"))
        self.ends = OptionalDateEdit(self.tr("ongoing"), self)
        self.ends.setObjectName("placementEnd")
        self.ends.setAccessibleName(self.tr("Placement ends"))
        self.supervisor = QLineEdit(self)
        self.supervisor.setObjectName("placementSupervisor")
        self.supervisor.setAccessibleName(self.tr("Clinical supervisor"))
        self.error = FieldError("placementError", self)
        self.save_button = QPushButton(self.tr("Save &placement"), self)
        self.save_button.setObjectName("savePlacement")

        form = QFormLayout()
        form.addRow(self.tr("Trust *"), self.trust)
        form.addRow(self.tr("Department"), self.department)
        form.addRow(self.tr("Starts"), self.starts)
        form.addRow(self.tr("Ends"), self.ends)
        form.addRow(self.tr("Clinical supervisor"), self.supervisor)
        form.addRow("", self.error)
        form.addRow("", self.save_button)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(form, 3)

        self.list.currentRowChanged.connect(self._show_row)
        self.add_button.clicked.connect(self.new_placement)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.new_placement()
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        placements = self._portfolio.placements
        self._ops.database(self, placements.list).success(
            lambda found: self._fill(found, select_id)
        ).run()

    def _fill(self, placements: list[PlacementData], select_id: int | None) -> None:
        self._placements = placements
        self.list.blockSignals(True)
        self.list.clear()
        for placement in placements:
            self.list.addItem(QListWidgetItem(placement_text(placement)))
        self.list.blockSignals(False)
        row = next((i for i, p in enumerate(placements) if p.id == select_id), -1)
        self.list.setCurrentRow(row)
        if row < 0:
            self.new_placement()
        self.remove_button.setEnabled(row >= 0)

    def _current(self) -> PlacementData | None:
        row = self.list.currentRow()
        return self._placements[row] if 0 <= row < len(self._placements) else None

    def _show_row(self, row: int) -> None:
        placement = self._current()
        self.remove_button.setEnabled(placement is not None)
        self.error.show_error("")
        if placement is None:
            return
        self.trust.setText(placement.trust)
        self.department.setText(placement.department)
        self.starts.setDate(qdate(placement.starts_on))
        self.ends.set_value(placement.ends_on)
        self.supervisor.setText(placement.clinical_supervisor)

    def new_placement(self) -> None:
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        for edit in (self.trust, self.department, self.supervisor):
            edit.clear()
        self.starts.setDate(QDate.currentDate())
        self.ends.clear_date()
        self.error.show_error("")
        self.remove_button.setEnabled(False)
        self.trust.setFocus()

    def save(self) -> None:
        trust = self.trust.text().strip()
        if not trust:
            self.error.show_error(self.tr("Please enter the placement's Trust."))
            self.trust.setFocus()
            return
        current = self._current()
        placement = PlacementData(
            trust=trust,
            starts_on=pydate(self.starts.date()),
            department=self.department.text().strip(),
            ends_on=self.ends.value(),
            clinical_supervisor=self.supervisor.text().strip(),
            id=current.id if current is not None else None,
        )
        if placement.ends_on is not None and placement.ends_on < placement.starts_on:
            self.error.show_error(self.tr("The placement ends before it starts."))
            return
        service = self._portfolio.placements

        def done(saved: PlacementData) -> None:
            self.reload(saved.id)

        self._ops.database(self, lambda: service.save(placement)).success(done).failure(
            lambda error: self.error.show_error(str(error))
        ).changes(ChangeKind.PLACEMENT).run()

    def remove(self) -> None:
        current = self._current()
        if current is None or current.id is None:
            return
        service = self._portfolio.placements
        placement_id = current.id

        self._ops.database(self, lambda: service.remove(placement_id)).success(
            lambda _: self.reload()
        ).failure(lambda error: self.error.show_error(str(error))).changes(
            ChangeKind.PLACEMENT
        ).run()


class ProfileDialog(QDialog):
    """Profile and placements, from File ▸ Profile and placements."""

    saved = Signal()

    def __init__(
        self, portfolio: Portfolio, ops: Operations, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle(self.tr("Profile and placements"))
        self._portfolio = portfolio
        self._ops = ops
        self.form = ProfileForm(self, training_period=True)
        self.placements = PlacementEditor(portfolio, ops, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("profileTabs")
        self.tabs.setAccessibleName(self.tr("Profile and placements"))
        self.tabs.addTab(self.form, self.tr("Profile"))
        self.tabs.addTab(self.placements, self.tr("Placements"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.buttons.setObjectName("profileButtons")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveProfile")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.import_curriculum_button = QPushButton(self.tr("&Import a curriculum (CASE)…"), self)
        self.import_curriculum_button.setObjectName("importCurriculum")
        self.import_curriculum_button.setToolTip(
            self.tr(
                "Add a curriculum your college publishes as a 1EdTech CASE JSON file, then "
                "choose it here."
            )
        )
        self.import_curriculum_button.clicked.connect(self.choose_curriculum_file)
        self.form.curriculum_row.addWidget(self.import_curriculum_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.resize(680, 520)

        def load() -> tuple[tuple[Curriculum, ...], ProfileData | None]:
            return portfolio.curricula.available(), portfolio.profile.get()

        ops.database(self, load).success(self._loaded).run()

    def _loaded(self, result: tuple[tuple[Curriculum, ...], ProfileData | None]) -> None:
        curricula, profile = result
        self.form.set_curricula(curricula)
        self.form.set_profile(profile)

    def choose_curriculum_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a curriculum (1EdTech CASE)"),
            str(Path.home()),
            self.tr("CASE curriculum files (*.json);;All files (*)"),
        )
        if chosen:
            self.import_curriculum(Path(chosen))

    def import_curriculum(self, path: Path) -> None:
        """Import the CASE file as ``curriculum import FILE`` does, then offer it, chosen."""
        curricula = self._portfolio.curricula

        def work() -> tuple[Curriculum, bool, tuple[Curriculum, ...]]:
            curriculum, replaced = curricula.import_case(path)
            return curriculum, replaced, curricula.available()

        def done(result: tuple[Curriculum, bool, tuple[Curriculum, ...]]) -> None:
            curriculum, replaced, available = result
            self.form.set_curricula(available)
            combo = self.form.curriculum
            combo.setCurrentIndex(combo.findData(curriculum.id))
            note = (
                self.tr("Replaced {title} ({edition}). Save to make it your curriculum.")
                if replaced
                else self.tr("Imported {title} ({edition}). Save to make it your curriculum.")
            )
            self.form.show_error("")
            self.form.curriculum_note.setText(
                note.format(title=curriculum.title, edition=curriculum.edition)
            )
            self.form.curriculum_note.show()

        def failed(error: PortfolioError) -> None:
            self.form.curriculum_note.hide()
            self.form.show_error(str(error))

        self._ops.database(self, work).success(done).failure(failed).changes(
            ChangeKind.PROFILE
        ).run()

    def save(self) -> None:
        profile = self.form.profile()
        if profile is None:
            self.tabs.setCurrentWidget(self.form)
            return
        service = self._portfolio.profile

        def done(_: ProfileData) -> None:
            self.saved.emit()
            self.accept()

        def failed(error: PortfolioError) -> None:
            self.form.show_error(str(error))

        self._ops.database(self, lambda: service.save(profile)).success(done).failure(
            failed
        ).changes(ChangeKind.PROFILE).run()
