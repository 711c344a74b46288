"""The evidence editor: ``EvidenceEditor(portfolio, tasks, events, item_uuid=... | kind=... |
recovered=...)``. See :mod:`portfolio.ui.editor.window` for keys, autosave and objectNames."""

from portfolio.ui.editor.window import EvidenceEditor

__all__ = ["EvidenceEditor"]
