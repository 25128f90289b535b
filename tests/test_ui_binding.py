"""The Qt binding itself: PySide6-Essentials 6.12.0 drops a reference to True/False on every signal emitted
with a bool, which ends in "Fatal Python error: bool_dealloc" (seen here as a crash at exit after a device page
with seven charts). This guards against running the app on such a build."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6  # noqa: E402
from PySide6.QtCore import QObject, Signal  # noqa: E402


class _Emitter(QObject):
    flag = Signal(bool)


def test_signals_with_bool_arguments_keep_reference_counts(qtbot):  # noqa: ANN001
    emitter = _Emitter()
    received = []
    emitter.flag.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.flag.emit(True)
    assert sys.getrefcount(True) >= before + 45, (  # the list holds 50 new references; a broken build loses them
        f"PySide6 {PySide6.__version__} loses a reference to True per bool signal; install another version "
        "(PySide6-Essentials != 6.12.0)")
    assert received == [True] * 50
