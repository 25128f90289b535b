"""A link's page: both ends side by side (device, port, state, speed, traffic, optics), the link's state
timeline with availability, and its traffic, utilisation, errors and optical power history."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nocdesk import link_view
from nocdesk.device_view import Series
from nocdesk.link_view import LinkEnd, LinkPageData

from . import fmt
from .charts import ChartSpec, ChartStack, Line, TimelineBar, TimelineLegend
from .icons import icon, kind_icon, state_color
from .ops import QueryOp
from .range_bar import build_range_bar

RANGES_S = {"1h": 3600, "24h": 86400, "7d": 7 * 86400, "30d": 30 * 86400}
ERROR_KINDS = ("in_errors_ps", "out_errors_ps", "in_discards_ps", "out_discards_ps")


def _line(name: str, kind: str, s: Series, scale: float = 1.0) -> Line:
    return Line(name, kind, np.asarray(s.ts, dtype=float), np.asarray(s.avg, dtype=float) * scale,
                None if s.min is None else np.asarray(s.min, dtype=float) * scale,
                None if s.max is None else np.asarray(s.max, dtype=float) * scale)


def build_link_specs(data: LinkPageData, names: dict[str, str]) -> list[ChartSpec]:
    """Chart specs of a link (numpy arrays, built in the worker); titles are set on the GUI side."""
    a, b = data.detail.a.device, data.detail.b.device
    capacity = data.detail.capacity_bps
    # Traffic in each direction, from whichever end counts it: A's out is B's in.
    forward = data.of("out_bps", "a") or data.of("in_bps", "b")
    backward = data.of("in_bps", "a") or data.of("out_bps", "b")
    directions = [(f"{a} → {b}", "out", s) for s in (forward,) if s] + [(f"{b} → {a}", "in", s) for s in (backward,) if s]
    specs: list[ChartSpec] = []
    if directions:
        specs.append(ChartSpec("traffic", "traffic", "bit/s", [_line(n, f"{k}_bps", s) for n, k, s in directions],
                               speed_bps=float(capacity) if capacity else None))
        if capacity:
            specs.append(ChartSpec("utilisation", "utilisation", "%",
                                   [_line(n, f"{k}_util", s, 100.0 / capacity) for n, k, s in directions]))
    errors = [_line(f"{end.device} {names.get(kind, kind)}", f"{end.side}:{kind}", s)
              for end in (data.detail.a, data.detail.b) for kind in ERROR_KINDS
              if (s := data.of(kind, end.side)) is not None]
    if errors:
        specs.append(ChartSpec("errors", "errors", "/s", errors))
    for kind in ("rx_dbm", "tx_dbm"):
        lines = [_line(f"{names.get(kind, kind)} {end.device}", f"{end.side}:{kind}", s)
                 for end in (data.detail.a, data.detail.b) if (s := data.of(kind, end.side)) is not None]
        if lines:
            specs.append(ChartSpec(kind.removesuffix("_dbm"), kind, "dBm", lines))
    return specs


class EndCard(QFrame):
    """One end of the link: device, port and the port's latest readings."""

    device_activated = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageHeader")
        self.end: LinkEnd | None = None
        self.caption = QLabel(title)
        self.caption.setObjectName("factCaption")
        self.kind_label = QLabel()
        self.device = QLabel()
        self.device.setObjectName("pageTitle")
        self.device.setTextFormat(Qt.TextFormat.RichText)
        self.device.linkActivated.connect(lambda _h: self.end and self.device_activated.emit(self.end.device_id))
        self.chip = QLabel()
        head = QHBoxLayout()
        for w in (self.kind_label, self.device, self.chip):
            head.addWidget(w)
        head.addStretch(1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        self.values: dict[str, QLabel] = {}
        facts = [("port", self.tr("Port"), 0, 0, 2), ("status", self.tr("Status"), 0, 2, 1),
                 ("speed", self.tr("Speed"), 0, 3, 1), ("in", self.tr("In"), 1, 0, 1), ("out", self.tr("Out"), 1, 1, 1),
                 ("util", self.tr("Utilisation"), 1, 2, 1), ("errors", self.tr("Errors"), 1, 3, 1),
                 ("rx", self.tr("Rx power"), 2, 0, 1), ("tx", self.tr("Tx power"), 2, 1, 1)]
        for key, label, row, col, span in facts:
            cap = QLabel(label)
            cap.setObjectName("factCaption")
            val = QLabel()
            val.setObjectName("factValue")
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.values[key] = val
            grid.addWidget(cap, row * 2, col, 1, span)
            grid.addWidget(val, row * 2 + 1, col, 1, span)
        for col in range(4):
            grid.setColumnStretch(col, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(4)
        lay.addWidget(self.caption)
        lay.addLayout(head)
        lay.addLayout(grid)

    def set_end(self, end: LinkEnd) -> None:
        self.end = end
        self.kind_label.setPixmap(kind_icon(end.kind).pixmap(22, 22))
        self.device.setText(f"<a href='device' style='color:#1f2933; text-decoration:none'>{end.device}</a>")
        self.device.setToolTip(self.tr("Open the device page of {name} ({address})").format(
            name=end.device, address=end.address))
        self.chip.setText(fmt.state_name(end.device_state))
        self.chip.setStyleSheet(f"background:{state_color(end.device_state).name()}; color:white; border-radius:8px;"
                                "padding:1px 8px; font-weight:600;")
        v = self.values
        v["port"].setText((end.port + (f" — {end.alias}" if end.alias else "")) if end.port else self.tr("not known"))
        v["port"].setToolTip(v["port"].text())
        v["status"].setText(f"{end.oper_status or fmt.DASH} / {self.tr('admin')} {end.admin_status or fmt.DASH}")
        v["speed"].setText(fmt.speed(end.speed_bps))
        v["in"].setText(fmt.bps(end.in_bps))
        v["out"].setText(fmt.bps(end.out_bps))
        util = [u for u in (end.util_in_pct, end.util_out_pct) if u is not None]
        v["util"].setText(fmt.percent(max(util), 1) if util else fmt.DASH)
        for key, kind in (("rx", "rx_dbm"), ("tx", "tx_dbm")):
            v[key].setText(fmt.value_with_unit(end.last(kind), "dBm"))
        errors = [x for x in (end.last("in_errors_ps"), end.last("out_errors_ps")) if x is not None]
        v["errors"].setText(f"{fmt.number(sum(errors), 2)}/s" if errors else fmt.DASH)


class LinkPage(QWidget):
    """Everything about one link; reloads off the GUI thread when the range or the data change."""

    back_requested = Signal()
    device_activated = Signal(int)
    edit_requested = Signal(int)
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link_id: int | None = None
        self.range_key = "24h"
        self.data: LinkPageData | None = None
        self._loading = False
        self._again = False
        self._stamp: tuple | None = None
        self._build()

    def _build(self) -> None:
        back = QToolButton()
        back.setIcon(icon("action-back"))
        back.setToolTip(self.tr("Back to the map (Esc)"))
        back.setShortcut(Qt.Key.Key_Escape)
        back.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.state_chip = QLabel()
        self.facts = QLabel()
        self.facts.setObjectName("dimText")
        # Both may wrap: on one line they made the window at least 1450 px wide (more than a 1366 px laptop).
        self.title.setWordWrap(True)
        self.facts.setWordWrap(True)
        self.edit_btn = QPushButton(icon("action-edit"), self.tr("Edit link…"))
        self.edit_btn.clicked.connect(lambda: self.link_id and self.edit_requested.emit(self.link_id))
        top = QHBoxLayout()
        for w in (back, self.title, self.state_chip, self.facts):
            top.addWidget(w)
        top.setAlignment(self.state_chip, Qt.AlignmentFlag.AlignVCenter)  # stays a chip when the title wraps
        top.addStretch(1)
        top.addWidget(self.edit_btn)
        self.a_card, self.b_card = EndCard(self.tr("End A")), EndCard(self.tr("End B"))
        ends = QHBoxLayout()
        ends.addWidget(self.a_card, 1)
        arrow = QLabel("⇄")
        arrow.setStyleSheet("font-size: 18pt; color: #7a8794;")
        ends.addWidget(arrow)
        ends.addWidget(self.b_card, 1)
        for card in (self.a_card, self.b_card):
            card.device_activated.connect(self.device_activated)
        labels = {"1h": self.tr("1 h"), "24h": self.tr("24 h"), "7d": self.tr("7 d"), "30d": self.tr("30 d")}
        rb = build_range_bar(self, labels, self.range_key, self.set_range)
        self.range_group, self.range_buttons = rb.group, rb.buttons
        self.resolution_label, self.avail_label = rb.resolution_label, rb.avail_label
        self.timeline = TimelineBar()
        self.charts = ChartStack()
        self.charts.drawn.connect(lambda: None if self._loading or self._again else self.loaded.emit())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 6)
        lay.setSpacing(8)
        lay.addLayout(top)
        lay.addLayout(ends)
        lay.addLayout(rb.layout)
        lay.addWidget(self.timeline)
        lay.addWidget(TimelineLegend())
        lay.addWidget(self.charts, 1)
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self.reload)
        self._clock.start()

    # --- loading -----------------------------------------------------------------------------------------

    def show_link(self, link_id: int) -> None:
        """Show link `link_id` (the map's link_activated signal connects here)."""
        if link_id != self.link_id:
            self.data = None
        self.link_id = link_id
        self.reload()

    def set_range(self, key: str) -> None:
        self.range_key = key
        self.range_buttons[key].setChecked(True)
        self.reload()

    def current_range(self) -> tuple[int, int]:
        now = int(time.time())
        return now - RANGES_S[self.range_key], now

    def reload(self, *, force: bool = True) -> None:
        """Read the page again off the GUI thread; force=False skips the read when the link did not change."""
        if self.link_id is None or (not self.isVisible() and self.data is not None):
            return
        if self._loading:
            self._again = True
            return
        self._loading = True
        link_id = self.link_id
        start, end = self.current_range()
        names = _kind_names()
        last_stamp = None if force or self.data is None else self._stamp

        def op(store: object) -> tuple[LinkPageData | None, list[ChartSpec], tuple | None] | None:
            stamp = link_view.link_stamp(store, link_id)  # type: ignore[arg-type]
            if last_stamp is not None and stamp == last_stamp:
                return None
            data = link_view.link_page(store, link_id, start, end)  # type: ignore[arg-type]
            return data, (build_link_specs(data, names) if data else []), stamp

        QueryOp(parent=self, op=op, success=self._loaded).failure(self._failed).run_in_background()

    def _failed(self, err: Exception) -> None:
        self._loading = False
        self.facts.setText(str(err))

    def _loaded(self, result: tuple[LinkPageData | None, list[ChartSpec], tuple | None] | None) -> None:
        self._loading = False
        if result is not None:
            data, specs, self._stamp = result
            if data is None:
                self.back_requested.emit()  # the link was removed
                return
            if data.detail.link["id"] == self.link_id:
                self.data = data
                self._show(data, specs)
        elif not self.charts.building and not self._again:
            self.loaded.emit()
        if self._again:
            self._again = False
            self.reload()

    # --- drawing -----------------------------------------------------------------------------------------

    def _show(self, data: LinkPageData, specs: list[ChartSpec]) -> None:
        link = data.detail.link
        self.title.setText(link["name"])
        state = link["state"]
        self.state_chip.setText(fmt.state_name(state) + (" · " + self.tr("stale") if link["stale"] else ""))
        self.state_chip.setStyleSheet(f"background:{state_color(state).name()}; color:white; border-radius:9px;"
                                      "padding:2px 10px; font-weight:600;")
        media = {"fiber": self.tr("Fiber"), "copper": self.tr("Copper"), "wireless": self.tr("Wireless"),
                 "provider": self.tr("Provider")}
        sources = {"manual": self.tr("entered by hand"), "lldp": self.tr("found by LLDP"), "cdp": self.tr("found by CDP")}
        parts = [media.get(link["medium"], link["medium"]), fmt.speed(data.detail.capacity_bps),
                 sources.get(link["source"], link["source"])]
        if link["state_since"]:
            parts.append(self.tr("since {when}").format(when=fmt.when(link["state_since"])))
        self.facts.setText(" · ".join(parts))
        self.a_card.set_end(data.detail.a)
        self.b_card.set_end(data.detail.b)
        self.timeline.set_segments(data.segments, data.start_ts, data.end_ts)
        self.avail_label.setText(self.tr("Availability: {pct}").format(pct=fmt.percent(data.availability_pct, 3)))
        resolutions = sorted({s.series.resolution for s in data.series} - {""})
        self.resolution_label.setText(self.tr("one point per {res}").format(res=", ".join(resolutions))
                                      if resolutions else "")
        titles = {"traffic": self.tr("Traffic"), "utilisation": self.tr("Utilisation"), "errors": self.tr("Errors"),
                  "rx": self.tr("Optical Rx power"), "tx": self.tr("Optical Tx power")}
        for spec in specs:
            spec.title = titles.get(spec.key, spec.key)
        self.charts.set_charts(specs, data.start_ts, data.end_ts)


def _kind_names() -> dict[str, str]:
    from PySide6.QtCore import QCoreApplication

    # Spelled out: lupdate only finds literal QCoreApplication.translate() calls (through a helper these stayed English).
    return {"rx_dbm": QCoreApplication.translate("LinkPage", "Rx"),
            "tx_dbm": QCoreApplication.translate("LinkPage", "Tx"),
            "in_errors_ps": QCoreApplication.translate("LinkPage", "in errors"),
            "out_errors_ps": QCoreApplication.translate("LinkPage", "out errors"),
            "in_discards_ps": QCoreApplication.translate("LinkPage", "in discards"),
            "out_discards_ps": QCoreApplication.translate("LinkPage", "out discards")}


def open_link_page(parent: QWidget | None, link_id: int) -> LinkPage:
    """A LinkPage showing `link_id` (for embedding in the main window's page stack)."""
    page = LinkPage(parent)
    page.show_link(link_id)
    return page
