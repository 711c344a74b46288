"""Creating a signing identity where it is needed: on the Reviews page for a supervisor's
sign-offs, on the Mentor page before a catalogue is first published. One flow for both: the
dialog checks its form, the key is made on the database lane, and a refusal stays in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from portfolio.errors import PortfolioError
from portfolio.ui.operations import Operations
from portfolio.ui.review_dialogs import CreateIdentityDialog, Purpose
from portfolio.vocabulary import ChangeKind

if TYPE_CHECKING:
    from portfolio.services.signoffs import IdentityInfo, SignOffService


def create_identity(
    parent: QWidget,
    ops: Operations,
    signoffs: SignOffService,
    *,
    needs_passphrase: bool,
    key_location: str,
    purpose: Purpose,
    created: Callable[[IdentityInfo], object],
) -> CreateIdentityDialog:
    """Open the dialog; ``created`` follows once the identity is made and the dialog closed."""
    dialog = CreateIdentityDialog(needs_passphrase, key_location, parent, purpose=purpose)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def send() -> None:
        problem = dialog.problem()
        dialog.error.show_error(problem)
        if problem:
            return
        name, gmc, role, passphrase = dialog.values()
        dialog.set_busy(True)

        def done(info: IdentityInfo) -> None:
            dialog.accept()
            created(info)

        def failed(error: PortfolioError) -> None:
            dialog.set_busy(False)
            dialog.error.show_error(str(error))

        ops.database(dialog, lambda: signoffs.create_identity(name, gmc, role, passphrase)).success(
            done
        ).failure(failed).changes(ChangeKind.IDENTITIES).run()

    dialog.buttons.accepted.connect(send)
    dialog.open()
    return dialog
