"""Size a window to what it wants, but no larger than the screen it opens on (a 1366×768 laptop is common)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for the window frame and title bar, which the available geometry does not include.
FRAME_W_PX = 16
FRAME_H_PX = 40


def resize_within_screen(widget: QWidget, width_px: int, height_px: int) -> None:
    """Resize `widget` to width_px × height_px, shrunk to fit the available area of its (or its parent's) screen."""
    anchor = widget.parentWidget() or widget
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width_px = min(width_px, area.width() - FRAME_W_PX)
        height_px = min(height_px, area.height() - FRAME_H_PX)
    widget.resize(max(width_px, widget.minimumWidth()), max(height_px, widget.minimumHeight()))
