"""The dashboard page: state totals, the filterable device table, open alerts, worst links, 24 h availability."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nocdesk.views import STATES, DeviceRow, Overview, TreeNode

from . import fmt
from .icons import SEVERITY_COLORS, icon, state_color, state_icon
from .models import ID_ROLE, ROW_ROLE, RowTableModel, SortProxy, device_columns


class StateTile(QFrame):
    """A big number with a caption and a coloured edge; clicking it filters the table to that state."""

    clicked = Signal(str)

    def __init__(self, key: str, caption: str, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("tile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setCheckedLook(False, color)
        self.number = QLabel("0")
        self.number.setObjectName("tileNumber")
        self.caption = QLabel(caption)
        self.caption.setObjectName("tileCaption")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(0)
        lay.addWidget(self.number)
        lay.addWidget(self.caption)
        self._color = color

    def setCheckedLook(self, checked: bool, color: str | None = None) -> None:  # noqa: N802 - Qt naming
        color = color or self._color
        bg = "#f3f7fb" if checked else "white"
        border = color if checked else "#dfe4ea"
        self.setStyleSheet(f"QFrame#tile {{ background:{bg}; border:1px solid {border}; border-left:5px solid {color};"
                           f" border-radius:6px; }}")

    def set_value(self, text: str) -> None:
        self.number.setText(text)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.clicked.emit(self.key)
        super().mousePressEvent(event)


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    return label


class DashboardPage(QWidget):
    """Totals on top, the device table with a filter box, and open alerts / worst links on the right."""

    device_activated = Signal(int)
    alert_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state_filter: str | None = None
        self._scope_pred: Callable[[DeviceRow], bool] | None = None
        self._build()

    def _build(self) -> None:
        captions = {"up": self.tr("Up"), "down": self.tr("Down"), "unreachable": self.tr("Unreachable"),
                    "degraded": self.tr("Degraded"), "maintenance": self.tr("Maintenance"),
                    "unknown": self.tr("Unknown")}
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        self.tiles: dict[str, StateTile] = {}
        for state in STATES:
            tile = StateTile(state, captions[state], state_color(state).name())
            tile.clicked.connect(self._tile_clicked)
            self.tiles[state] = tile
            tiles.addWidget(tile)
        self.avail_tile = StateTile("avail", self.tr("Availability, last 24 h"), "#1f6f8b")
        self.avail_tile.setCursor(Qt.CursorShape.ArrowCursor)
        tiles.addWidget(self.avail_tile, 1)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter devices by name, address, kind or site (Ctrl+F)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(icon("action-filter"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter_edit.textChanged.connect(self._text_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("dimText")

        self.model = RowTableModel(device_columns(), self)
        self.model.set_bold(lambda d: d.state in ("down", "unreachable"))
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(True)
        self.table = QTableView()
        self.table.setObjectName("deviceTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(40)
        fm = QFontMetrics(self.table.font())  # rows and headers are bold in places: +8 %
        state_w = max(fm.horizontalAdvance(fmt.state_name(s)) for s in STATES) * 108 // 100 + 32  # + icon
        address_w = fm.horizontalAdvance("000.000.00.000") * 108 // 100 + 12  # most bold (down) IPv4 addresses, whole
        for col, width in enumerate((max(120, state_w), 0, max(94, address_w), 100, 0, 68, 52, 76, 100)):
            if width:  # never narrower than the header's own text (Indonesian headers are longer)
                title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
                self.table.setColumnWidth(col, max(width, fm.horizontalAdvance(title) * 108 // 100 + 24))
            else:  # name and site share what is left
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(6)
        fl = QHBoxLayout()
        fl.addWidget(self.filter_edit, 1)
        fl.addWidget(self.count_label)
        tl.addLayout(fl)
        tl.addWidget(self.table, 1)

        self.alert_list = QListWidget()
        self.alert_list.setObjectName("alertList")
        for lst in (self.alert_list,):
            lst.setWordWrap(True)
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.alert_list.itemActivated.connect(self._alert_activated)
        self.alert_list.itemDoubleClicked.connect(self._alert_activated)
        self.link_list = QListWidget()
        self.link_list.setObjectName("linkList")
        self.link_list.setWordWrap(True)
        self.link_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.link_list.itemActivated.connect(self._link_activated)
        self.link_list.itemDoubleClicked.connect(self._link_activated)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.setSpacing(6)
        self.alerts_title = _section(self.tr("Open alerts"))
        sl.addWidget(self.alerts_title)
        sl.addWidget(self.alert_list, 3)
        sl.addWidget(_section(self.tr("Links to watch")))
        sl.addWidget(self.link_list, 2)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("dashboardSplitter")
        self.splitter.addWidget(table_box)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([960, 260])

        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 6)
        lay.setSpacing(10)
        lay.addLayout(tiles)
        lay.addWidget(self.splitter, 1)

    # --- data --------------------------------------------------------------------------------------------

    def show_overview(self, ov: Overview) -> None:
        dash = ov.dashboard
        for state, tile in self.tiles.items():
            tile.set_value(fmt.number(dash.totals.get(state, 0)))
        self.avail_tile.set_value(fmt.percent(dash.availability_24h_pct, 2))
        self.model.set_rows(ov.devices)
        self._update_count()
        self._fill_alerts(dash.open_alerts)
        self._fill_links(dash.worst_links)

    def _fill_alerts(self, alerts: list[Any]) -> None:
        self.alerts_title.setText(self.tr("Open alerts ({n})").format(n=len(alerts)))
        ids = [a.id for a in alerts]
        if ids == [self.alert_list.item(i).data(ID_ROLE) for i in range(self.alert_list.count())]:
            for i, a in enumerate(alerts):
                self._alert_item(self.alert_list.item(i), a)
            return
        self.alert_list.clear()
        if not alerts:
            item = QListWidgetItem(state_icon("up"), self.tr("No open alerts"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.alert_list.addItem(item)
            return
        for a in alerts:
            item = QListWidgetItem()
            self._alert_item(item, a)
            self.alert_list.addItem(item)

    def _alert_item(self, item: QListWidgetItem, a: Any) -> None:
        ack = self.tr(" · acknowledged by {who}").format(who=a.acked_by) if a.status == "acknowledged" else ""
        item.setText(f"{a.message}\n{fmt.ago(a.opened_at)}{ack}")
        item.setData(ID_ROLE, a.id)
        item.setData(ROW_ROLE, a.device_id)
        color = SEVERITY_COLORS.get(a.severity, "#9aa3ad")
        item.setIcon(state_icon("down" if color == SEVERITY_COLORS["critical"] else "degraded"
                                if a.severity == "warning" else "maintenance"))
        item.setToolTip(a.message)

    def _fill_links(self, links: list[Any]) -> None:
        self.link_list.clear()
        if not links:
            item = QListWidgetItem(self.tr("No links known yet (LLDP/CDP or added by hand)"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.link_list.addItem(item)
            return
        media = {"fiber": self.tr("fiber"), "copper": self.tr("copper"), "wireless": self.tr("wireless"),
                 "provider": self.tr("provider")}
        for link in links:
            util = fmt.percent(link.util_pct, 0) if link.util_pct is not None else fmt.DASH
            loss = fmt.percent(link.loss_pct, 0) if link.loss_pct is not None else fmt.DASH
            item = QListWidgetItem(state_icon(link.state), self.tr("{name}\n{medium} · util {util} · loss {loss}")
                                   .format(name=link.name, medium=media.get(link.medium, link.medium), util=util, loss=loss))
            item.setData(ROW_ROLE, link.b_device_id)
            self.link_list.addItem(item)

    # --- filtering ----------------------------------------------------------------------------------------

    def set_scope(self, key: str, tree: TreeNode | None) -> None:
        """Show only devices under a tree node."""
        if key == "all":
            self._scope_pred = None
        elif key.startswith("site:"):
            site_id = int(key.split(":")[1])
            self._scope_pred = lambda d: d.site_id == site_id
        elif key.startswith("group:"):
            group_id = int(key.split(":")[1])
            self._scope_pred = lambda d: d.group_id == group_id
        elif key == "nosite":
            self._scope_pred = lambda d: d.site_id is None
        elif key == "groups":
            self._scope_pred = lambda d: d.group_id is not None
        elif key.startswith("sitekind:") and tree is not None:
            node = next((n for n in tree.children if n.key == key), None)
            ids = {int(c.key.split(":")[1]) for c in node.children} if node else set()
            self._scope_pred = lambda d: d.site_id in ids
        self._apply_predicate()

    def _tile_clicked(self, state: str) -> None:
        self.state_filter = None if self.state_filter == state else state
        for key, tile in self.tiles.items():
            tile.setCheckedLook(key == self.state_filter)
        self._apply_predicate()

    def _apply_predicate(self) -> None:
        scope, state = self._scope_pred, self.state_filter
        if scope is None and state is None:
            self.proxy.set_predicate(None)
        else:
            self.proxy.set_predicate(lambda d: (scope is None or scope(d)) and (state is None or d.state == state))
        self._update_count()

    def _text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(self.tr("{shown} of {total} devices").format(shown=shown, total=total)
                                 if shown != total else self.tr("{total} devices").format(total=total))

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def selected_devices(self) -> list[DeviceRow]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.row_at(r) for r in sorted(rows)]

    def _activated(self, index: QModelIndex) -> None:
        row = self.proxy.index(index.row(), 0).data(ROW_ROLE)
        if row is not None:
            self.device_activated.emit(row.id)

    def _alert_activated(self, item: QListWidgetItem) -> None:
        alert_id = item.data(ID_ROLE)
        if alert_id is not None:
            self.alert_activated.emit(alert_id)

    def _link_activated(self, item: QListWidgetItem) -> None:
        device_id = item.data(ROW_ROLE)
        if device_id is not None:
            self.device_activated.emit(device_id)
