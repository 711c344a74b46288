"""Guards against a known-bad Qt binding: PySide6 6.12.0 on Python 3.11 took a reference off
None on every void call, and a long session then crashed (Fatal Python error: none_dealloc)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_keep_reference_counts_of_none(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(2_000):
        label.setText(str(n))
        label.setVisible(False)
    assert abs(sys.getrefcount(None) - before) < 100
