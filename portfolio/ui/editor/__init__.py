"""The evidence editor: ``EvidenceEditor(portfolio, ops, item_uuid=... | kind=... |
recovered=...)``. See :mod:`portfolio.ui.editor.window` for keys, autosave, its lifecycle and
objectNames."""

from portfolio.ui.editor.window import EditorState, EvidenceEditor

__all__ = ["EditorState", "EvidenceEditor"]
