"""The sidebar: a tree of site kinds, sites and groups, each row with small coloured per-state counts."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from nocdesk.views import TreeNode

from .icons import state_color
from .models import COUNTS_ROLE, KEY_ROLE, SiteTreeModel

# The pills shown, worst first; 'up' is shown as the total.
PILL_STATES = ("down", "unreachable", "degraded", "maintenance", "unknown")


class CountsDelegate(QStyledItemDelegate):
    """Draws the node's name, then pills: one per non-zero bad state, then up/total in grey."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), 24))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        counts: dict[str, int] = index.data(COUNTS_ROLE) or {}
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        pills = [(s, counts.get(s, 0)) for s in PILL_STATES if counts.get(s, 0)]
        total = sum(counts.values())
        fm = QFontMetrics(opt.font)
        widths = [fm.horizontalAdvance(str(n)) + 10 for _s, n in pills]
        total_text = f"{counts.get('up', 0)}/{total}"
        total_w = fm.horizontalAdvance(total_text) + 6
        reserved = sum(widths) + 4 * len(widths) + total_w + 6
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget) if style else opt.rect
        text_rect = text_rect.adjusted(0, 0, -reserved, 0)
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.setPen(opt.palette.highlightedText().color() if selected else opt.palette.text().color())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         fm.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()))
        x = opt.rect.right() - reserved + 4
        h = fm.height() + 2
        y = opt.rect.top() + (opt.rect.height() - h) // 2
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for (state, n), w in zip(pills, widths, strict=False):
            rect = QRect(x, y, w, h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(state_color(state))
            painter.drawRoundedRect(rect, h / 2, h / 2)
            painter.setPen(QColor("white"))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(n))
            x += w + 4
        painter.setPen(opt.palette.highlightedText().color() if selected else QColor("#6b7785"))
        painter.drawText(QRect(x, y, total_w, h), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                         total_text)
        painter.restore()


class SiteTree(QTreeView):
    """Selecting a node emits its key ('all', 'site:3', 'group:2', 'sitekind:kecamatan', 'nosite')."""

    scope_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree_model = SiteTreeModel(self)
        self.setModel(self.tree_model)
        self.setHeaderHidden(True)
        self.setItemDelegate(CountsDelegate(self))
        self.setUniformRowHeights(True)
        self.setAnimated(True)
        self.setIndentation(14)
        self.setMinimumWidth(236)
        self.setObjectName("siteTree")
        self.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self._scope = "all"

    @property
    def scope(self) -> str:
        return self._scope

    def set_tree(self, root: TreeNode) -> None:
        expanded = {self.tree_model.data(i, KEY_ROLE) for i in self._all_indexes() if self.isExpanded(i)}
        first = not self.tree_model.rowCount()
        if self.tree_model.set_tree(root):
            for idx in self._all_indexes():
                key = self.tree_model.data(idx, KEY_ROLE)
                if first or key in expanded or key == "all":
                    self.expand(idx)
            current = self.tree_model.index_of(self._scope)
            self.blockSignals(True)
            self.setCurrentIndex(current if current.isValid() else self.tree_model.index_of("all"))
            self.blockSignals(False)

    def _all_indexes(self) -> list[QModelIndex]:
        out = []
        stack = [self.tree_model.index(r, 0) for r in range(self.tree_model.rowCount())]
        while stack:
            idx = stack.pop()
            out.append(idx)
            stack.extend(self.tree_model.index(r, 0, idx) for r in range(self.tree_model.rowCount(idx)))
        return out

    def select_key(self, key: str) -> None:
        idx = self.tree_model.index_of(key)
        if idx.isValid():
            self.setCurrentIndex(idx)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.tree_model.data(current, KEY_ROLE) if current.isValid() else "all"
        if key and key != self._scope:
            self._scope = key
            self.scope_changed.emit(key)
