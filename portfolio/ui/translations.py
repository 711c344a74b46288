"""English plural forms. Qt's ``tr("%n item(s)", "", n)`` says "1 item" and "2 items" only
through a translation, so the app installs its English one (``resources/translations``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from portfolio.resource_files import resource

TRANSLATION = ("translations", "gpc_portfolio_en.qm")


def install_translations(app: QCoreApplication) -> QTranslator:
    """Load and install the English plural forms; the window works (with "(s)") without them."""
    translator = QTranslator(app)
    if translator.load(str(resource(*TRANSLATION))):
        app.installTranslator(translator)
    return translator
