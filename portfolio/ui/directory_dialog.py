"""Trusting a supervisor directory from the window: the publisher and its fingerprint first.

The file is read and verified off the GUI thread, then the trainee is shown who published it and
the publisher's key fingerprint to check with them; only a confirmed "Trust" stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from portfolio.errors import PortfolioError
from portfolio.vocabulary import ChangeKind

if TYPE_CHECKING:
    from portfolio.app import Portfolio
    from portfolio.formats.directory import DirectoryFile
    from portfolio.services.directories import DirectoryImport, DirectoryService
    from portfolio.ui.operations import Operations


def _tr(text: str) -> str:
    return QCoreApplication.translate("DirectoryTrust", text)


def trust_directory(
    parent: QWidget,
    portfolio: Portfolio,
    ops: Operations,
    path: Path,
    asked: Callable[[QMessageBox], None],
    done: Callable[[DirectoryImport], None],
    failed: Callable[[PortfolioError], None],
) -> None:
    """Read the directory at ``path`` off the GUI thread, then ask to trust it (``asked`` hears
    the open box); ``done`` hears the import, ``failed`` a refused file."""
    directories = portfolio.directories
    ops.render(parent, lambda: directories.read(path)).success(
        lambda directory: asked(_ask(parent, ops, directories, path, directory, done, failed))
    ).failure(failed).run()


def _ask(
    parent: QWidget,
    ops: Operations,
    directories: DirectoryService,
    path: Path,
    directory: DirectoryFile,
    done: Callable[[DirectoryImport], None],
    failed: Callable[[PortfolioError], None],
) -> QMessageBox:
    publisher = directory.publisher
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _tr("Trust this supervisor directory?"),
        _tr("Trust “{name}”?").format(name=directory.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setObjectName("trustDirectoryConfirm")
    box.setInformativeText(
        _tr(
            "Version {version}, {count} supervisors, valid until {until}.\n"
            "Published by {publisher} with the key\n{fingerprint}\n\n"
            "Check this fingerprint with the postgraduate education office (on their website or "
            "by phone, not from the e-mail that brought the file). Once trusted, every "
            "supervisor it lists is vouched for, and a key it revokes stops counting."
        ).format(
            version=directory.version,
            count=len(directory.entries),
            until=directory.expires_at[:10],
            publisher=publisher.name,
            fingerprint=publisher.fingerprint,
        )
    )
    box.button(QMessageBox.StandardButton.Yes).setText(_tr("&Trust"))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered(result: int) -> None:
        if result == QMessageBox.StandardButton.Yes:
            ops.database(
                parent, lambda: directories.import_directory(path, publisher.fingerprint)
            ).success(done).failure(failed).changes(
                ChangeKind.EVIDENCE, ChangeKind.IDENTITIES
            ).run()

    box.finished.connect(answered)
    box.open()
    return box
