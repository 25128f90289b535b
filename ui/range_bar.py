"""The row above a page's charts: range buttons (1 h … 30 d), the resolution read and the availability.

Shared by the device page and the link page; each passes its own (translated) button labels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QWidget


@dataclass
class RangeBar:
    """The built row and the widgets a page updates."""

    layout: QHBoxLayout
    group: QButtonGroup
    buttons: dict[str, QPushButton]
    resolution_label: QLabel
    avail_label: QLabel


def build_range_bar(owner: QWidget, labels: dict[str, str], current: str, pick: Callable[[str], None]) -> RangeBar:
    """Segmented range buttons (`labels`: key → text; `current` checked; `pick(key)` on click) and the labels."""
    group = QButtonGroup(owner)
    group.setExclusive(True)
    ranges = QHBoxLayout()
    ranges.setSpacing(0)
    buttons: dict[str, QPushButton] = {}
    for key, text in labels.items():
        b = QPushButton(text)
        b.setCheckable(True)
        b.setObjectName("segment")
        b.setChecked(key == current)
        b.clicked.connect(lambda _c=False, k=key: pick(k))
        group.addButton(b)
        buttons[key] = b
        ranges.addWidget(b)
    resolution = QLabel()
    resolution.setObjectName("dimText")
    avail = QLabel()
    avail.setObjectName("availability")
    row = QHBoxLayout()
    row.addLayout(ranges)
    row.addSpacing(16)
    row.addWidget(resolution)
    row.addStretch(1)
    row.addWidget(avail)
    return RangeBar(row, group, buttons, resolution, avail)
