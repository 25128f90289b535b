"""The dependency tree: every device under its parent, whether that parent was pinned by hand or derived from
the topology; pin or unpin a parent from here."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nocdesk import topology
from nocdesk.link_view import link_form_data
from nocdesk.topology import Dependency

from .icons import kind_icon, state_color
from .link_dialogs import PinParentDialog
from .ops import CollectionOp, QueryOp

ID_ROLE = Qt.ItemDataRole.UserRole


def set_parent(store: object, device_id: int, parent_id: int | None) -> dict[int, int | None]:
    """Pin (or with None: unpin) a parent, then derive the tree again so unpinned devices follow."""
    topology.pin_parent(store, device_id, parent_id)  # type: ignore[arg-type]
    return topology.derive_parents(store)  # type: ignore[arg-type]


class DependenciesDialog(QDialog):
    """A tree of devices by parent; `changed` after a pin so the map can redraw."""

    changed = Signal()
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dependencies"))
        self.resize(760, 540)
        self.rows: list[Dependency] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Device"), self.tr("Parent"), self.tr("Set by"), self.tr("Site")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.tree.header().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemDoubleClicked.connect(lambda _item, _col: self.pin_selected())
        hint = QLabel(self.tr("Each device hangs off the device before it on the path from the monitoring station. "
                              "When a parent is down, its children are reported unreachable, not down."))
        hint.setWordWrap(True)
        hint.setObjectName("dimText")
        self.pin_btn = QPushButton(self.tr("Pin parent…"))
        self.pin_btn.clicked.connect(self.pin_selected)
        self.auto_btn = QPushButton(self.tr("Automatic"))
        self.auto_btn.setToolTip(self.tr("Forget the pinned parent; derive it from the topology again"))
        self.auto_btn.clicked.connect(lambda: self._apply(self.selected_id(), None))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pin_btn)
        buttons.addWidget(self.auto_btn)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.tree, 1)
        lay.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        QueryOp(parent=self, op=topology.dependency_rows, success=self._show).run_in_background()

    def _show(self, rows: list[Dependency]) -> None:
        self.rows = rows
        selected = self.selected_id()
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for r in rows:
            how = self.tr("pinned") if r.pinned else (self.tr("derived") if r.parent_id else self.tr("root / none"))
            item = QTreeWidgetItem([r.name, r.parent or "—", how, r.site])
            item.setIcon(0, kind_icon(r.kind))
            item.setData(0, ID_ROLE, r.device_id)
            item.setForeground(0, state_color(r.state).darker(140))
            if r.pinned:
                font = item.font(2)
                font.setBold(True)
                item.setFont(2, font)
                item.setForeground(2, QColor("#1f6f8b"))
            items[r.device_id] = item
        by_id = {r.device_id: r for r in rows}
        for r in rows:
            parent = items.get(r.parent_id) if r.parent_id in by_id and not self._cycle(by_id, r.device_id) else None
            (parent.addChild if parent is not None else self.tree.addTopLevelItem)(items[r.device_id])
        self.tree.expandAll()
        if selected in items:
            self.tree.setCurrentItem(items[selected])
        self.loaded.emit()

    @staticmethod
    def _cycle(by_id: dict[int, Dependency], device_id: int) -> bool:
        hop, seen = by_id[device_id].parent_id, {device_id}
        while hop is not None and hop in by_id:
            if hop in seen:
                return True
            seen.add(hop)
            hop = by_id[hop].parent_id
        return False

    def item_of(self, name: str) -> QTreeWidgetItem | None:
        """The tree row of device `name` (tests and search)."""
        matches = self.tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 0)
        return matches[0] if matches else None

    def selected_id(self) -> int | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, ID_ROLE)

    def pin_selected(self) -> None:
        device_id = self.selected_id()
        if device_id is None:
            return
        row = next(r for r in self.rows if r.device_id == device_id)

        def ask(form: object) -> None:
            dialog = PinParentDialog(device_id, form, row.parent_id, row.pinned, self)  # type: ignore[arg-type]
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self._apply(device_id, dialog.parent_id())

        QueryOp(parent=self, op=link_form_data, success=ask).run_in_background()

    def _apply(self, device_id: int | None, parent_id: int | None) -> None:
        if device_id is None:
            return

        def done(_result: object) -> None:
            self.changed.emit()
            self.reload()

        CollectionOp(parent=self, op=lambda store: set_parent(store, device_id, parent_id), success=done) \
            .run_in_background()


def open_dependencies(parent: QWidget | None) -> DependenciesDialog:
    """Show the dependency tree (non-modal); connect `changed` to redraw what depends on parents."""
    dialog = DependenciesDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
