"""Alerts and the event log: filter by severity, site and time; acknowledge with a comment; jump to the device."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nocdesk import views

from . import services
from .icons import icon
from .models import ROW_ROLE, RowTableModel, SortProxy, alert_columns, event_columns
from .ops import CollectionOp, QueryOp

SINCE_S = {"1h": 3600, "24h": 86400, "7d": 7 * 86400, "30d": 30 * 86400, "all": None}


class AckDialog(QDialog):
    """Ask for the comment that goes with an acknowledgement."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Acknowledge alert"))
        self.setMinimumWidth(440)
        text = QLabel(message)
        text.setWordWrap(True)
        text.setObjectName("sectionTitle")
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr("What is being done, e.g. 'Fiber crew dispatched, ETA 14.00'"))
        self.comment.setFixedHeight(90)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Acknowledge"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(QLabel(self.tr("Comment")))
        lay.addWidget(self.comment)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.comment.toPlainText().strip()


def _table(model: Any, proxy: SortProxy) -> QTableView:
    proxy.setSourceModel(model)
    t = QTableView()
    t.setModel(proxy)
    t.setSortingEnabled(True)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.setShowGrid(False)
    t.setWordWrap(False)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(26)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return t


def _set_widths(table: QTableView, widths: tuple[int, ...]) -> None:
    """Column widths, never narrower than the (bold) header text plus the sort arrow."""
    font = QFont(table.horizontalHeader().font())
    font.setBold(True)  # the style sheet makes headers bold
    fm = QFontMetrics(font)
    model = table.model()
    for col, width in enumerate(widths):
        title = str(model.headerData(col, Qt.Orientation.Horizontal))
        table.setColumnWidth(col, max(width, fm.horizontalAdvance(title) * 110 // 100 + 30))


class EventsView(QWidget):
    """Two tabs (alerts, event log) under one filter bar."""

    device_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._again = False
        self._sites_loaded = False
        self._build()

    def _build(self) -> None:
        self.severity = QComboBox()
        self.severity.addItem(self.tr("All severities"), ())
        self.severity.addItem(self.tr("Critical"), ("critical",))
        self.severity.addItem(self.tr("Critical and warning"), ("critical", "warning"))
        self.severity.addItem(self.tr("Info and above"), ("critical", "warning", "info"))
        self.site = QComboBox()
        self.site.addItem(self.tr("All sites"), None)
        self.since = QComboBox()
        for key, text in (("1h", self.tr("Last hour")), ("24h", self.tr("Last 24 hours")), ("7d", self.tr("Last 7 days")),
                          ("30d", self.tr("Last 30 days")), ("all", self.tr("All time"))):
            self.since.addItem(text, key)
        self.since.setCurrentIndex(2)
        self.status = QComboBox()
        self.status.addItem(self.tr("Open and acknowledged"), ("open", "acknowledged"))
        self.status.addItem(self.tr("Open only"), ("open",))
        self.status.addItem(self.tr("All, with resolved"), ())
        for box in (self.severity, self.site, self.since, self.status):
            box.currentIndexChanged.connect(self.reload)
        self.ack_btn = QPushButton(icon("action-ack"), self.tr("&Acknowledge…"))
        self.ack_btn.clicked.connect(self.acknowledge_selected)
        self.goto_btn = QToolButton()
        self.goto_btn.setText(self.tr("Go to device"))
        self.goto_btn.clicked.connect(self.goto_selected)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        for w in (QLabel(self.tr("Show")), self.severity, self.site, self.since, self.status):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.goto_btn)
        bar.addWidget(self.ack_btn)

        self.alert_model = RowTableModel(alert_columns(), self)
        self.alert_model.set_bold(lambda a: a.status == "open")
        self.alert_proxy = SortProxy(self)
        self.alert_table = _table(self.alert_model, self.alert_proxy)
        self.alert_table.setObjectName("alertTable")
        self.alert_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        _set_widths(self.alert_table, (80, 110, 150, 170, 140, 380))
        self.alert_table.doubleClicked.connect(lambda _i: self.goto_selected())
        self.alert_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.event_model = RowTableModel(event_columns(), self)
        self.event_proxy = SortProxy(self)
        self.event_table = _table(self.event_model, self.event_proxy)
        self.event_table.setObjectName("eventTable")
        self.event_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        _set_widths(self.event_table, (150, 80, 110, 170, 130))
        self.event_table.doubleClicked.connect(lambda _i: self.goto_selected())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.alert_table, icon("action-events"), self.tr("Alerts"))
        self.tabs.addTab(self.event_table, self.tr("Event log"))
        self.tabs.currentChanged.connect(lambda _i: self._update_buttons())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 6)
        lay.setSpacing(8)
        lay.addLayout(bar)
        lay.addWidget(self.tabs, 1)
        self._update_buttons()

    def filter(self) -> views.Filter:
        since = SINCE_S[self.since.currentData()]
        return views.Filter(severities=self.severity.currentData() or (), site_id=self.site.currentData(),
                            since_ts=None if since is None else int(time.time()) - since,
                            statuses=self.status.currentData() or ())

    def reload(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        flt = self.filter()
        alert_flt = views.Filter(**{**flt.__dict__})
        if flt.statuses and set(flt.statuses) <= {"open", "acknowledged"}:
            alert_flt.since_ts = None  # an alert still open is shown however old it is

        def op(store: Any) -> tuple[list[views.AlertRow], list[views.EventRow], list[tuple[int, str]]]:
            return views.alerts(store, alert_flt), views.events(store, flt), views.site_ids(store)

        QueryOp(parent=self, op=op, success=self._loaded).run_in_background()

    def _loaded(self, result: tuple[list[views.AlertRow], list[views.EventRow], list[tuple[int, str]]]) -> None:
        self._loading = False
        alerts, events, sites = result
        self.alert_model.set_rows(alerts)
        self.event_model.set_rows(events)
        open_n = sum(1 for a in alerts if a.status == "open")
        self.tabs.setTabText(0, self.tr("Alerts ({n} open)").format(n=open_n))
        self._fill_sites(sites)
        self._update_buttons()
        if self._again:
            self._again = False
            self.reload()

    def _fill_sites(self, sites: list[tuple[int, str]]) -> None:
        have = [self.site.itemData(i) for i in range(1, self.site.count())]
        if have == [s[0] for s in sites]:
            return
        current = self.site.currentData()
        self.site.blockSignals(True)
        self.site.clear()
        self.site.addItem(self.tr("All sites"), None)
        for site_id, name in sites:
            self.site.addItem(name, site_id)
        self.site.setCurrentIndex(max(0, self.site.findData(current)))
        self.site.blockSignals(False)

    def _selected(self) -> Any:
        table = self.alert_table if self.tabs.currentIndex() == 0 else self.event_table
        rows = table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update_buttons(self) -> None:
        row = self._selected()
        self.ack_btn.setEnabled(self.tabs.currentIndex() == 0 and row is not None and row.status == "open")
        self.goto_btn.setEnabled(row is not None and row.device_id is not None)

    def select_alert(self, alert_id: int) -> None:
        self.tabs.setCurrentIndex(0)
        for r in range(self.alert_proxy.rowCount()):
            if self.alert_proxy.index(r, 0).data(ROW_ROLE).id == alert_id:
                self.alert_table.selectRow(r)
                return

    def goto_selected(self) -> None:
        row = self._selected()
        if row is not None and row.device_id is not None:
            self.device_requested.emit(row.device_id)

    def acknowledge_selected(self) -> None:
        row = self._selected()
        if row is None or getattr(row, "status", "") != "open":
            return
        dlg = AckDialog(row.message, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        self.acknowledge(row.id, dlg.text())

    def acknowledge(self, alert_id: int, comment: str) -> None:
        user = services.current_user()
        CollectionOp(parent=self, op=lambda store: services.acknowledge(store, alert_id, user=user, comment=comment),
                     success=lambda _r: self.reload()).run_in_background()
