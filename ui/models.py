"""Qt item models over the dataclasses nocdesk.views returns: declared as column lists, updated in place.

`RowTableModel.set_rows()` keeps selection and scroll position when only values changed (the common case
on a live refresh) and resets only when rows came or went.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel

from nocdesk.views import SEVERITY_ORDER, TreeNode

from . import fmt
from .icons import SEVERITY_COLORS, kind_icon, state_color, state_icon

ID_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3
COUNTS_ROLE = Qt.ItemDataRole.UserRole + 4
KEY_ROLE = Qt.ItemDataRole.UserRole + 5

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: header text, display text, sort key, and optional icon/colour/alignment."""

    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    icon: Callable[[Any], Any] | None = None
    color: Callable[[Any], QColor | None] | None = None
    align_right: bool = False
    tooltip: Callable[[Any], str] | None = None


class RowTableModel(QAbstractTableModel):
    """A table over a list of dataclass rows with an `id` attribute, sorted in Python (one key per row).

    Sorting here rather than in a QSortFilterProxyModel matters: the proxy's C++ sort calls data() in Python
    for every comparison (tens of thousands of calls for 2,000 events), a key sort touches each row once.
    """

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.rows: list[Any] = []
        self._bold: Callable[[Any], bool] | None = None
        self._sort_col: int | None = None
        self._descending = False

    def set_bold(self, fn: Callable[[Any], bool]) -> None:
        self._bold = fn

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if self._sort_col is None:
            return list(rows)
        col = self.columns[self._sort_col]
        key = col.sort or (lambda r: col.text(r).lower())
        keyed = [(key(r), r) for r in rows]
        present = [kr for kr in keyed if kr[0] is not None]
        present.sort(key=lambda kr: kr[0], reverse=self._descending)
        return [r for _k, r in present] + [r for k, r in keyed if k is None]  # no value: always last

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_col, self._descending = column, order == Qt.SortOrder.DescendingOrder
        self._relayout(self._sorted(self.rows))

    def _relayout(self, rows: list[Any]) -> None:
        """Same rows, new order: move persistent indexes (selection, current row) along with their rows."""
        self.layoutAboutToBeChanged.emit()
        old_pos = {r.id: i for i, r in enumerate(self.rows)}
        new_pos = {r.id: i for i, r in enumerate(rows)}
        moved_from, moved_to = [], []
        for idx in self.persistentIndexList():
            row = self.rows[idx.row()] if idx.row() < len(self.rows) else None
            if row is not None and row.id in new_pos:
                moved_from.append(idx)
                moved_to.append(self.index(new_pos[row.id], idx.column()))
        del old_pos
        self.rows = rows
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def set_rows(self, rows: list[Any]) -> None:
        """Show new rows: changed values in place, a re-layout when only the order changed, else a reset."""
        rows = self._sorted(rows)
        if [r.id for r in rows] == [r.id for r in self.rows]:
            changed = [i for i, (old, new) in enumerate(zip(self.rows, rows, strict=True)) if old != new]
            self.rows = rows
            last_col = len(self.columns) - 1
            for first, last in (_runs(changed) if len(changed) <= 64 else [(min(changed), max(changed))]
                                if changed else []):
                self.dataChanged.emit(self.index(first, 0), self.index(last, last_col))
            return
        if {r.id for r in rows} == {r.id for r in self.rows}:
            self._relayout(rows)
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.columns) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._value(self.rows[index.row()], self.columns[index.column()], role)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:  # noqa: N802, N803 - Qt override
        """All roles of one cell in one call.

        Qt's item delegates ask for seven roles per painted cell through multiData(); Qt's default makes one
        data() call per role, each entering Python and waiting for the GIL while the engine thread runs
        Python. A screen of cells cost about a thousand such waits (over 100 ms); this makes it one per cell.
        """
        if not index.isValid():
            for role_data in roleDataSpan:
                role_data.clearData()
            return
        row, col = self.rows[index.row()], self.columns[index.column()]
        for role_data in roleDataSpan:
            value = self._value(row, col, role_data.role())
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _value(self, row: Any, col: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DecorationRole and col.icon:
            return col.icon(row)
        if role == Qt.ItemDataRole.ForegroundRole and col.color:
            return col.color(row)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self._bold is not None and self._bold(row):
            return _bold_font()
        return None


def _bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


class SortProxy(QSortFilterProxyModel):
    """Filters on free text over every column plus a predicate; sorting is passed on to the RowTableModel."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._text = ""
        self._predicate: Callable[[Any], bool] | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            source.sort(column, order)  # the proxy keeps the source order (its own sort column stays -1)
        else:
            super().sort(column, order)

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9; invalidateRowsFilter() is deprecated there
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_text", text.strip().lower()))

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self._refilter(lambda: setattr(self, "_predicate", predicate))

    def multiData(self, index: Index, roleDataSpan: Any) -> None:  # noqa: N802, N803 - Qt override
        # Qt's proxy answers multiData() with one data() call per role; pass it on whole (see RowTableModel).
        source = self.sourceModel()
        if source is None:
            super().multiData(index, roleDataSpan)
        else:
            source.multiData(self.mapToSource(index), roleDataSpan)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        row = model.row_at(source_row)  # type: ignore[attr-defined]
        if self._predicate is not None and not self._predicate(row):
            return False
        if not self._text:
            return True
        return any(self._text in c.text(row).lower() for c in model.columns)  # type: ignore[attr-defined]


translate = QCoreApplication.translate  # by this name lupdate reads the (context, text) pairs below


def device_columns() -> list[Column]:
    """The device table: state, name, address, kind, site, RTT, loss, uptime 24 h, last change."""
    return [
        Column(translate("models", "State"), lambda d: fmt.state_name(d.state), lambda d: -SEVERITY_ORDER.get(d.state, 2),
               icon=lambda d: state_icon(d.state), tooltip=lambda d: d.last_error),
        Column(translate("models", "Name"), lambda d: d.name, icon=lambda d: kind_icon(d.kind)),
        Column(translate("models", "Address"), lambda d: d.address, _address_key),
        Column(translate("models", "Kind"), lambda d: fmt.kind_name(d.kind)),
        Column(translate("models", "Site"), lambda d: d.site),
        Column(translate("models", "RTT"), lambda d: fmt.ms(d.rtt_ms) if d.state in ("up", "degraded") else fmt.DASH,
               lambda d: d.rtt_ms if d.state in ("up", "degraded") else None, align_right=True),
        Column(translate("models", "Loss"), lambda d: fmt.percent(d.loss_pct, 0), lambda d: d.loss_pct, align_right=True,
               color=lambda d: QColor("#d64545") if (d.loss_pct or 0) > 0 else None),
        Column(translate("models", "Uptime"), lambda d: fmt.percent(d.uptime_pct, 2), lambda d: d.uptime_pct, align_right=True,
               color=lambda d: _uptime_color(d.uptime_pct),
               tooltip=lambda d: translate("models", "Availability over the last 24 hours")),
        Column(translate("models", "Last change"), lambda d: fmt.ago(d.state_since), lambda d: -(d.state_since or 0),
               tooltip=lambda d: fmt.when(d.state_since, seconds=True, zone_name=True)),
    ]


def _uptime_color(pct: float | None) -> QColor | None:
    if pct is None or pct >= 99.5:
        return None
    return QColor("#d64545") if pct < 95 else QColor("#b7791f")


def _address_key(d: Any) -> str:
    parts = d.address.split(".")
    if len(parts) == 4 and all(p.isdigit() for p in parts):
        return "0" + ".".join(f"{int(p):03d}" for p in parts)  # 10.0.0.9 before 10.0.0.10
    return "1" + d.address.lower()


def interface_columns() -> list[Column]:
    """A device's interfaces: index, name, alias, speed, status, traffic and utilisation."""
    return [
        Column(translate("models", "#"), lambda i: str(i.if_index), lambda i: i.if_index, align_right=True),
        Column(translate("models", "Interface"), lambda i: i.name, icon=lambda i: state_icon(i.state)),
        Column(translate("models", "Description"), lambda i: i.alias),
        Column(translate("models", "Speed"), lambda i: fmt.speed(i.speed_bps), lambda i: i.speed_bps, align_right=True),
        Column(translate("models", "Status"), lambda i: f"{i.admin_status}/{i.oper_status}" if i.admin_status else i.oper_status),
        Column(translate("models", "In"), lambda i: fmt.bps(i.in_bps), lambda i: i.in_bps, align_right=True),
        Column(translate("models", "Out"), lambda i: fmt.bps(i.out_bps), lambda i: i.out_bps, align_right=True),
        Column(translate("models", "Util in"), lambda i: fmt.percent(i.util_in_pct, 1), lambda i: i.util_in_pct, align_right=True),
        Column(translate("models", "Util out"), lambda i: fmt.percent(i.util_out_pct, 1), lambda i: i.util_out_pct,
               align_right=True),
    ]


def _sev_color(sev: str) -> QColor:
    return QColor(SEVERITY_COLORS.get(sev, "#9aa3ad"))


def alert_columns() -> list[Column]:
    """Alerts: severity, status, opened, device, site, message, acknowledgement."""
    status = {"open": translate("models", "Open"), "acknowledged": translate("models", "Acknowledged"), "resolved": translate("models", "Resolved")}
    rank = {"critical": 0, "warning": 1, "info": 2, "debug": 3}
    return [
        Column(translate("models", "Severity"), lambda a: fmt.severity_name(a.severity), lambda a: rank.get(a.severity, 9),
               color=lambda a: _sev_color(a.severity)),
        Column(translate("models", "Status"), lambda a: status.get(a.status, a.status)),
        Column(translate("models", "Opened"), lambda a: fmt.when(a.opened_at), lambda a: -a.opened_at),
        Column(translate("models", "Device"), lambda a: a.device_name),
        Column(translate("models", "Site"), lambda a: a.site),
        Column(translate("models", "Message"), lambda a: a.message, tooltip=lambda a: a.message),
        Column(translate("models", "Acknowledged"), lambda a: (f"{a.acked_by}: {a.ack_comment}" if a.acked_by else ""),
               tooltip=lambda a: fmt.when(a.acked_at, zone_name=True) if a.acked_at else ""),
    ]


def event_columns() -> list[Column]:
    """The event log: time, severity, kind, device, site, message."""
    rank = {"critical": 0, "warning": 1, "info": 2, "debug": 3}
    return [
        Column(translate("models", "Time"), lambda e: fmt.when(e.ts, seconds=True), lambda e: -(e.ts * 1_000_000 + e.id % 1_000_000)),
        Column(translate("models", "Severity"), lambda e: fmt.severity_name(e.severity), lambda e: rank.get(e.severity, 9),
               color=lambda e: _sev_color(e.severity)),
        Column(translate("models", "Kind"), lambda e: e.kind),
        Column(translate("models", "Device"), lambda e: e.device_name),
        Column(translate("models", "Site"), lambda e: e.site),
        Column(translate("models", "Message"), lambda e: e.message, tooltip=lambda e: e.message),
    ]


class SiteTreeModel(QStandardItemModel):
    """The sidebar tree (all devices, site kinds, sites, groups) with per-state counts on every node."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._keys: list[str] = []
        self._items: dict[str, QStandardItem] = {}

    @staticmethod
    def _label(node: TreeNode) -> str:
        if node.key == "all":
            return translate("models", "All devices")
        if node.key == "nosite":
            return translate("models", "No site")
        if node.key == "groups":
            return translate("models", "Groups")
        if node.key.startswith("sitekind:"):
            return fmt.site_kind_name(node.label)
        return node.label

    def _fill(self, item: QStandardItem, node: TreeNode) -> None:
        item.setData(self._label(node), Qt.ItemDataRole.DisplayRole)
        item.setData(node.counts, COUNTS_ROLE)
        item.setData(node.key, KEY_ROLE)
        item.setData(state_icon(node.worst if node.total else "unknown"), Qt.ItemDataRole.DecorationRole)
        item.setEditable(False)

    def _walk(self, node: TreeNode) -> list[str]:
        out = [node.key]
        for child in node.children:
            out.extend(self._walk(child))
        return out

    def set_tree(self, root: TreeNode) -> bool:
        """Show a new tree; returns True when it had to be rebuilt (so the view restores expansion)."""
        keys = self._walk(root)
        if keys == self._keys:
            stack = [root]
            while stack:
                node = stack.pop()
                item = self._items[node.key]
                if item.data(COUNTS_ROLE) != node.counts or item.text() != self._label(node):
                    self._fill(item, node)
                stack.extend(node.children)
            return False
        self.clear()
        self._items.clear()

        def build(node: TreeNode, parent: QStandardItem) -> None:
            item = QStandardItem()
            self._fill(item, node)
            self._items[node.key] = item
            parent.appendRow(item)
            for child in node.children:
                build(child, item)

        build(root, self.invisibleRootItem())
        self._keys = keys
        return True

    def index_of(self, key: str) -> QModelIndex:
        item = self._items.get(key)
        return item.index() if item is not None else QModelIndex()


def state_brush(state: str) -> QColor:
    return state_color(state)
