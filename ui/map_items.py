"""The map's graphics items: a device node (state ring, kind icon, label) and a link (utilisation colour, width by
capacity, fiber and wireless styles, parallel lanes), drawn cheaply enough for 500 nodes and 700 links."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from nocdesk.mapdata import MapDevice, MapLink

from .icons import kind_icon, state_color

if TYPE_CHECKING:
    from .topology_view import TopologyView

NODE_R = 22.0
UTIL_COLORS = ("#2e9d58", "#e0a21a", "#d64545")  # below warn, below critical, above
DOWN_COLOR = "#d64545"
STALE_COLOR = "#9aa3ad"


def format_bps(value: float | None) -> str:
    """A bit rate for people: '12.3 Mbit/s'."""
    if value is None:
        return "–"
    for unit, scale in (("Gbit/s", 1e9), ("Mbit/s", 1e6), ("kbit/s", 1e3)):
        if abs(value) >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value:.0f} bit/s"


def link_width(capacity_bps: int | None) -> float:
    """Wider lines for bigger pipes: 100M ≈ 2 px, 1G ≈ 3 px, 10G ≈ 4.5 px."""
    if not capacity_bps or capacity_bps <= 0:
        return 2.0
    return max(1.5, min(6.0, 2.0 + 1.1 * math.log10(max(capacity_bps, 1e6) / 1e8)))


def util_color(util_pct: float | None, warn_pct: float, crit_pct: float) -> QColor:
    """Green → amber → red by utilisation; grey when unknown."""
    if util_pct is None:
        return QColor("#6b7785")
    if util_pct >= crit_pct:
        return QColor(UTIL_COLORS[2])
    if util_pct >= warn_pct:
        return QColor(UTIL_COLORS[1])
    return QColor(UTIL_COLORS[0])


_LABEL_FONT: list[QFont] = []
_PIXMAPS: dict[str, QPixmap] = {}
LABEL_HALO = QColor(244, 246, 248, 215)  # the map's background, nearly opaque
DETAIL_LOD = 0.3   # below this zoom nodes are dots and links plain lines


def _kind_pixmap(kind: str) -> QPixmap:
    if kind not in _PIXMAPS:
        _PIXMAPS[kind] = kind_icon(kind).pixmap(QSize(26, 26))
    return _PIXMAPS[kind]


def _label_font() -> QFont:
    if not _LABEL_FONT:
        font = QFont()
        font.setPointSizeF(8.5)
        _LABEL_FONT.append(font)
    return _LABEL_FONT[0]


class NodeItem(QGraphicsObject):
    """One device: a state-coloured disc with its kind icon and name; draggable."""

    def __init__(self, device: MapDevice, on_moved: Callable[[NodeItem], None],
                 on_activate: Callable[[int], None]) -> None:
        super().__init__()
        self.device = device
        self._on_moved = on_moved
        self._on_activate = on_activate
        self.links: list[LinkItem] = []
        self._shape = QPainterPath()
        self._label = QRectF()
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)
        self.setPos(device.x, device.y)
        self._set(device)

    def update_device(self, device: MapDevice) -> None:
        if self.device != device:
            self._set(device)

    def _set(self, device: MapDevice) -> None:
        if device.name != self.device.name or self._shape.isEmpty():
            # Only the disc and the label's own width catch clicks, so a link passing close stays clickable.
            self.prepareGeometryChange()
            width = min(140.0, QFontMetricsF(_label_font()).horizontalAdvance(device.name) + 6)
            self._shape = QPainterPath()
            self._shape.addEllipse(QPointF(0, 0), NODE_R, NODE_R)
            self._label = QRectF(-width / 2, NODE_R + 3, width, 16)
            self._shape.addRect(self._label)
        self.device = device
        self.setToolTip(f"<b>{device.name}</b><br>{device.address}<br>{device.kind} · {device.site}<br>{device.state}")
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return QRectF(-70, -NODE_R - 4, 140, 2 * NODE_R + 26)

    def shape(self) -> QPainterPath:
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        color = state_color(self.device.state)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < DETAIL_LOD:
            # Zoomed far out a node is a few pixels: a state-coloured dot, no icon or unreadable label.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawEllipse(QPointF(0, 0), NODE_R, NODE_R)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color.darker(130), 3 if self.isSelected() else 2))
        painter.setBrush(QBrush(QColor("#ffffff")))
        painter.drawEllipse(QPointF(0, 0), NODE_R, NODE_R)
        painter.setPen(QPen(color, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), NODE_R - 3, NODE_R - 3)
        painter.drawPixmap(QPointF(-13, -13), _kind_pixmap(self.device.kind))
        # A halo behind the label so a link passing under it does not strike the name through.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(LABEL_HALO)
        painter.drawRoundedRect(self._label, 3, 3)
        painter.setFont(_label_font())
        painter.setPen(QColor("#1f2933"))
        painter.drawText(QRectF(-70, NODE_R + 3, 140, 16), Qt.AlignmentFlag.AlignHCenter, self.device.name)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:  # noqa: N802
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for link in self.links:
                link.adjust()
        return super().itemChange(change, value)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802, ANN001
        super().mouseReleaseEvent(event)
        if (self.pos() - QPointF(self.device.x, self.device.y)).manhattanLength() > 0.5:
            self._on_moved(self)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802, ANN001
        self._on_activate(self.device.id)


class LinkItem(QGraphicsPathItem):
    """One link between two nodes; `lane` offsets parallel links so each stays visible."""

    def __init__(self, link: MapLink, a: NodeItem, b: NodeItem, lane: float, view: TopologyView) -> None:
        super().__init__()
        self.a, self.b, self.lane, self.view = a, b, lane, view
        self.link = link
        self._hit = QPainterPath()
        self._line = QLineF()
        self._segments: list[QLineF] = []
        self._press: QPointF | None = None
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        a.links.append(self)
        b.links.append(self)
        self.update_link(link)
        self.adjust()

    def update_link(self, link: MapLink) -> None:
        self.link = link
        color = util_color(link.util_pct, self.view.warn_pct, self.view.crit_pct)
        width = link_width(link.capacity_bps)
        if link.medium == "fiber":
            width += 2.0  # room for the light core line on both sides of it
        pen = QPen(color, width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)  # ends hide under the nodes; round caps defeat the fast line path
        if link.state == "down":
            pen.setColor(QColor(DOWN_COLOR))
            pen.setStyle(Qt.PenStyle.DashLine)
        elif link.stale:
            pen.setColor(QColor(STALE_COLOR))
            pen.setStyle(Qt.PenStyle.DotLine)
        self.setPen(pen)
        self.setToolTip(self._tooltip())

    def _tooltip(self) -> str:
        k = self.link
        lines = [f"<b>{k.name}</b>", f"{k.medium} · {k.state}" + (" · stale" if k.stale else "")]
        if k.a_port or k.b_port:
            lines.append(f"{k.a_port or '?'} ↔ {k.b_port or '?'}")
        lines.append(f"in {format_bps(k.in_bps)} · out {format_bps(k.out_bps)}")
        if k.capacity_bps:
            util = "–" if k.util_pct is None else f"{k.util_pct:.1f}%"
            lines.append(f"{util} of {format_bps(k.capacity_bps)}")
        if k.loss_pct is not None:
            lines.append(f"loss {k.loss_pct:.0f}%")
        if k.rx_a_dbm is not None or k.rx_b_dbm is not None:
            fmt = lambda v: "–" if v is None else f"{v:.1f} dBm"  # noqa: E731
            lines.append(f"Rx {fmt(k.rx_a_dbm)} / {fmt(k.rx_b_dbm)}")
        return "<br>".join(lines)

    def adjust(self) -> None:
        p1, p2 = self.a.pos(), self.b.pos()
        path = QPainterPath(p1)
        self._line = QLineF(p1, p2)
        if self.lane:
            mid = (p1 + p2) / 2
            dx, dy = p2.x() - p1.x(), p2.y() - p1.y()
            length = math.hypot(dx, dy) or 1.0
            normal = QPointF(-dy / length, dx / length)
            path.quadTo(mid + normal * self.lane * 2, p2)
            # Painted as short straight segments: the fast, clipped line path (see paint()).
            points = [path.pointAtPercent(t / 16) for t in range(17)]
            self._segments = [QLineF(a, b) for a, b in zip(points, points[1:], strict=False)]
        else:
            path.lineTo(p2)
        # A thin line is hard to hit: clicks and the context menu use a 12 px wide band around it.
        stroker = QPainterPathStroker()
        stroker.setWidth(12.0)
        self.prepareGeometryChange()
        self._hit = stroker.createStroke(path)
        self.setPath(path)

    def shape(self) -> QPainterPath:
        return self._hit

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._hit.boundingRect()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        detail = option.levelOfDetailFromTransform(painter.worldTransform()) >= DETAIL_LOD
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, detail)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pens = [self.pen()]
        if detail and self.link.medium == "fiber" and self.link.state != "down":
            # Fiber: a light core line down the middle, like a cable in cross-section.
            pens.append(QPen(QColor("#ffffff"), max(0.9, self.pen().widthF() / 5)))
        elif detail and self.link.medium == "wireless":
            pen = QPen(self.pen())
            pen.setStyle(Qt.PenStyle.DashDotLine)
            pens.append(pen)
        for pen in pens:
            painter.setPen(pen)
            if self.lane:
                painter.drawLines(self._segments)
            else:
                # drawLine is clipped to the exposed area; a path is stroked over its whole length first,
                # which made panning at 1:1 (long uplinks crossing the screen) ten times slower.
                painter.drawLine(self._line)

    def mousePressEvent(self, event) -> None:  # noqa: N802, ANN001
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.scenePos()
            event.accept()
        else:
            event.ignore()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802, ANN001
        # A click (not a drag) opens the link page.
        if self._press is not None and (event.scenePos() - self._press).manhattanLength() < 6:
            self.view.link_activated.emit(self.link.id)
        self._press = None
