"""Qt item models over the dataclasses nocdesk.views returns: declared as column lists, updated in place.

`RowTableModel.set_rows()` formats rows into C++ items once and afterwards writes only what changed, keeping
selection and scroll position; painting a table never calls Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel

from nocdesk.views import SEVERITY_ORDER, TreeNode

from . import fmt
from .icons import SEVERITY_COLORS, kind_icon, state_color, state_icon

ID_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3
COUNTS_ROLE = Qt.ItemDataRole.UserRole + 4
KEY_ROLE = Qt.ItemDataRole.UserRole + 5
VISIBLE_ROLE = Qt.ItemDataRole.UserRole + 6



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
    live: bool = False  # the text depends on the clock ("3 min ago"): re-formatted on every refresh
    fields: tuple[str, ...] | None = None  # the row attributes the cell shows; None: any change re-formats it


Cell = tuple[str, Any, Any, str]  # text, icon, colour, tooltip of one cell


class RowTableModel(QStandardItemModel):
    """A table over a list of dataclass rows with an `id` attribute, sorted and filtered in Python.

    Every value a view shows is formatted once, when rows arrive, and kept in C++ items. Painting then never
    enters Python: each entry from Qt into Python waits for the GIL, up to the switch interval while the
    engine thread runs Python, and a screen of cells asked through Python cost over 100 ms of frozen window.
    Only changed cells are written; rows that came or went are inserted or removed where they belong
    (selection and scroll position stay), a new order moves the selection with its rows.
    Sorting is by one Python key per row (rows without a value last); filtering by a predicate and free text
    sets VISIBLE_ROLE, which SortProxy filters on in C++. ID_ROLE, ROW_ROLE and VISIBLE_ROLE are on column 0.
    """

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = columns
        self.setHorizontalHeaderLabels([c.header for c in columns])
        self.rows: list[Any] = []
        self._cells: list[tuple[Cell, ...]] = []
        self._bolds: list[bool] = []
        self._live = [c for c, col in enumerate(columns) if col.live]
        self._fields_known = all(col.fields is not None for col in columns)
        self._all_fields = sorted({f for col in columns for f in (col.fields or ())})
        self._build: _Build | None = None
        self._bold: Callable[[Any], bool] | None = None
        self._sort_col: int | None = None
        self._descending = False
        self._predicate: Callable[[Any], bool] | None = None
        self._text = ""
        self._bold_font = QFont()
        self._bold_font.setBold(True)
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._aligns = [right if col.align_right else 0 for col in columns]

    def set_bold(self, fn: Callable[[Any], bool]) -> None:
        self._bold = fn

    def _is_bold(self, row: Any) -> bool:
        return bool(self._bold and self._bold(row))

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    # --- sorting ---------------------------------------------------------------------------------------------

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
        self.finish_pending()
        self._sort_col, self._descending = column, order == Qt.SortOrder.DescendingOrder
        self._relayout(self._sorted(self.rows))

    # --- filtering -------------------------------------------------------------------------------------------

    def set_filter(self, *, predicate: Callable[[Any], bool] | None = None, text: str | None = None,
                   keep_predicate: bool = False) -> None:
        """Show only rows the predicate accepts and whose cells contain `text` (case-insensitive)."""
        self.finish_pending()
        if not keep_predicate:
            self._predicate = predicate
        if text is not None:
            self._text = text.strip().lower()
        for i, row in enumerate(self.rows):
            self._set_visible(i, row, self._cells[i])

    def _visible(self, row: Any, cells: tuple[Cell, ...]) -> bool:
        if self._predicate is not None and not self._predicate(row):
            return False
        return not self._text or any(self._text in cell[0].lower() for cell in cells)

    def _set_visible(self, i: int, row: Any, cells: tuple[Cell, ...]) -> None:
        flag = int(self._visible(row, cells))
        item = self.item(i, 0)
        if item.data(VISIBLE_ROLE) != flag:
            item.setData(flag, VISIBLE_ROLE)

    # --- rows ------------------------------------------------------------------------------------------------

    def set_rows(self, rows: list[Any]) -> None:
        """Show new rows: changed cells written in place, vanished rows removed, new ones inserted in order."""
        self._build = None  # newer rows replace a rebuild still being prepared
        rows = self._sorted(rows)
        wanted = {r.id for r in rows}
        if len(rows) > 64 and len(wanted - {r.id for r in self.rows}) > len(rows) // 2:
            self._rebuild(rows)  # mostly new: one reset beats hundreds of single-row inserts
            return
        for i in range(len(self.rows) - 1, -1, -1):
            if self.rows[i].id not in wanted:
                self._remove(i)
        present = {r.id for r in self.rows}
        kept = [r for r in rows if r.id in present]
        if [r.id for r in kept] != [r.id for r in self.rows]:
            self._relayout(kept)
        else:
            for i, row in enumerate(kept):
                self._update(i, row)
        for i, row in enumerate(rows):
            if row.id not in present:
                self._insert(i, row)

    def _cells_of(self, row: Any) -> tuple[Cell, ...]:
        return tuple(self._cell(col, row) for col in self.columns)

    def _items(self, row: Any, cells: tuple[Cell, ...], bold: bool) -> list[QStandardItem]:
        items = []
        for align, cell in zip(self._aligns, cells, strict=True):
            # Created here rather than cloned from a prototype: a clone is a plain C++ item whose Python wrapper
            # is not told when the model deletes it, and a stale wrapper corrupts shiboken's bookkeeping.
            item = QStandardItem()
            item.setEditable(False)
            if align:
                item.setData(align, Qt.ItemDataRole.TextAlignmentRole)
            _write_cell(item, cell, None)
            if bold:
                item.setData(self._bold_font, Qt.ItemDataRole.FontRole)
            items.append(item)
        first = items[0]
        first.setData(row.id, ID_ROLE)
        first.setData(row, ROW_ROLE)
        first.setData(int(self._visible(row, cells)), VISIBLE_ROLE)
        return items

    def _insert(self, i: int, row: Any) -> None:
        cells, bold = self._cells_of(row), self._is_bold(row)
        self.rows.insert(i, row)
        self._cells.insert(i, cells)
        self._bolds.insert(i, bold)
        self.insertRow(i, self._items(row, cells, bold))

    def _remove(self, i: int) -> None:
        del self.rows[i], self._cells[i], self._bolds[i]
        self.removeRow(i)

    def _update(self, i: int, row: Any, shown: tuple[Any, tuple[Cell, ...]] | None = None) -> None:
        """Write row `i` as `row`, touching only cells whose shown values changed.

        `shown` is the same row's previous version and cells when it moved here from elsewhere (a re-sort):
        its cells are reused, not re-formatted; only the differences to what position `i` shows are written.
        """
        old_row, old_cells, old_bold = self.rows[i], self._cells[i], self._bolds[i]
        prev_row, prev_cells = shown if shown is not None else (old_row, old_cells)
        if row == prev_row:
            if shown is None and not self._live:
                return
            # "3 min ago" moves on without new data
            cells = self._cells_of_live(row, prev_cells) if self._live else prev_cells
        elif prev_row.id == row.id and self._fields_known:
            cells = self._cells_of_changed(row, prev_row, prev_cells)
        else:
            cells = self._cells_of(row)
        bold = self._is_bold(row)
        self.rows[i], self._cells[i], self._bolds[i] = row, cells, bold
        new_row = row is not old_row and row != old_row
        for c, (cell, old) in enumerate(zip(cells, old_cells, strict=True)):
            if cell == old and bold == old_bold:
                continue
            item = self.item(i, c)
            _write_cell(item, cell, old)
            if bold != old_bold:
                item.setData(self._bold_font if bold else None, Qt.ItemDataRole.FontRole)
        if new_row:
            first = self.item(i, 0)
            first.setData(row.id, ID_ROLE)
            first.setData(row, ROW_ROLE)
        self._set_visible(i, row, cells)

    def _cells_of_changed(self, row: Any, old_row: Any, old: tuple[Cell, ...]) -> tuple[Cell, ...]:
        """Re-format only the cells that show a changed attribute (an RTT update touches one cell per row)."""
        changed = {f for f in self._all_fields if getattr(row, f) != getattr(old_row, f)}
        return tuple(self._cell(col, row) if col.live or not changed.isdisjoint(col.fields or ()) else cell
                     for col, cell in zip(self.columns, old, strict=True))

    @staticmethod
    def _cell(col: Column, row: Any) -> Cell:
        return (col.text(row), col.icon(row) if col.icon else None, col.color(row) if col.color else None,
                col.tooltip(row) if col.tooltip else "")

    def _cells_of_live(self, row: Any, old: tuple[Cell, ...]) -> tuple[Cell, ...]:
        cells = list(old)
        for c in self._live:
            col = self.columns[c]
            cells[c] = (col.text(row), *cells[c][1:])  # the tooltip of a live column is the absolute time
        return tuple(cells)

    def _relayout(self, rows: list[Any]) -> None:
        """Same rows, new order: rewrite the cells and move persistent indexes (selection) with their rows."""
        self.layoutAboutToBeChanged.emit()
        new_pos = {r.id: i for i, r in enumerate(rows)}
        moved_from, moved_to = [], []
        for idx in self.persistentIndexList():
            old = self.rows[idx.row()] if 0 <= idx.row() < len(self.rows) else None
            if old is not None and old.id in new_pos:
                moved_from.append(idx)
                moved_to.append(self.index(new_pos[old.id], idx.column()))
        shown = {r.id: (r, cells) for r, cells in zip(self.rows, self._cells, strict=True)}
        blocked = self.blockSignals(True)  # the views re-read everything on layoutChanged
        try:
            for i, row in enumerate(rows):
                self._update(i, row, shown[row.id])
        finally:
            self.blockSignals(blocked)
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def _rebuild(self, rows: list[Any]) -> None:
        """Replace every row. A big table is prepared a chunk per event-loop turn (formatting 2,000 rows at
        once froze the window for 150 ms) and swapped in whole; until then the old rows stay on screen."""
        build = _Build(rows)
        if len(rows) <= SYNC_REBUILD_ROWS:
            self._prepare(build, len(rows))
            self._swap_in(build)
            return
        self._build = build
        QTimer.singleShot(0, self, lambda: self._build_step(build))

    def _build_step(self, build: _Build) -> None:
        if self._build is not build:
            return  # replaced by newer rows
        self._prepare(build, REBUILD_CHUNK_ROWS)
        if len(build.items) < len(build.rows):
            QTimer.singleShot(0, self, lambda: self._build_step(build))
            return
        self._build = None
        self._swap_in(build)

    def finish_pending(self) -> None:
        """Complete a rebuild still being prepared, now (before re-sorting or filtering it)."""
        build, self._build = self._build, None
        if build is not None:
            self._prepare(build, len(build.rows))
            self._swap_in(build)

    def _prepare(self, build: _Build, count: int) -> None:
        for row in build.rows[len(build.items):len(build.items) + count]:
            cells, bold = self._cells_of(row), self._is_bold(row)
            build.cells.append(cells)
            build.bolds.append(bold)
            build.items.append(self._items(row, cells, bold))

    def _swap_in(self, build: _Build) -> None:
        self.beginResetModel()
        blocked = self.blockSignals(True)
        try:
            self.removeRows(0, self.rowCount())
            for items in build.items:
                self.appendRow(items)
            self.rows, self._cells, self._bolds = list(build.rows), build.cells, build.bolds
        finally:
            self.blockSignals(blocked)
        self.endResetModel()


SYNC_REBUILD_ROWS = 400  # bigger tables are prepared over several event-loop turns
REBUILD_CHUNK_ROWS = 250


@dataclass
class _Build:
    """A full rebuild being prepared: the rows and, so far, their formatted cells and items."""

    rows: list[Any]
    cells: list[tuple[Cell, ...]] = field(default_factory=list)
    bolds: list[bool] = field(default_factory=list)
    items: list[list[QStandardItem]] = field(default_factory=list)


def _write_cell(item: QStandardItem, cell: Cell, old: Cell | None) -> None:
    text, icon, color, tooltip = cell
    if old is None or old[0] != text:
        item.setData(text, Qt.ItemDataRole.DisplayRole)
    if (old is None and icon is not None) or (old is not None and old[1] is not icon):
        item.setData(icon, Qt.ItemDataRole.DecorationRole)
    if (old is None and color is not None) or (old is not None and old[2] != color):
        item.setData(color, Qt.ItemDataRole.ForegroundRole)
    if (old is None and tooltip) or (old is not None and old[3] != tooltip):
        item.setData(tooltip or None, Qt.ItemDataRole.ToolTipRole)


class SortProxy(QSortFilterProxyModel):
    """Shows the rows a RowTableModel marks visible (filtered in C++ on VISIBLE_ROLE); sorting is passed on to
    the RowTableModel. The free text and the predicate are kept by the model, which re-applies them to new rows.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterRole(VISIBLE_ROLE)
        self.setFilterKeyColumn(0)
        self.setFilterFixedString("1")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            source.sort(column, order)  # the proxy keeps the source order (its own sort column stays -1)
        else:
            super().sort(column, order)

    def set_text(self, text: str) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            source.set_filter(text=text, keep_predicate=True)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            source.set_filter(predicate=predicate)


translate = QCoreApplication.translate  # by this name lupdate reads the (context, text) pairs below


def device_columns() -> list[Column]:
    """The device table: state, name, address, kind, site, RTT, loss, uptime 24 h, last change."""
    return [
        Column(translate("models", "State"), lambda d: fmt.state_name(d.state), lambda d: -SEVERITY_ORDER.get(d.state, 2),
               icon=lambda d: state_icon(d.state), tooltip=lambda d: d.last_error, fields=("state", "last_error")),
        Column(translate("models", "Name"), lambda d: d.name, icon=lambda d: kind_icon(d.kind), fields=("name", "kind")),
        Column(translate("models", "Address"), lambda d: d.address, _address_key, fields=("address",)),
        Column(translate("models", "Kind"), lambda d: fmt.kind_name(d.kind), fields=("kind",)),
        Column(translate("models", "Site"), lambda d: d.site, fields=("site",)),
        Column(translate("models", "RTT"), lambda d: fmt.ms(d.rtt_ms) if d.state in ("up", "degraded") else fmt.DASH,
               lambda d: d.rtt_ms if d.state in ("up", "degraded") else None, align_right=True,
               fields=("rtt_ms", "state")),
        Column(translate("models", "Loss"), lambda d: fmt.percent(d.loss_pct, 0), lambda d: d.loss_pct, align_right=True,
               color=lambda d: QColor("#d64545") if (d.loss_pct or 0) > 0 else None, fields=("loss_pct",)),
        Column(translate("models", "Uptime"), lambda d: fmt.percent(d.uptime_pct, 2), lambda d: d.uptime_pct, align_right=True,
               color=lambda d: _uptime_color(d.uptime_pct),
               tooltip=lambda d: translate("models", "Availability over the last 24 hours"), fields=("uptime_pct",)),
        Column(translate("models", "Last change"), lambda d: fmt.ago(d.state_since), lambda d: -(d.state_since or 0),
               tooltip=lambda d: fmt.when(d.state_since, seconds=True, zone_name=True), live=True,
               fields=("state_since",)),
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
        Column(translate("models", "#"), lambda i: str(i.if_index), lambda i: i.if_index, align_right=True,
               fields=("if_index",)),
        Column(translate("models", "Interface"), lambda i: i.name, icon=lambda i: state_icon(i.state), fields=("name", "state")),
        Column(translate("models", "Description"), lambda i: i.alias, fields=("alias",)),
        Column(translate("models", "Speed"), lambda i: fmt.speed(i.speed_bps), lambda i: i.speed_bps, align_right=True,
               fields=("speed_bps",)),
        Column(translate("models", "Status"), lambda i: f"{i.admin_status}/{i.oper_status}" if i.admin_status else i.oper_status,
               fields=("admin_status", "oper_status")),
        Column(translate("models", "In"), lambda i: fmt.bps(i.in_bps), lambda i: i.in_bps, align_right=True,
               fields=("in_bps",)),
        Column(translate("models", "Out"), lambda i: fmt.bps(i.out_bps), lambda i: i.out_bps, align_right=True,
               fields=("out_bps",)),
        Column(translate("models", "Util in"), lambda i: fmt.percent(i.util_in_pct, 1), lambda i: i.util_in_pct, align_right=True,
               fields=("util_in_pct",)),
        Column(translate("models", "Util out"), lambda i: fmt.percent(i.util_out_pct, 1), lambda i: i.util_out_pct,
               align_right=True, fields=("util_out_pct",)),
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
