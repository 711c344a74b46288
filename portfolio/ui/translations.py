"""English plural forms. Qt's ``tr("%n item(s)", "", n)`` says "1 item" and "2 items" only
through a translation, so the app installs its English one (``resources/translations``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from portfolio.resource_files import resource

TRANSLATION = ("translations", "gpc_portfolio_en.qm")


COUNTS = "Counts"
"""The translation context of :func:`counted`: one for every class, so moving code keeps it."""


def counted(text: str, n: int) -> str:
    """``text`` with ``%n`` as ``n`` and its English plural form: "1 item", "2 items" (its
    source, with "(s)", must be in the translation's ``Counts`` context)."""
    return QCoreApplication.translate(COUNTS, text, "", n)


def install_translations(app: QCoreApplication) -> QTranslator:
    """Load and install the English plural forms; the window works (with "(s)") without them."""
    translator = QTranslator(app)
    if translator.load(str(resource(*TRANSLATION))):
        app.installTranslator(translator)
    return translator
