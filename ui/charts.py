"""pyqtgraph charts of a device: stacked plots on one shared time axis with a crosshair read-out, and the
uptime timeline bar.

Plots are kept and re-fed with setData on refresh (no teardown), points arrive already reduced to the
rollup resolution that fits the range, and missed polls are drawn as gaps, never as straight lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from . import fmt
from .icons import state_color

pg.setConfigOptions(antialias=False, background="w", foreground="#44505c")
# Antialiasing a line costs about 40% of a chart's paint; dense lines (a day of raw polls) look the same
# without it, sparse ones (a year of daily points) look jagged: decide per line.
ANTIALIAS_BELOW_POINTS = 1000
SYMBOLS_BELOW_POINTS = 60

SERIES_COLORS = {
    "rtt_ms": "#1f6f8b", "jitter_ms": "#8a6fa8", "loss_pct": "#d64545", "in_bps": "#2e9d58",
    "out_bps": "#3b82c4", "cpu": "#e07b1a", "mem": "#3b82c4", "rx": "#8a6fa8", "tx": "#1f6f8b",
    "temp": "#d64545", "in_": "#2e9d58", "out_": "#3b82c4",
}
PLOT_MIN_HEIGHT = 120  # below this a plot's ticks and legend collide: the stack scrolls instead
FALLBACK_COLORS = ("#1f6f8b", "#e07b1a", "#8a6fa8", "#2e9d58", "#d64545", "#3b82c4", "#6b7785")


def color_for(kind: str, i: int) -> str:
    for key, color in SERIES_COLORS.items():
        if kind.startswith(key) or kind == key:
            return color
    return FALLBACK_COLORS[i % len(FALLBACK_COLORS)]


@dataclass
class Line:
    """One line of a chart: name, points, optional min/max band."""

    name: str
    kind: str
    ts: np.ndarray
    values: np.ndarray
    low: np.ndarray | None = None
    high: np.ndarray | None = None


@dataclass
class ChartSpec:
    """One plot of the stack."""

    key: str
    title: str
    unit: str
    lines: list[Line] = field(default_factory=list)
    speed_bps: float | None = None  # traffic: utilisation in the read-out


def with_gaps(ts: np.ndarray, values: np.ndarray, step_s: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Insert NaN where consecutive points are more than 2.5 steps apart, so missed polls show as gaps."""
    if len(ts) < 3:
        return ts, values
    diffs = np.diff(ts)
    step = step_s or float(np.median(diffs))
    breaks = np.nonzero(diffs > 2.5 * step)[0]
    if not len(breaks):
        return ts, values
    ts2 = np.insert(ts, breaks + 1, ts[breaks] + step)
    v2 = np.insert(values.astype(float), breaks + 1, np.nan)
    return ts2, v2


def band_path(ts: np.ndarray, low: np.ndarray, high: np.ndarray) -> QPainterPath:
    """A closed polygon around [low, high] for every run of points; a gap of missed polls starts a new run."""
    if len(ts) > 2:
        diffs = np.diff(ts)
        breaks = np.nonzero(diffs > 2.5 * float(np.median(diffs)))[0] + 1
    else:
        breaks = np.array([], dtype=int)
    xs, ys, connect = [], [], []
    for run in np.split(np.arange(len(ts)), breaks):
        if len(run) < 2:
            continue
        xs += [ts[run], ts[run][::-1]]
        ys += [high[run], low[run][::-1]]
        joined = np.ones(2 * len(run), dtype=np.int32)
        joined[-1] = 0  # do not join this polygon to the next run's
        connect.append(joined)
    if not xs:
        return QPainterPath()
    return pg.arrayToQPath(np.concatenate(xs), np.concatenate(ys), connect=np.concatenate(connect))


class TimeAxis(pg.DateAxisItem):
    """Date axis in the display zone (WIB/WITA/WIT), whatever the workstation's own zone."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(orientation="bottom", utcOffset=-fmt.utc_offset_s(), **kwargs)


class BitsAxis(pg.AxisItem):
    """A left axis for bit rates: ticks as '400 M', '1.2 G'."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        out = []
        for v in values:
            for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
                if abs(v) >= div:
                    out.append(f"{v / div:.{0 if spacing >= div else 1}f} {unit}")
                    break
            else:
                out.append(f"{v:.0f}")
        return out


class _Plot:
    def __init__(self, item: pg.PlotItem, spec: ChartSpec) -> None:
        self.item = item
        self.spec = spec
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.bands: dict[str, QGraphicsPathItem] = {}
        self.title: pg.LabelItem | None = None
        self.vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#9aa3ad", width=1, style=Qt.PenStyle.DashLine))
        self.vline.setVisible(False)
        item.addItem(self.vline, ignoreBounds=True)


class ChartStack(QWidget):
    """Stacked plots sharing one time axis; moving the mouse shows every value at that time."""

    drawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.readout = QLabel(" ")
        self.readout.setObjectName("chartReadout")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setMinimumHeight(22)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setWordWrap(True)
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.canvas)
        self.canvas.ci.layout.setSpacing(4)
        self.canvas.ci.setContentsMargins(4, 4, 10, 4)
        self.empty = QLabel(self.tr("No measurements in this range yet."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyHint")
        self.empty.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.readout)
        lay.addWidget(self.scroll, 1)
        lay.addWidget(self.empty, 1)
        self._plots: list[_Plot] = []
        self._specs: list[ChartSpec] = []
        self._keys: list[str] = []
        self._generation = 0
        self.building = False
        self._range: tuple[float, float] = (0.0, 1.0)
        self._proxy = pg.SignalProxy(self.canvas.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved)

    # --- data --------------------------------------------------------------------------------------

    def set_charts(self, specs: list[ChartSpec], start_ts: float, end_ts: float) -> None:
        """Show these charts over [start_ts, end_ts]; plots are reused when the layout did not change.

        A new layout is built one plot per event-loop turn (each costs tens of milliseconds), so opening a
        device page never stalls the window; `drawn` is emitted when every plot shows its data.
        """
        self._range = (start_ts, end_ts)
        has_data = any(len(line.ts) for s in specs for line in s.lines)
        self.scroll.setVisible(bool(specs))
        self.empty.setVisible(not has_data)
        self.canvas.setMinimumHeight(len(specs) * PLOT_MIN_HEIGHT)
        keys = [s.key for s in specs]
        self._specs = specs
        if keys != self._keys:
            self._keys = keys
            self._generation += 1
            self.canvas.clear()
            self._plots = []
            self.building = True
            self._build_next(self._generation)
            return
        for plot, spec in zip(self._plots, specs, strict=False):
            self._show_spec(plot, spec)
        if not self.building:
            self.drawn.emit()

    def _show_spec(self, plot: _Plot, spec: ChartSpec) -> None:
        plot.spec = spec
        unit = spec.unit
        plot.title.setText(f"<b>{spec.title}</b>" + (f" <span style='color:#7a8794'>({unit})</span>" if unit else ""))
        self._feed(plot, spec)
        plot.item.setXRange(*self._range, padding=0)
        plot.item.enableAutoRange(axis="y")

    def _build_next(self, generation: int) -> None:
        if generation != self._generation:
            return  # a newer layout replaced this one
        row = len(self._plots)
        if row < len(self._specs):
            plot = self._add_plot(row, self._specs[row], last=row == len(self._specs) - 1)
            self._plots.append(plot)
            self._show_spec(plot, self._specs[row])
        if len(self._plots) < len(self._specs):
            QTimer.singleShot(0, lambda: self._build_next(generation))
        else:
            self.building = False
            self.drawn.emit()

    def _add_plot(self, row: int, spec: ChartSpec, *, last: bool) -> _Plot:
        axes = {"bottom": TimeAxis()}
        if spec.unit == "bit/s":
            axes["left"] = BitsAxis("left")
        item = self.canvas.addPlot(row=row, col=0, axisItems=axes)
        self.canvas.ci.layout.setRowStretchFactor(row, 1)
        item.setMenuEnabled(False)
        # No grid: pyqtgraph draws it with the axes and it was a third of the paint time of a device page.
        item.setMouseEnabled(x=True, y=False)
        item.hideButtons()
        left = item.getAxis("left")
        left.setWidth(58)
        left.enableAutoSIPrefix(False)
        title = pg.LabelItem(justify="left", color="#2b3a4a", size="9pt")
        title.setParentItem(item.getViewBox())
        title.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(6, 0))
        item.getAxis("bottom").setStyle(showValues=last)
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        if self._plots:
            item.setXLink(self._plots[0].item)
        legend = item.addLegend(offset=(-8, 4), labelTextColor="#44505c", brush=pg.mkBrush(255, 255, 255, 200))
        legend.setColumnCount(4)
        plot = _Plot(item, spec)
        plot.title = title
        return plot

    def _feed(self, plot: _Plot, spec: ChartSpec) -> None:
        wanted = {line.name for line in spec.lines}
        for name in list(plot.curves):
            if name not in wanted:
                plot.item.removeItem(plot.curves.pop(name))
                if name in plot.bands:
                    plot.item.removeItem(plot.bands.pop(name))
        for i, line in enumerate(spec.lines):
            color = QColor(color_for(line.kind, i))
            ts, values = with_gaps(line.ts, line.values)
            curve = plot.curves.get(line.name)
            if curve is None:
                # A 1 px pen is drawn without the stroker: three times cheaper than 1.6 px on a day of raw polls.
                curve = plot.item.plot(name=line.name, pen=pg.mkPen(color, width=1), connect="finite")
                plot.curves[line.name] = curve
            sparse = len(ts) < SYMBOLS_BELOW_POINTS  # a new device's first polls would be invisible as a line
            curve.setData(ts, values, connect="finite", skipFiniteCheck=True,
                          antialias=len(ts) < ANTIALIAS_BELOW_POINTS, symbol="o" if sparse else None,
                          symbolSize=5, symbolBrush=color, symbolPen=None)
            self._band(plot, line, color)

    def _band(self, plot: _Plot, line: Line, color: QColor) -> None:
        """The min-max band of a rollup line, one filled path (a polygon per run of points between gaps)."""
        item = plot.bands.get(line.name)
        if line.low is None or line.high is None or len(line.ts) < 2:
            if item is not None:
                item.setVisible(False)
            return
        if item is None:
            fill = QColor(color)
            fill.setAlpha(45)
            item = QGraphicsPathItem()
            item.setPen(QPen(Qt.PenStyle.NoPen))
            item.setBrush(fill)
            item.setZValue(-1)
            plot.item.addItem(item)
            plot.bands[line.name] = item
        item.setPath(band_path(line.ts, line.low, line.high))
        item.setVisible(True)

    # --- crosshair -----------------------------------------------------------------------------------

    def _mouse_moved(self, event: tuple) -> None:
        pos = event[0]
        for plot in self._plots:
            if plot.item.sceneBoundingRect().contains(pos):
                x = plot.item.getViewBox().mapSceneToView(pos).x()
                self.show_at(x)
                return
        for plot in self._plots:
            plot.vline.setVisible(False)

    def show_at(self, x: float) -> str:
        """Move the crosshair to time `x` and write every series' value there into the read-out."""
        parts = [f"<b>{fmt.when(x, seconds=True, zone_name=True)}</b>"]
        for plot in self._plots:
            plot.vline.setPos(x)
            plot.vline.setVisible(True)
            for i, line in enumerate(plot.spec.lines):
                if not len(line.ts):
                    continue
                j = int(np.clip(np.searchsorted(line.ts, x), 1, len(line.ts) - 1)) if len(line.ts) > 1 else 0
                if len(line.ts) > 1 and abs(line.ts[j - 1] - x) < abs(line.ts[j] - x):
                    j -= 1
                value = float(line.values[j])
                text = fmt.value_with_unit(value, plot.spec.unit)
                if plot.spec.speed_bps and plot.spec.unit == "bit/s":
                    text += f" ({fmt.percent(100.0 * value / plot.spec.speed_bps, 1)})"
                color = color_for(line.kind, i)
                parts.append(f"<span style='color:{color}'>■</span> {line.name}: {text}")
        html = " &nbsp; ".join(parts)
        self.readout.setText(html)
        return self.readout.text()

    def plot_count(self) -> int:
        return len(self._plots)

    def point_count(self) -> int:
        """Points currently fed to the plots (tests and the benchmark look at this)."""
        return sum(len(line.ts) for p in self._plots for line in p.spec.lines)


class TimelineBar(QWidget):
    """A horizontal bar of state segments (up/down/unreachable/unknown/maintenance) over a time range."""

    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments: list[tuple[int, int, str]] = []
        self.start_ts = 0
        self.end_ts = 1
        self.setMinimumHeight(18)
        self.setMaximumHeight(22)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_segments(self, segments: list[tuple[int, int, str]], start_ts: int, end_ts: int) -> None:
        self.segments, self.start_ts, self.end_ts = segments, start_ts, max(end_ts, start_ts + 1)
        self.update()

    def _x(self, ts: float) -> float:
        return (ts - self.start_ts) / (self.end_ts - self.start_ts) * self.width()

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(0.5, 0.5, self.width() - 1, self.height() - 1)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#eef1f4"))
        p.drawRoundedRect(rect, 4, 4)
        p.setClipRect(rect)
        for start, end, state in self.segments:
            x0, x1 = self._x(start), self._x(end)
            p.fillRect(QRectF(x0, 0, max(1.0, x1 - x0), self.height()), state_color(state))
        p.setClipping(False)
        p.setPen(QPen(QColor("#c9d1d9"), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(rect, 4, 4)
        p.end()

    def segment_at(self, x: float) -> tuple[int, int, str] | None:
        ts = self.start_ts + x / max(1, self.width()) * (self.end_ts - self.start_ts)
        for seg in self.segments:
            if seg[0] <= ts < seg[1]:
                return seg
        return None

    def mouseMoveEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        pos: QPointF = event.position()  # type: ignore[attr-defined]
        seg = self.segment_at(pos.x())
        if seg is None:
            QToolTip.hideText()
            return
        text = self.tr("{state} from {start} to {end} ({duration})").format(
            state=fmt.state_name(seg[2]), start=fmt.when(seg[0]), end=fmt.when(seg[1]),
            duration=fmt.duration(seg[1] - seg[0]))
        QToolTip.showText(event.globalPosition().toPoint(), text, self)  # type: ignore[attr-defined]
        self.hovered.emit(text)


class TimelineLegend(QWidget):
    """Small coloured keys for the timeline's states."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        for state in ("up", "degraded", "down", "unreachable", "maintenance", "unknown"):
            key = QLabel(f"<span style='color:{state_color(state).name()}'>■</span> {fmt.state_name(state)}")
            key.setObjectName("legendKey")
            lay.addWidget(key)
        lay.addStretch(1)
