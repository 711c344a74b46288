"""A damaged portfolio at start: offer the newest sound backup instead of a dead end.

The database is never opened here: the backups are found and checked on their own, and the
damaged file is kept in backups/ (``…-damaged.sqlite3``) when one is put back.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from portfolio.errors import DatabaseDamaged, PortfolioError
from portfolio.paths import Location
from portfolio.ui.widgets import DISPLAY_NAME


def _tr(text: str) -> str:
    return QCoreApplication.translate("DamagedPortfolio", text)


def offer_restore(
    error: DatabaseDamaged, location: Location, parent: QWidget | None = None
) -> bool:
    """Say what is wrong and offer the newest sound backup; True once it is back in place."""
    from portfolio.services.backups import BackupService

    backups = BackupService(location)
    try:
        backup = backups.newest_sound()
    except PortfolioError:  # an encrypted portfolio whose key cannot be had without opening it
        backup = None
    box = QMessageBox(QMessageBox.Icon.Critical, DISPLAY_NAME, str(error), parent=parent)
    box.setObjectName("damagedPortfolio")
    if backup is None:
        box.setInformativeText(
            _tr(
                "No sound backup was found in {folder}. Nothing was changed; "
                "'gpc-portfolio check' says more."
            ).format(folder=location.backups_dir)
        )
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        return False
    when = f"{backup.created_at:%d %B %Y, %H:%M} UTC"
    box.setInformativeText(
        _tr(
            "The newest sound backup is from {when} ({file}). Put it back? The damaged file is "
            "kept in the backups folder, and anything written after that backup is not in it."
        ).format(when=when, file=backup.path.name)
    )
    restore = box.addButton(_tr("&Restore this backup"), QMessageBox.ButtonRole.AcceptRole)
    restore.setObjectName("restoreNewestBackup")
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    backups.restore_damaged(backup.path)
    return True
