"""The delivery log: what nocdesk sent (or tried to send) on each channel, newest first, with the last error."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nocdesk.notify.queue import STATUSES, Delivery, history

from . import fmt
from .ops import QueryOp, open_with_runner

LIMIT = 500
COLUMNS = ("time", "channel", "recipient", "subject", "status", "attempts", "error")
STATUS_COLOURS = {"failed": "#c0392b", "queued": "#b9770e", "dropped": "#7f8c8d"}


class DeliveryLogDialog(QDialog):
    """Recent rows of the delivery queue, filtered by channel and status; Refresh reads them again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Delivery log"))
        self.resize(980, 480)
        self.rows: list[Delivery] = []
        self._asked = 0  # filters change faster than reads finish: only the newest read is shown
        self.channel_names = {"email": self.tr("E-mail"), "telegram": "Telegram", "webhook": "Webhook",
                              "desktop": self.tr("Desktop")}
        self.channel = QComboBox()
        self.channel.addItem(self.tr("All channels"), "")
        for key, text in self.channel_names.items():
            self.channel.addItem(text, key)
        self.status = QComboBox()
        self.status.addItem(self.tr("Any status"), "")
        for key in STATUSES:
            self.status.addItem(self.status_name(key), key)
        for box in (self.channel, self.status):
            box.currentIndexChanged.connect(self.reload)
        refresh = QPushButton(self.tr("&Refresh"))
        refresh.clicked.connect(self.reload)
        self.count = QLabel()
        self.count.setObjectName("dimText")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Channel")))
        top.addWidget(self.channel)
        top.addWidget(QLabel(self.tr("Status")))
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.count)
        top.addWidget(refresh)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Channel"), self.tr("Recipient"),
                                              self.tr("Message"), self.tr("Status"), self.tr("Attempts"),
                                              self.tr("Last error")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        head = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(COLUMNS.index("subject"), QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(COLUMNS.index("error"), QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.detail)
        lay.addLayout(bottom)
        self.reload()

    def status_name(self, status: str) -> str:
        return {"queued": self.tr("waiting"), "sent": self.tr("delivered"), "failed": self.tr("failed"),
                "dropped": self.tr("dropped")}.get(status, status)

    def reload(self) -> None:
        channel, status = self.channel.currentData() or None, self.status.currentData() or None
        self._asked += 1
        asked = self._asked
        QueryOp(parent=self, op=lambda store: history(store, limit=LIMIT, channel=channel, status=status),
                success=lambda rows: self.show_rows(rows) if asked == self._asked else None).run_in_background()

    def show_rows(self, rows: list[Delivery]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            subject = (d.subject or str(d.payload.get("summary") or "")).removeprefix("[nocdesk] ")
            if d.alert_id:
                subject = f"#{d.alert_id} {subject}"
            cells = (fmt.when(d.sent_at or d.created_at, seconds=True), self.channel_names.get(d.channel, d.channel),
                     d.recipient or "—", subject,
                     self.status_name(d.status), str(d.attempts), d.last_error or "")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (COLUMNS.index("subject"), COLUMNS.index("error")) and text:
                    item.setToolTip(text)
                if c == COLUMNS.index("attempts"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == COLUMNS.index("status") and d.status in STATUS_COLOURS:
                    item.setForeground(QColor(STATUS_COLOURS[d.status]))
                self.table.setItem(r, c, item)
        self.count.setText(self.tr("{n} shown (newest first)").format(n=len(rows)))
        self._selected()

    def _selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        d = self.rows[min(rows)] if rows and min(rows) < len(self.rows) else None
        self.detail.setText(d.last_error if d is not None and d.last_error else "")


def open_delivery_log(parent: QWidget | None, db_path: Path | str | None = None) -> DeliveryLogDialog:
    """Show the delivery log (non-modal); with `db_path` it also works without the app's op runner."""
    return open_with_runner(lambda: DeliveryLogDialog(parent), db_path)
