"""Icons from resources/icons/*.svg, rendered crisp at every size (high-DPI), tinted, and cached.

State colours live here once: up green, down red, unreachable grey-purple, degraded amber, maintenance
blue, unknown grey.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer

STATE_COLORS = {
    "up": "#2e9d58",
    "down": "#d64545",
    "unreachable": "#8a6fa8",
    "degraded": "#e0a21a",
    "maintenance": "#3b82c4",
    "unknown": "#9aa3ad",
}
SEVERITY_COLORS = {"critical": "#d64545", "warning": "#e0a21a", "info": "#3b82c4", "debug": "#9aa3ad"}
INK = "#2b3a4a"  # the colour the SVGs are drawn in; replaced when tinting
SIZES = (16, 20, 24, 32, 48, 64, 128)


def state_color(state: str) -> QColor:
    """The colour of a state (grey for anything unknown)."""
    return QColor(STATE_COLORS.get(state, STATE_COLORS["unknown"]))


@cache
def _svg(name: str) -> bytes:
    return (resources.files("nocdesk.resources") / "icons" / f"{name}.svg").read_bytes()


def _render(data: bytes, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(data))
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pix


@cache
def icon(name: str, color: str | None = None) -> QIcon:
    """An icon from resources/icons/<name>.svg, optionally tinted; an empty icon when the file is missing."""
    try:
        data = _svg(name)
    except FileNotFoundError:
        return QIcon()
    if color:
        data = data.replace(INK.encode(), color.encode())
    result = QIcon()
    for size in SIZES:
        result.addPixmap(_render(data, size))
    return result


def kind_icon(kind: str) -> QIcon:
    """The icon of a device kind (router, switch, server...)."""
    ic = icon(f"kind-{kind}")
    return ic if not ic.isNull() else icon("kind-other")


@cache
def state_icon(state: str, size: int = 12) -> QIcon:
    """A coloured dot for a state."""
    result = QIcon()
    for scale in (1, 2, 3):
        px = size * scale
        pix = QPixmap(px, px)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(state_color(state))
        p.setPen(QPen(state_color(state).darker(125), max(1, scale)))
        m = scale
        p.drawEllipse(QRectF(m, m, px - 2 * m, px - 2 * m))
        p.end()
        pix.setDevicePixelRatio(scale)
        result.addPixmap(pix)
    return result


def app_icon() -> QIcon:
    """The application icon."""
    return icon("nocdesk")


@cache
def tray_icon(worst: str) -> QIcon:
    """The app icon with a badge in the colour of the worst state, for the system tray."""
    base = _svg("nocdesk")
    result = QIcon()
    for size in (16, 22, 24, 32, 48, 64):
        pix = _render(base, size)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = size * 0.42
        p.setPen(QPen(QColor("white"), max(1.0, size / 16)))
        p.setBrush(state_color(worst))
        p.drawEllipse(QRectF(size - r - 0.5, size - r - 0.5, r, r))
        p.end()
        result.addPixmap(pix)
    return result
