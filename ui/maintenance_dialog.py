"""Maintenance windows: one-off (start/end) or weekly (days, start time, duration) for all, a device, site or group."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from nocdesk import appsettings, views

from . import fmt, services
from .icons import icon
from .ops import CollectionOp, QueryOp


class MaintenanceDialog(QDialog):
    """A list of windows on the left, the selected one's form on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Maintenance windows"))
        self.setMinimumSize(760, 440)
        self.windows: list[dict[str, Any]] = []
        self.targets: dict[str, list[tuple[int, str]]] = {}
        self.current_id: int | None = None
        self._build()
        self.reload()

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._selected)
        new = QPushButton(icon("action-add"), self.tr("&New"))
        new.clicked.connect(self.new)
        self.delete_btn = QPushButton(icon("action-delete"), self.tr("&Delete"))
        self.delete_btn.clicked.connect(self.delete)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        lb = QHBoxLayout()
        lb.addWidget(new)
        lb.addWidget(self.delete_btn)
        left.addLayout(lb)

        self.name = QLineEdit()
        self.target_type = QComboBox()
        for key, text in (("all", self.tr("Everything")), ("device", self.tr("A device")), ("site", self.tr("A site")),
                          ("group", self.tr("A group"))):
            self.target_type.addItem(text, key)
        self.target_type.currentIndexChanged.connect(self._fill_targets)
        self.target = QComboBox()
        self.one_off = QRadioButton(self.tr("Once"))
        self.weekly = QRadioButton(self.tr("Every week"))
        self.one_off.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.one_off)
        kind.addButton(self.weekly)
        self.one_off.toggled.connect(lambda on: self.when_stack.setCurrentIndex(0 if on else 1))
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.one_off)
        kind_row.addWidget(self.weekly)
        kind_row.addStretch(1)

        self.start = QDateTimeEdit()
        self.end = QDateTimeEdit()
        for e in (self.start, self.end):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
        once = QWidget()
        of = QFormLayout(once)
        of.setContentsMargins(0, 0, 0, 0)
        of.addRow(self.tr("Start"), self.start)
        of.addRow(self.tr("End"), self.end)
        self.days: list[QCheckBox] = []
        day_names = [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"),
                     self.tr("Sun")]
        days_row = QHBoxLayout()
        for name in day_names:
            cb = QCheckBox(name)
            self.days.append(cb)
            days_row.addWidget(cb)
        self.start_time = QTimeEdit()
        self.start_time.setDisplayFormat("HH:mm")
        self.duration = QSpinBox()
        self.duration.setRange(5, 24 * 60)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(self.tr(" min"))
        weekly = QWidget()
        wf = QFormLayout(weekly)
        wf.setContentsMargins(0, 0, 0, 0)
        wf.addRow(self.tr("Days"), days_row)
        wf.addRow(self.tr("Starting at"), self.start_time)
        wf.addRow(self.tr("Lasting"), self.duration)
        self.when_stack = QStackedWidget()
        self.when_stack.addWidget(once)
        self.when_stack.addWidget(weekly)
        self.zone = QComboBox()
        for tz, abbr in appsettings.TIMEZONES.items():
            self.zone.addItem(f"{abbr} ({tz})", tz)
        self.zone.currentIndexChanged.connect(lambda _i: self._set_zone(self.zone.currentData()))
        self.comment = QLineEdit()
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        save = QPushButton(self.tr("&Save window"))
        save.setDefault(True)
        save.clicked.connect(self.save)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Covers"), self.target_type)
        form.addRow("", self.target)
        form.addRow(self.tr("When"), kind_row)
        form.addRow("", self.when_stack)
        form.addRow(self.tr("Time zone"), self.zone)
        form.addRow(self.tr("Comment"), self.comment)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.error)
        right.addStretch(1)
        rb = QHBoxLayout()
        rb.addStretch(1)
        rb.addWidget(save)
        rb.addWidget(close)
        right.addLayout(rb)
        lay = QHBoxLayout(self)
        lay.addLayout(left, 2)
        lay.addSpacing(10)
        lay.addLayout(right, 3)
        self.new()

    # --- data ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        def op(store: Any) -> tuple[list[dict[str, Any]], dict[str, list[tuple[int, str]]]]:
            q = store.conn.execute
            targets = {
                "device": [(r[0], r[1]) for r in q("SELECT id, name FROM devices ORDER BY name COLLATE NOCASE")],
                "site": views.site_ids(store),
                "group": [(r[0], r[1]) for r in q("SELECT id, name FROM device_groups ORDER BY name COLLATE NOCASE")],
            }
            return views.maintenance_windows(store), targets

        QueryOp(parent=self, op=op, success=self._loaded).run_in_background()

    def _loaded(self, result: tuple[list[dict[str, Any]], dict[str, list[tuple[int, str]]]]) -> None:
        self.windows, self.targets = result
        self.list.blockSignals(True)
        self.list.clear()
        for w in self.windows:
            item = QListWidgetItem(icon("action-maintenance"), f"{w['name']}\n{self._describe(w)}")
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._fill_targets()
        for row, w in enumerate(self.windows):
            if w["id"] == self.current_id:
                self.list.setCurrentRow(row)

    def _describe(self, w: dict[str, Any]) -> str:
        what = w.get("target_name") or self.tr("everything")
        if w.get("start_ts") is not None:
            return self.tr("{what}: {start} – {end}").format(what=what, start=fmt.when(w["start_ts"]),
                                                             end=fmt.when(w["end_ts"]))
        return self.tr("{what}: weekly, {minutes} min").format(what=what, minutes=w.get("duration_min"))

    def _fill_targets(self) -> None:
        kind = self.target_type.currentData()
        current = self.target.currentData()
        self.target.clear()
        self.target.setEnabled(kind != "all")
        for ident, name in self.targets.get(kind, []):
            self.target.addItem(name, ident)
        if current is not None:
            self.target.setCurrentIndex(max(0, self.target.findData(current)))

    def new(self) -> None:
        self.current_id = None
        self.list.clearSelection()
        self.name.clear()
        self.comment.clear()
        self._set_zone(fmt.zone().key)
        now = QDateTime.currentDateTime().toTimeZone(self._tz())
        self.start.setDateTime(now)
        self.end.setDateTime(now.addSecs(2 * 3600))
        self.start_time.setTime(QTime(22, 0))
        self.duration.setValue(120)
        for cb in self.days:
            cb.setChecked(False)
        self.one_off.setChecked(True)
        self.target_type.setCurrentIndex(0)
        self.error.clear()

    def _selected(self, row: int) -> None:
        if row < 0 or row >= len(self.windows):
            return
        w = self.windows[row]
        self.current_id = w["id"]
        self.name.setText(w["name"])
        self.comment.setText(w["comment"])
        self.target_type.setCurrentIndex(max(0, self.target_type.findData(w["target_type"])))
        self._fill_targets()
        if w["target_id"] is not None:
            self.target.setCurrentIndex(max(0, self.target.findData(w["target_id"])))
        self._set_zone(w["timezone"])
        if w["start_ts"] is not None:
            self.one_off.setChecked(True)
            self.start.setDateTime(QDateTime.fromSecsSinceEpoch(w["start_ts"], self._tz()))
            self.end.setDateTime(QDateTime.fromSecsSinceEpoch(w["end_ts"], self._tz()))
        else:
            self.weekly.setChecked(True)
            days = {int(d) for d in (w["weekdays"] or "").split(",") if d.strip().isdigit()}
            for i, cb in enumerate(self.days):
                cb.setChecked(i in days)
            minute = w["start_minute"] or 0
            self.start_time.setTime(QTime(minute // 60, minute % 60))
            self.duration.setValue(w["duration_min"] or 60)

    def _tz(self) -> QTimeZone:
        return QTimeZone((self.zone.currentData() or fmt.zone().key).encode())

    def _set_zone(self, tz: str) -> None:
        """One-off times are typed in the window's own zone (WIB/WITA/WIT), not the workstation's."""
        self.zone.setCurrentIndex(max(0, self.zone.findData(tz)))
        for edit in (self.start, self.end):
            edit.setTimeZone(self._tz())

    def window(self) -> dict[str, Any]:
        """The form as a maintenance_windows row."""
        kind = self.target_type.currentData()
        w: dict[str, Any] = {"name": self.name.text().strip(), "target_type": kind,
                             "target_id": None if kind == "all" else self.target.currentData(),
                             "timezone": self.zone.currentData(), "comment": self.comment.text().strip(),
                             "created_by": services.current_user(), "start_ts": None, "end_ts": None,
                             "weekdays": None, "start_minute": None, "duration_min": None}
        if self.current_id is not None:
            w["id"] = self.current_id
        if self.one_off.isChecked():
            w["start_ts"] = self.start.dateTime().toSecsSinceEpoch()
            w["end_ts"] = self.end.dateTime().toSecsSinceEpoch()
        else:
            w["weekdays"] = ",".join(str(i) for i, cb in enumerate(self.days) if cb.isChecked())
            t = self.start_time.time()
            w["start_minute"] = t.hour() * 60 + t.minute()
            w["duration_min"] = self.duration.value()
        return w

    def save(self) -> None:
        w = self.window()
        self.error.clear()

        def saved(window_id: int) -> None:
            self.current_id = window_id
            self.reload()

        CollectionOp(parent=self, op=lambda s: services.save_maintenance(s, w), success=saved) \
            .failure(lambda err: self.error.setText(str(err))).run_in_background()

    def delete(self) -> None:
        if self.current_id is None:
            return
        window_id = self.current_id
        CollectionOp(parent=self, op=lambda s: services.delete_maintenance(s, window_id),
                     success=lambda _r: (self.new(), self.reload())).run_in_background()
