"""The topology tab: a map per site plus an overview, with fit, search, export and a background image, and the
map's edits (manual links, pinned parents, re-layout) through core functions off the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nocdesk import topology
from nocdesk.link_view import LinkFormData, link_form_data
from nocdesk.mapdata import MapSnapshot, map_snapshot
from nocdesk.maplayout import relayout, save_positions

from .dependencies_dialog import DependenciesDialog, open_dependencies, set_parent
from .link_dialogs import LinkDialog, PinParentDialog
from .ops import CollectionOp, QueryOp
from .topology_view import TopologyView


class TopologyPage(QWidget):
    """Map selector, toolbar and the live map; reloads off the GUI thread when the store changes."""

    device_activated = Signal(int)
    link_activated = Signal(int)
    edited = Signal(str)      # what changed: 'parent', 'link', 'layout' (after the store has it)
    shown = Signal()          # a snapshot is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = TopologyView(self)
        self.view.device_activated.connect(self.device_activated)
        self.view.link_activated.connect(self.link_activated)
        self.view.node_moved.connect(self._save_position)
        self.view.pin_parent_requested.connect(self.request_pin_parent)
        self.view.add_link_requested.connect(self.request_add_link)
        self.view.edit_link_requested.connect(self.request_edit_link)
        self.view.remove_link_requested.connect(self.request_remove_link)
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
                           (self.tr("Export SVG…"), self._export_svg), (self.tr("Background…"), self._background),
                           (self.tr("Add link…"), lambda: self.request_add_link(None)),
                           (self.tr("Dependencies…"), self.show_dependencies),
                           (self.tr("Re-layout"), self.request_relayout)):
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
        self._again = False
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
            self._again = True
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
            self.shown.emit()
            if self._again:
                self._again = False
                self.refresh()

        def failed(err: Exception) -> None:
            self._loading = False
            self._again = False
            self.status.setText(str(err))

        QueryOp(parent=self, op=load, success=show).failure(failed).run_in_background()

    def _save_position(self, key: str, device_id: int, x: float, y: float) -> None:
        CollectionOp(parent=self, op=lambda store: save_positions(store, key, {device_id: (x, y)}),
                     success=lambda _r: self.view.position_saved(device_id, x, y)).run_in_background()

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

    # --- edits: manual links, parents, layout ----------------------------------------------------------------

    def _edit(self, what: str, op: Any, *, fit: bool = False) -> None:
        def done(_result: object) -> None:
            self.edited.emit(what)
            self.refresh(fit=fit)

        CollectionOp(parent=self, op=op, success=done).run_in_background()

    def _with_form(self, link_id: int | None, then: Any) -> None:
        QueryOp(parent=self, op=lambda store: link_form_data(store, link_id), success=then).run_in_background()

    def request_pin_parent(self, device_id: int) -> None:
        """Ask for the parent of `device_id` (a device or automatic) and store it."""
        def ask(result: tuple[LinkFormData, tuple]) -> None:
            form, (parent_id, pinned) = result
            dialog = PinParentDialog(device_id, form, parent_id, bool(pinned), self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.pin_parent(device_id, dialog.parent_id())

        QueryOp(parent=self, op=lambda store: (link_form_data(store), tuple(store.conn.execute(
            "SELECT parent_id, parent_pinned FROM devices WHERE id = ?", (device_id,)).fetchone() or (None, 0))),
            success=ask).run_in_background()

    def pin_parent(self, device_id: int, parent_id: int | None) -> None:
        """Pin `parent_id` as the parent of `device_id` (None: automatic) and derive the tree again."""
        self._edit("parent", lambda store: set_parent(store, device_id, parent_id))

    def request_add_link(self, device_id: int | None) -> None:
        """Ask for a manual link from `device_id` (or from any device) and store it."""
        def ask(form: LinkFormData) -> None:
            dialog = LinkDialog(form, a_device=device_id, parent=self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.add_link(**dialog.values())

        self._with_form(None, ask)

    def add_link(self, *, a_device: int, b_device: int, **values: Any) -> None:
        """Store a manual link and derive the dependency tree again (it may open a new path)."""
        def op(store: object) -> int:
            link_id = topology.add_manual_link(store, a_device, b_device, **values)  # type: ignore[arg-type]
            topology.derive_parents(store)  # type: ignore[arg-type]
            return link_id

        self._edit("link", op)

    def request_edit_link(self, link_id: int) -> None:
        """Ask for a link's medium, capacity, name (and ports, when manual) and store them."""
        def ask(form: LinkFormData) -> None:
            if form.link is None:
                return
            dialog = LinkDialog(form, parent=self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                values = dialog.values()
                self.update_link(link_id, **{k: values[k] for k in
                                             ("medium", "capacity_bps", "name", "a_interface", "b_interface")})

        self._with_form(link_id, ask)

    def update_link(self, link_id: int, **values: Any) -> None:
        self._edit("link", lambda store: topology.update_link(store, link_id, **values))

    def request_remove_link(self, link_id: int) -> None:
        item = self.view.links.get(link_id)
        name = item.link.name if item else str(link_id)
        answer = QMessageBox.question(self, self.tr("Remove manual link"),
                                      self.tr("Remove the manual link {name}?").format(name=name))
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_link(link_id)

    def remove_link(self, link_id: int) -> None:
        def op(store: object) -> None:
            topology.remove_manual_link(store, link_id)  # type: ignore[arg-type]
            topology.derive_parents(store)  # type: ignore[arg-type]

        self._edit("link", op)

    def request_relayout(self) -> None:
        answer = QMessageBox.question(self, self.tr("Re-layout"), self.tr(
            "Lay this map out again in layers? Every device moves; the positions you arranged are forgotten."))
        if answer == QMessageBox.StandardButton.Yes:
            self.relayout()

    def relayout(self) -> None:
        """Forget this map's positions and lay it out again."""
        site_id = self.map_choice.currentData()
        self.view.forget_pending_moves()
        self._edit("layout", lambda store: relayout(store, site_id), fit=True)

    def show_dependencies(self) -> DependenciesDialog:
        """The dependency tree dialog; pins made there redraw the map."""
        dialog = open_dependencies(self)
        dialog.changed.connect(lambda: self.edited.emit("parent"))
        dialog.changed.connect(self.refresh)
        return dialog
