"""The topology tab: a map per site plus an overview, with fit, search, export and a background image."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nocdesk.mapdata import MapSnapshot, map_snapshot
from nocdesk.maplayout import save_positions

from .ops import CollectionOp, QueryOp
from .topology_view import TopologyView


class TopologyPage(QWidget):
    """Map selector, toolbar and the live map; reloads off the GUI thread when the store changes."""

    device_activated = Signal(int)
    link_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = TopologyView(self)
        self.view.device_activated.connect(self.device_activated)
        self.view.link_activated.connect(self.link_activated)
        self.view.node_moved.connect(self._save_position)
        self.map_choice = QComboBox(self)
        self.map_choice.addItem(self.tr("Overview"), None)
        self.map_choice.currentIndexChanged.connect(lambda _i: self.refresh(fit=True))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find device…"))
        self.search.returnPressed.connect(self._find)
        self.status = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Map:"), self))
        bar.addWidget(self.map_choice)
        for text, slot in ((self.tr("Fit"), self.view.fit), (self.tr("Export PNG…"), self._export_png),
                           (self.tr("Export SVG…"), self._export_svg), (self.tr("Background…"), self._background)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self._loading = False
        self._first = True

    def set_sites(self, sites: list[tuple[int, str]]) -> None:
        """Offer one map per site besides the overview."""
        current = self.map_choice.currentData()
        self.map_choice.blockSignals(True)
        while self.map_choice.count() > 1:
            self.map_choice.removeItem(1)
        for site_id, name in sites:
            self.map_choice.addItem(name, site_id)
        index = self.map_choice.findData(current)
        self.map_choice.setCurrentIndex(max(0, index))
        self.map_choice.blockSignals(False)

    def refresh(self, *, fit: bool = False) -> None:
        """Reload the current map off the GUI thread (skipped while a load is running)."""
        if self._loading:
            return
        self._loading = True
        site_id = self.map_choice.currentData()

        def load(store) -> tuple[MapSnapshot, list[tuple[int, str]]]:
            sites = [(r[0], r[1]) for r in store.conn.execute("SELECT id, name FROM sites ORDER BY name")]
            return map_snapshot(store, site_id), sites

        def show(result: tuple[MapSnapshot, list[tuple[int, str]]]) -> None:
            self._loading = False
            snapshot, sites = result
            if len(sites) != self.map_choice.count() - 1:
                self.set_sites(sites)
            self.view.show_snapshot(snapshot)
            down = sum(1 for k in snapshot.links if k.state == "down")
            self.status.setText(self.tr("{devices} devices, {links} links, {down} down").format(
                devices=len(snapshot.devices), links=len(snapshot.links), down=down))
            if fit or self._first:
                self._first = False
                self.view.fit()

        def failed(err: Exception) -> None:
            self._loading = False
            self.status.setText(str(err))

        QueryOp(parent=self, op=load, success=show).failure(failed).run_in_background()

    def _save_position(self, key: str, device_id: int, x: float, y: float) -> None:
        CollectionOp(parent=self, op=lambda store: save_positions(store, key, {device_id: (x, y)}),
                     success=lambda _r: None).run_in_background()

    def _find(self) -> None:
        if not self.view.find_and_center(self.search.text()):
            self.status.setText(self.tr("No device matches “{text}”").format(text=self.search.text()))

    def _export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export map"), "topology.png", "PNG (*.png)")
        if path:
            self.view.export_png(path)

    def _export_svg(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export map"), "topology.svg", "SVG (*.svg)")
        if path:
            self.view.export_svg(path)

    def _background(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Background image"), "", self.tr("Images (*.png *.jpg *.jpeg)"))
        self.view.set_background(path or None)
