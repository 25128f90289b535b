"""The live topology map: devices by kind and state, links by utilisation, fiber drawn as fiber.

Nodes stay where the admin drops them (positions saved through the core); links follow. Colours update
in place from each new snapshot, so a recolour never rebuilds the scene.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene, QGraphicsView, QMenu, QWidget

from nocdesk.mapdata import MapDevice, MapSnapshot

from .map_items import (  # noqa: F401 - re-exported: tests and callers use them from here
    DETAIL_LOD,
    DOWN_COLOR,
    NODE_R,
    STALE_COLOR,
    UTIL_COLORS,
    LinkItem,
    NodeItem,
    format_bps,
    link_width,
    util_color,
)


class TopologyView(QGraphicsView):
    """The map canvas: zoom with the wheel, pan by dragging the background, double-click to open."""

    device_activated = Signal(int)
    link_activated = Signal(int)
    node_moved = Signal(str, int, float, float)  # map key, device id, x, y
    pin_parent_requested = Signal(int)           # device id
    add_link_requested = Signal(int)             # device id of the first end
    edit_link_requested = Signal(int)            # link id
    remove_link_requested = Signal(int)          # link id

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
        self._pending_moves: dict[int, tuple[float, float]] = {}  # dropped, not yet seen back from the store

    def set_thresholds(self, warn_pct: float, crit_pct: float) -> None:
        """Utilisation where links turn amber and red (the settings' map thresholds); recolours at once."""
        if (warn_pct, crit_pct) == (self.warn_pct, self.crit_pct):
            return
        self.warn_pct, self.crit_pct = warn_pct, crit_pct
        for item in self.links.values():
            item.update_link(item.link)

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
                self._update_node(self.nodes[d.id], d)
            for k in snapshot.links:
                item = self.links[k.id]
                if item.link != k:
                    item.update_link(k)
            return
        self._rebuild(snapshot)

    def _update_node(self, node: NodeItem, device: MapDevice) -> None:
        """New state and, when the store moved it (a re-layout), a new place; a fresh drop is not undone."""
        pending = self._pending_moves.get(device.id)
        if pending is not None:
            if (device.x, device.y) != pending:
                device = MapDevice(**{**device.__dict__, "x": pending[0], "y": pending[1]})
            else:
                del self._pending_moves[device.id]
        if self.scene().mouseGrabberItem() is not node and (node.pos().x(), node.pos().y()) != (device.x, device.y):
            node.setPos(device.x, device.y)
        node.update_device(device)

    def _rebuild(self, snapshot: MapSnapshot) -> None:
        background = self._background.pixmap() if self._background else None
        self.scene().clear()
        self._background = None
        if background is not None:
            self._background = self.scene().addPixmap(background)
            self._background.setZValue(-10)
            self._background.setOpacity(0.6)
        self.key = snapshot.key
        self._pending_moves.clear()
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
        self._pending_moves[node.device.id] = (pos.x(), pos.y())
        self.node_moved.emit(self.key, node.device.id, pos.x(), pos.y())

    def item_at(self, pos: QPoint | QPointF) -> NodeItem | LinkItem | None:
        """The node or link under a viewport position (a node's icon counts as the node)."""
        for item in self.items(pos.toPoint() if isinstance(pos, QPointF) else pos):
            while item is not None and not isinstance(item, (NodeItem, LinkItem)):
                item = item.parentItem()
            if item is not None:
                return item
        return None

    def menu_for(self, item: NodeItem | LinkItem | None) -> QMenu:
        """The context menu of a node, a link or the background."""
        menu = QMenu(self)
        if isinstance(item, NodeItem):
            device_id = item.device.id
            menu.addAction(self.tr("Open device"), lambda: self.device_activated.emit(device_id))
            menu.addSeparator()
            menu.addAction(self.tr("Pin parent…"), lambda: self.pin_parent_requested.emit(device_id))
            menu.addAction(self.tr("Add manual link…"), lambda: self.add_link_requested.emit(device_id))
        elif isinstance(item, LinkItem):
            link_id = item.link.id
            menu.addAction(self.tr("Open link page"), lambda: self.link_activated.emit(link_id))
            menu.addSeparator()
            menu.addAction(self.tr("Edit link…"), lambda: self.edit_link_requested.emit(link_id))
            remove = menu.addAction(self.tr("Remove manual link"), lambda: self.remove_link_requested.emit(link_id))
            remove.setEnabled(item.link.source == "manual")
            if item.link.source != "manual":
                remove.setToolTip(self.tr("Found by discovery: it is kept (stale) when no longer seen"))
        else:
            menu.addAction(self.tr("Fit"), self.fit)
        return menu

    def contextMenuEvent(self, event) -> None:  # noqa: N802, ANN001
        self.menu_for(self.item_at(event.pos())).exec(event.globalPos())

    def position_saved(self, device_id: int, x: float, y: float) -> None:
        """The store has this drop now: later snapshots are the truth for this node again."""
        if self._pending_moves.get(device_id) == (x, y):
            del self._pending_moves[device_id]

    def forget_pending_moves(self) -> None:
        """Drops not yet saved are overruled (a re-layout)."""
        self._pending_moves.clear()

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
