"""The live topology map: devices by kind and state, links by utilisation, fiber drawn as fiber.

Nodes stay where the admin drops them (positions saved through the core); links follow. Colours update
in place from each new snapshot, so a recolour never rebuilds the scene.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from nocdesk.mapdata import MapDevice, MapLink, MapSnapshot

from .icons import kind_icon, state_color

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


class NodeItem(QGraphicsObject):
    """One device: a state-coloured disc with its kind icon and name; draggable."""

    def __init__(self, device: MapDevice, on_moved: Callable[[NodeItem], None],
                 on_activate: Callable[[int], None]) -> None:
        super().__init__()
        self.device = device
        self._on_moved = on_moved
        self._on_activate = on_activate
        self.links: list[LinkItem] = []
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)
        self.setPos(device.x, device.y)
        self._icon = QGraphicsPixmapItem(kind_icon(device.kind).pixmap(QSize(26, 26)), self)
        self._icon.setOffset(-13, -13)
        self.update_device(device)

    def update_device(self, device: MapDevice) -> None:
        self.device = device
        self.setToolTip(f"<b>{device.name}</b><br>{device.address}<br>{device.kind} · {device.site}<br>{device.state}")
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return QRectF(-70, -NODE_R - 4, 140, 2 * NODE_R + 26)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = state_color(self.device.state)
        painter.setPen(QPen(color.darker(130), 3 if self.isSelected() else 2))
        painter.setBrush(QBrush(QColor("#ffffff")))
        painter.drawEllipse(QPointF(0, 0), NODE_R, NODE_R)
        painter.setPen(QPen(color, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), NODE_R - 3, NODE_R - 3)
        font = QFont(painter.font())
        font.setPointSizeF(8.5)
        painter.setFont(font)
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
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        a.links.append(self)
        b.links.append(self)
        self.update_link(link)

    def update_link(self, link: MapLink) -> None:
        self.link = link
        color = util_color(link.util_pct, self.view.warn_pct, self.view.crit_pct)
        pen = QPen(color, link_width(link.capacity_bps))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if link.state == "down":
            pen.setColor(QColor(DOWN_COLOR))
            pen.setStyle(Qt.PenStyle.DashLine)
        elif link.stale:
            pen.setColor(QColor(STALE_COLOR))
            pen.setStyle(Qt.PenStyle.DotLine)
        self.setPen(pen)
        self.setToolTip(self._tooltip())
        self.adjust()

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
        if self.lane:
            mid = (p1 + p2) / 2
            dx, dy = p2.x() - p1.x(), p2.y() - p1.y()
            length = math.hypot(dx, dy) or 1.0
            normal = QPointF(-dy / length, dx / length)
            path.quadTo(mid + normal * self.lane * 2, p2)
        else:
            path.lineTo(p2)
        self.setPath(path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        if self.link.medium == "fiber" and self.link.state != "down":
            # Fiber: a light core line down the middle, like a cable in cross-section.
            core = QPen(QColor("#ffffff"), max(1.0, self.pen().widthF() / 3))
            painter.setPen(core)
            painter.drawPath(self.path())
        elif self.link.medium == "wireless":
            pen = QPen(self.pen())
            pen.setStyle(Qt.PenStyle.DashDotLine)
            painter.setPen(pen)
            painter.drawPath(self.path())

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802, ANN001
        self.view.link_activated.emit(self.link.id)


class TopologyView(QGraphicsView):
    """The map canvas: zoom with the wheel, pan by dragging the background, double-click to open."""

    device_activated = Signal(int)
    link_activated = Signal(int)
    node_moved = Signal(str, int, float, float)  # map key, device id, x, y

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(QColor("#f4f6f8"))
        self.warn_pct, self.crit_pct = 50.0, 80.0
        self.key = ""
        self.nodes: dict[int, NodeItem] = {}
        self.links: dict[int, LinkItem] = {}
        self._background: QGraphicsPixmapItem | None = None

    def set_thresholds(self, warn_pct: float, crit_pct: float) -> None:
        self.warn_pct, self.crit_pct = warn_pct, crit_pct

    def set_background(self, path: str | None) -> None:
        """A floor plan or regional map behind the nodes (None removes it)."""
        if self._background is not None:
            self.scene().removeItem(self._background)
            self._background = None
        if path:
            pixmap = QPixmap(path)
            if not pixmap.isNull():
                self._background = self.scene().addPixmap(pixmap)
                self._background.setZValue(-10)
                self._background.setOpacity(0.6)

    def show_snapshot(self, snapshot: MapSnapshot) -> None:
        """Show a snapshot: recolour in place when the same devices and links, rebuild otherwise."""
        same = (snapshot.key == self.key and set(self.nodes) == {d.id for d in snapshot.devices}
                and set(self.links) == {k.id for k in snapshot.links})
        if same:
            for d in snapshot.devices:
                self.nodes[d.id].update_device(d)
            for k in snapshot.links:
                self.links[k.id].update_link(k)
            return
        self._rebuild(snapshot)

    def _rebuild(self, snapshot: MapSnapshot) -> None:
        background = self._background.pixmap() if self._background else None
        self.scene().clear()
        self._background = None
        if background is not None:
            self._background = self.scene().addPixmap(background)
            self._background.setZValue(-10)
            self._background.setOpacity(0.6)
        self.key = snapshot.key
        self.nodes = {d.id: NodeItem(d, self._moved, self.device_activated.emit) for d in snapshot.devices}
        for node in self.nodes.values():
            self.scene().addItem(node)
        self.links = {}
        lanes: dict[frozenset[int], int] = {}
        for k in snapshot.links:
            pair = frozenset((k.a, k.b))
            n = lanes.get(pair, 0)
            lanes[pair] = n + 1
            lane = 0.0 if n == 0 else (12.0 * ((n + 1) // 2) * (1 if n % 2 else -1))
            item = LinkItem(k, self.nodes[k.a], self.nodes[k.b], lane, self)
            self.scene().addItem(item)
            self.links[k.id] = item
        self.scene().setSceneRect(self.scene().itemsBoundingRect().adjusted(-80, -80, 80, 80))

    def _moved(self, node: NodeItem) -> None:
        pos = node.pos()
        node.device = MapDevice(**{**node.device.__dict__, "x": pos.x(), "y": pos.y()})
        self.node_moved.emit(self.key, node.device.id, pos.x(), pos.y())

    def fit(self) -> None:
        """Show the whole map."""
        rect = self.scene().itemsBoundingRect().adjusted(-40, -40, 40, 40)
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def find_and_center(self, text: str) -> bool:
        """Select and centre the first device whose name or address contains `text`."""
        needle = text.strip().lower()
        if not needle:
            return False
        for node in sorted(self.nodes.values(), key=lambda n: n.device.name.lower()):
            if needle in node.device.name.lower() or needle in node.device.address.lower():
                self.scene().clearSelection()
                node.setSelected(True)
                self.centerOn(node)
                return True
        return False

    def wheelEvent(self, event) -> None:  # noqa: N802, ANN001
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        scale = self.transform().m11() * factor
        if 0.1 <= scale <= 5.0:
            self.scale(factor, factor)

    def export_png(self, path: str, *, scale: float = 2.0) -> None:
        """Write the whole map to a PNG at `scale` times screen size."""
        rect = self.scene().itemsBoundingRect().adjusted(-30, -30, 30, 30)
        image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene().render(painter, QRectF(image.rect()), rect)
        painter.end()
        image.save(path)

    def export_svg(self, path: str) -> None:
        """Write the whole map as SVG (vector, for reports and printing)."""
        rect = self.scene().itemsBoundingRect().adjusted(-30, -30, 30, 30)
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(rect.size().toSize())
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle("nocdesk topology")
        painter = QPainter(generator)
        self.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
