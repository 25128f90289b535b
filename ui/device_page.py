"""A device's page: header, range buttons, uptime timeline with availability, charts and interface table."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nocdesk import device_view
from nocdesk.device_view import CHART_ORDER, DevicePageData

from . import fmt, services
from .charts import ChartSpec, ChartStack, Line, TimelineBar, TimelineLegend
from .icons import icon, kind_icon, state_color
from .models import ROW_ROLE, RowTableModel, SortProxy, interface_columns
from .ops import CollectionOp, QueryOp
from .range_bar import build_range_bar

RANGES_S = {"1h": 3600, "24h": 86400, "7d": 7 * 86400, "30d": 30 * 86400, "1y": 365 * 86400}


def line_names() -> dict[str, str]:
    """Readable names of sensor kinds for legends and the read-out."""
    from PySide6.QtCore import QCoreApplication

    translate = QCoreApplication.translate  # by this name lupdate reads the (context, text) pairs
    return {"rtt_ms": translate("DevicePage", "RTT"), "jitter_ms": translate("DevicePage", "Jitter"),
            "loss_pct": translate("DevicePage", "Loss"), "in_bps": translate("DevicePage", "In"),
            "out_bps": translate("DevicePage", "Out"), "cpu_pct": translate("DevicePage", "CPU"),
            "mem_pct": translate("DevicePage", "Memory"), "memory_pct": translate("DevicePage", "Memory"),
            "rx_dbm": translate("DevicePage", "Rx"), "tx_dbm": translate("DevicePage", "Tx"),
            "in_errors_ps": translate("DevicePage", "In errors"), "out_errors_ps": translate("DevicePage", "Out errors"),
            "in_discards_ps": translate("DevicePage", "In discards"),
            "out_discards_ps": translate("DevicePage", "Out discards"),
            "temperature_c": translate("DevicePage", "Temperature"), "temp_c": translate("DevicePage", "Temperature"),
            "radio_dbm": translate("DevicePage", "Signal"), "sessions": translate("DevicePage", "Sessions")}


def build_specs(data: DevicePageData, names: dict[str, str] | None = None) -> list[ChartSpec]:
    """Chart specs (numpy arrays) from a device page read; runs in the worker, titles are set on the GUI side."""
    by_chart: dict[str, list[device_view.Series]] = {}
    for s in data.series:
        by_chart.setdefault(s.sensor.chart, []).append(s)
    speed = next((i.speed_bps for i in data.detail.interfaces if i.id == data.interface_id), None)
    names = names or {}
    specs = []
    for key in (*CHART_ORDER, "other"):
        series = by_chart.get(key)
        if not series:
            continue
        unit = series[0].sensor.unit or next((u for _n, k, u in device_view.CHART_RULES if k == key), "")
        if key == "traffic":
            unit = "bit/s"
        lines = []
        for s in series:
            name = names.get(s.sensor.kind, s.sensor.kind)
            if s.sensor.label:
                name = f"{name} {s.sensor.label}" if s.sensor.kind in names else s.sensor.label
            lines.append(Line(name, s.sensor.kind, np.asarray(s.ts, dtype=float), np.asarray(s.avg, dtype=float),
                              None if s.min is None else np.asarray(s.min, dtype=float),
                              None if s.max is None else np.asarray(s.max, dtype=float)))
        specs.append(ChartSpec(key, key, unit, lines, speed_bps=float(speed) if key == "traffic" and speed else None))
    return specs


class CustomRangeDialog(QDialog):
    """Pick a start and end date-time for the charts."""

    def __init__(self, start_ts: int, end_ts: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Custom range"))
        self.start = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(start_ts))
        self.end = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(end_ts))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        form = QFormLayout(self)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def range(self) -> tuple[int, int]:
        return self.start.dateTime().toSecsSinceEpoch(), self.end.dateTime().toSecsSinceEpoch()


class DevicePage(QWidget):
    """Everything about one device; reloads off the GUI thread when the range, interface or data change."""

    back_requested = Signal()
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    backups_requested = Signal(int)
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.device_id: int | None = None
        self.interface_id: int | None = None
        self.range_key = "24h"
        self.custom: tuple[int, int] | None = None
        self.data: DevicePageData | None = None
        self._loading = False
        self._again = False
        self._again_force = False
        self._stamp: tuple | None = None
        self._build()

    # --- layout ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        back = QToolButton()
        back.setIcon(icon("action-back"))
        back.setToolTip(self.tr("Back to the device list (Esc)"))
        back.setShortcut(Qt.Key.Key_Escape)
        back.clicked.connect(self.back_requested)
        self.kind_label = QLabel()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.state_chip = QLabel()
        self.state_chip.setObjectName("stateChip")
        self.edit_btn = QPushButton(icon("action-edit"), self.tr("Edit…"))
        self.edit_btn.clicked.connect(lambda: self.device_id and self.edit_requested.emit(self.device_id))
        self.check_btn = QPushButton(icon("action-refresh"), self.tr("Check now"))
        self.check_btn.setToolTip(self.tr("Ask the polling engine to check this device at once"))
        self.check_btn.clicked.connect(self.check_now)
        self.backups_btn = QPushButton(icon("action-backup"), self.tr("Config backups…"))
        self.backups_btn.setToolTip(self.tr("Saved configurations of this device, differences, back up now"))
        self.backups_btn.clicked.connect(lambda: self.device_id and self.backups_requested.emit(self.device_id))
        self.delete_btn = QPushButton(icon("action-delete"), self.tr("Remove"))
        self.delete_btn.clicked.connect(lambda: self.device_id and self.delete_requested.emit(self.device_id))
        top = QHBoxLayout()
        top.setSpacing(8)
        for w in (back, self.kind_label, self.title, self.state_chip):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.check_btn)
        top.addWidget(self.backups_btn)
        top.addWidget(self.edit_btn)
        top.addWidget(self.delete_btn)

        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(18)
        self.facts.setVerticalSpacing(2)
        self._fact_labels: dict[str, QLabel] = {}
        names = [("address", self.tr("Address")), ("kind", self.tr("Kind")), ("site", self.tr("Site")),
                 ("parent", self.tr("Parent")), ("rtt", self.tr("RTT")), ("loss", self.tr("Loss")),
                 ("since", self.tr("State since")), ("checked", self.tr("Last check")),
                 ("sysname", self.tr("sysName")), ("profile", self.tr("Profile")), ("uptime", self.tr("Device uptime")),
                 ("descr", self.tr("sysDescr"))]
        for n, (key, label) in enumerate(names):
            cap = QLabel(label)
            cap.setObjectName("factCaption")
            val = QLabel()
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setObjectName("factValue")
            val.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self._fact_labels[key] = val
            row, col = divmod(n, 4)
            self.facts.addWidget(cap, row * 2, col)
            self.facts.addWidget(val, row * 2 + 1, col)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        labels = {"1h": self.tr("1 h"), "24h": self.tr("24 h"), "7d": self.tr("7 d"), "30d": self.tr("30 d"),
                  "1y": self.tr("1 y"), "custom": self.tr("Custom…")}
        rb = build_range_bar(self, labels, self.range_key, self.set_range)
        self.range_group, self.range_buttons = rb.group, rb.buttons
        self.resolution_label, self.avail_label = rb.resolution_label, rb.avail_label
        self.timeline = TimelineBar()

        self.charts = ChartStack()
        # `loaded` means: the newest read is on screen, every chart included.
        self.charts.drawn.connect(lambda: None if self._loading or self._again else self.loaded.emit())
        self.if_model = RowTableModel(interface_columns(), self)
        self.if_proxy = SortProxy(self)
        self.if_proxy.setSourceModel(self.if_model)
        self.if_table = QTableView()
        self.if_table.setModel(self.if_proxy)
        self.if_table.setSortingEnabled(True)
        self.if_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.if_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.if_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.if_table.verticalHeader().hide()
        self.if_table.verticalHeader().setDefaultSectionSize(24)
        self.if_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.if_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        fm = self.if_table.fontMetrics()
        for col, width in enumerate((44, 190, 160, 90, 90, 100, 100, 70, 70)):  # at least the (bold) header text
            title = str(self.if_table.model().headerData(col, Qt.Orientation.Horizontal))
            self.if_table.setColumnWidth(col, max(width, fm.horizontalAdvance(title) * 108 // 100 + 24))
        self.if_table.setAlternatingRowColors(True)
        self.if_table.clicked.connect(self._interface_clicked)
        self.if_caption = QLabel(self.tr("Interfaces (click one to chart its traffic)"))
        self.if_caption.setObjectName("sectionTitle")
        if_box = QWidget()
        if_lay = QVBoxLayout(if_box)
        if_lay.setContentsMargins(0, 6, 0, 0)
        if_lay.addWidget(self.if_caption)
        if_lay.addWidget(self.if_table)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("deviceSplitter")
        self.splitter.addWidget(self.charts)
        self.splitter.addWidget(if_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 200])

        header = QFrame()
        header.setObjectName("pageHeader")
        hl = QVBoxLayout(header)
        hl.setContentsMargins(12, 10, 12, 10)
        hl.setSpacing(8)
        hl.addLayout(top)
        hl.addLayout(self.facts)
        hl.addWidget(self.error_label)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 6)
        lay.setSpacing(8)
        lay.addWidget(header)
        lay.addLayout(rb.layout)
        lay.addWidget(self.timeline)
        lay.addWidget(TimelineLegend())
        lay.addWidget(self.splitter, 1)
        self._clock = QTimer(self)  # keeps "now"-anchored ranges moving even without new data
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self.reload)
        self._clock.start()

    # --- loading -----------------------------------------------------------------------------------------

    def show_device(self, device_id: int) -> None:
        if device_id != self.device_id:
            self.interface_id = None
            self.data = None
        self.device_id = device_id
        self.reload()

    def set_range(self, key: str) -> None:
        if key == "custom":
            end = int(time.time())
            start, stop = self.custom or (end - RANGES_S.get(self.range_key, 86400), end)
            dlg = CustomRangeDialog(start, stop, self)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                self.range_buttons[self.range_key].setChecked(True)
                return
            a, b = dlg.range()
            if b <= a:
                self.range_buttons[self.range_key].setChecked(True)
                return
            self.custom = (a, b)
        self.range_key = key
        self.range_buttons[key].setChecked(True)
        self.reload()

    def current_range(self) -> tuple[int, int]:
        if self.range_key == "custom" and self.custom:
            return self.custom
        now = int(time.time())
        return now - RANGES_S[self.range_key], now

    def reload(self, *, force: bool = True) -> None:
        """Read the page again off the GUI thread; a request during a read is merged into one more read.

        force=False (the main window's "the store changed" call) first compares a cheap fingerprint of the
        device and skips the read and redraw when this device did not change: with 500 devices the store
        changes every second, one device only once per polling interval.
        """
        if self.device_id is None or (not self.isVisible() and self.data is not None):
            return
        if self._loading:
            self._again = True
            self._again_force = self._again_force or force
            return
        self._loading = True
        device_id, interface_id = self.device_id, self.interface_id
        start, end = self.current_range()
        max_points = device_view.DEFAULT_MAX_POINTS
        names = line_names()
        last_stamp = None if force or self.data is None else self._stamp

        def op(store: object) -> tuple[DevicePageData | None, list[ChartSpec], tuple | None] | None:
            stamp = device_view.device_stamp(store, device_id)  # type: ignore[arg-type]
            if last_stamp is not None and stamp == last_stamp:
                return None
            data = device_view.device_page(store, device_id, start, end, interface_id=interface_id,  # type: ignore[arg-type]
                                           max_points=max_points)
            return data, (build_specs(data, names) if data else []), stamp

        QueryOp(parent=self, op=op, success=lambda result: self._loaded(result, interface_id)) \
            .failure(self._failed).run_in_background()

    def _failed(self, err: Exception) -> None:
        self._loading = False
        self.error_label.setText(str(err))
        self.error_label.show()

    def _loaded(self, result: tuple[DevicePageData | None, list[ChartSpec], tuple | None] | None,
                requested_if: int | None) -> None:
        self._loading = False
        if result is None:  # unchanged since the last read: what is on screen is current
            if self._again:
                self._reload_again()
            elif not self.charts.building:
                self.loaded.emit()
            return
        data, specs, self._stamp = result
        if data is None:
            self.back_requested.emit()  # the device was removed
            return
        if data.detail.device["id"] == self.device_id:
            self.data = data
            if self.interface_id == requested_if:  # else the user picked another one meanwhile: keep that
                self.interface_id = data.interface_id
            self._show(data, specs)
        self._reload_again()

    def _reload_again(self) -> None:
        if self._again:
            force, self._again, self._again_force = self._again_force, False, False
            self.reload(force=force)

    # --- drawing -----------------------------------------------------------------------------------------

    def _chart_titles(self) -> dict[str, str]:
        return {"latency": self.tr("Latency"), "loss": self.tr("Loss"), "traffic": self.tr("Traffic"),
                "errors": self.tr("Errors"), "cpu": self.tr("CPU"), "memory": self.tr("Memory"),
                "optical": self.tr("Optical"), "temperature": self.tr("Temp."), "radio": self.tr("Radio signal"),
                "sessions": self.tr("Sessions"), "other": self.tr("Other")}

    def _show(self, data: DevicePageData, specs: list[ChartSpec]) -> None:
        d = data.detail.device
        self.kind_label.setPixmap(kind_icon(d["kind"]).pixmap(28, 28))
        self.title.setText(d["name"])
        color = state_color(d["state"]).name()
        self.state_chip.setText(fmt.state_name(d["state"]))
        self.state_chip.setStyleSheet(f"background:{color}; color:white; border-radius:9px; padding:2px 10px;"
                                      "font-weight:600;")
        f = self._fact_labels
        f["address"].setText(d["address"])
        f["kind"].setText(fmt.kind_name(d["kind"]))
        f["site"].setText(d.get("site") or fmt.DASH)
        f["parent"].setText(d.get("parent") or fmt.DASH)
        f["rtt"].setText(fmt.ms(d["last_rtt_ms"]))
        f["loss"].setText(fmt.percent(d["last_loss_pct"], 0))
        f["since"].setText(fmt.when(d["state_since"], zone_name=True) if d["state_since"] else fmt.DASH)
        f["checked"].setText(fmt.ago(d["last_check_at"]))
        f["sysname"].setText(d["sys_name"] or fmt.DASH)
        f["profile"].setText(d["matched_profile"] or d["profile"] or fmt.DASH)
        f["uptime"].setText(fmt.duration(d["uptime_s"]) if d["uptime_s"] else fmt.DASH)
        descr = (d["sys_descr"] or fmt.DASH).splitlines()[0][:90]
        f["descr"].setText(descr)
        f["descr"].setToolTip(d["sys_descr"] or "")
        self.error_label.setVisible(bool(d["last_error"]) and d["state"] != "up")
        self.error_label.setText(d["last_error"] or "")
        self.timeline.set_segments(data.segments, data.start_ts, data.end_ts)
        self.avail_label.setText(self.tr("Availability: {pct}").format(pct=fmt.percent(data.availability_pct, 3)))
        resolutions = sorted({s.resolution for s in data.series})
        self.resolution_label.setText(self.tr("one point per {res}").format(res=", ".join(resolutions))
                                      if resolutions and resolutions != [""] else "")
        titles = self._chart_titles()
        for spec in specs:
            spec.title = titles.get(spec.key, spec.key)
        self.charts.set_charts(specs, data.start_ts, data.end_ts)
        self.if_model.set_rows(data.detail.interfaces)
        self._select_interface(data.interface_id)

    def _select_interface(self, interface_id: int | None) -> None:
        for row in range(self.if_proxy.rowCount()):
            idx = self.if_proxy.index(row, 0)
            if idx.data(ROW_ROLE).id == interface_id:
                if self.if_table.currentIndex().row() != row:
                    self.if_table.selectRow(row)
                    self.if_table.scrollTo(idx)
                return

    def check_now(self) -> None:
        if self.device_id is None:
            return
        device_id = self.device_id
        self.check_btn.setEnabled(False)
        QTimer.singleShot(3000, lambda: self.check_btn.setEnabled(True))
        CollectionOp(parent=self, op=lambda store: services.request_poll_now(store, device_id),  # type: ignore[arg-type]
                     success=lambda _r: None).run_in_background()

    def _interface_clicked(self, index: object) -> None:
        row = self.if_proxy.index(index.row(), 0).data(ROW_ROLE)  # type: ignore[attr-defined]
        if row is not None and row.id != self.interface_id:
            self.interface_id = row.id
            self.reload()
