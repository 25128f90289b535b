"""Availability of a monitored target from its state-change rows: pure functions, no I/O, no clock.

A target's period is [start, end) cut to when it existed (created_at) and to `now`. Its time falls into five
kinds: up (states up, degraded), down, unreachable (behind a failed parent), unknown (no data, monitor not
running) and maintenance. Maintenance wins over everything, then engine gaps (unknown), then the recorded
state. `Rules` says whether unreachable and unknown time count as up, as down or are left out of the
denominator (defaults: both left out, shown separately). Percentages are truncated, never rounded up, so
100% means no counted downtime at all.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .errors import ConfigError
from .i18n import _

UP, DOWN, UNREACHABLE, UNKNOWN, MAINTENANCE = "up", "down", "unreachable", "unknown", "maintenance"
KINDS = (UP, DOWN, UNREACHABLE, UNKNOWN, MAINTENANCE)
STATE_KIND = {"up": UP, "degraded": UP, "down": DOWN, "unreachable": UNREACHABLE, "unknown": UNKNOWN,
              "maintenance": MAINTENANCE}
COUNT_AS = ("excluded", "up", "down")
PCT_DECIMALS = 2


@dataclass(frozen=True)
class Rules:
    """How unreachable and unknown time count: 'excluded' (out of the denominator), 'up' or 'down'."""

    unreachable: str = "excluded"
    unknown: str = "excluded"

    def __post_init__(self) -> None:
        for name in ("unreachable", "unknown"):
            if getattr(self, name) not in COUNT_AS:
                raise ConfigError(_("report rule '{name}' is '{value}'; use one of: {choices}").format(
                    name=name, value=getattr(self, name), choices=", ".join(COUNT_AS)))


DEFAULT_RULES = Rules()


class StateChange(NamedTuple):
    """One state_changes row: from `ts` on, the target is in `state`."""

    ts: int
    state: str
    cause_type: str | None = None
    cause_id: int | None = None
    reason: str = ""


class Segment(NamedTuple):
    """[start, end) spent in one kind (up, down, unreachable, unknown, maintenance)."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Incident:
    """A run of down or unreachable state overlapping the period, with what of it counts as downtime."""

    state: str                 # 'down' or 'unreachable'
    start: int                 # when it really began (may be before the period)
    end: int | None            # when it really ended (may be after the period); None: still open
    in_period_s: int           # the part inside the period
    counted_s: int             # the part counted as downtime under the rules (maintenance, unknown taken out)
    is_outage: bool            # counted_s > 0
    cause_type: str | None = None
    cause_id: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class Availability:
    """What happened to one target (or a sum of targets) in a period; all durations in seconds."""

    start: int
    end: int
    up_s: int = 0
    down_s: int = 0
    unreachable_s: int = 0
    unknown_s: int = 0
    maintenance_s: int = 0
    available_s: int = 0       # numerator: up plus whatever the rules count as up
    downtime_s: int = 0        # down plus whatever the rules count as down
    outages: int = 0
    outage_s: int = 0          # sum of counted outage durations (MTTR numerator)
    longest_outage_s: int = 0
    targets: int = 1
    incidents: tuple[Incident, ...] = ()
    segments: tuple[Segment, ...] = field(default=(), repr=False)

    @property
    def period_s(self) -> int:
        return max(0, self.end - self.start) if self.targets == 1 else (
            self.up_s + self.down_s + self.unreachable_s + self.unknown_s + self.maintenance_s)

    @property
    def monitored_s(self) -> int:
        """The denominator: time counted as either available or down."""
        return self.available_s + self.downtime_s

    @property
    def availability_pct(self) -> float | None:
        """Exact availability in percent; None when nothing was monitored."""
        return None if self.monitored_s == 0 else 100.0 * self.available_s / self.monitored_s

    @property
    def reported_pct(self) -> float | None:
        """Availability truncated to PCT_DECIMALS: the figure every report format shows."""
        return floor_pct(self.available_s, self.monitored_s)

    @property
    def mttr_s(self) -> float | None:
        """Mean time to repair: counted outage time per outage."""
        return self.outage_s / self.outages if self.outages else None

    @property
    def mtbf_s(self) -> float | None:
        """Mean time between failures: available time per outage."""
        return self.available_s / self.outages if self.outages else None


def floor_pct(numerator: int, denominator: int, decimals: int = PCT_DECIMALS) -> float | None:
    """100 * numerator / denominator truncated to `decimals`, in integer arithmetic (no 99.9999 -> 100.00)."""
    if denominator <= 0:
        return None
    scale = 10 ** decimals
    return (int(numerator) * 100 * scale // int(denominator)) / scale


def merge_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of [start, end) intervals (empty ones dropped)."""
    merged: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def complement(intervals: Iterable[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of [start, end) not covered by `intervals` (e.g. engine gaps from engine run intervals)."""
    gaps, cursor = [], start
    for s, e in merge_intervals(intervals):
        if e <= cursor:
            continue
        if s >= end:
            break
        if s > cursor:
            gaps.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def month_bounds(year: int, month: int, tz: str | ZoneInfo) -> tuple[int, int]:
    """[start, end) epoch seconds of a calendar month, midnight to midnight in zone `tz`."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    start = datetime(year, month, 1, tzinfo=zone)
    nxt = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return int(start.timestamp()), int(nxt.timestamp())


def day_bounds(year: int, month: int, tz: str | ZoneInfo) -> list[tuple[int, int]]:
    """[start, end) of every local day of the month in zone `tz`."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    days = calendar.monthrange(year, month)[1]
    edges = [int(datetime(year, month, d, tzinfo=zone).timestamp()) for d in range(1, days + 1)]
    edges.append(month_bounds(year, month, zone)[1])
    return list(zip(edges[:-1], edges[1:], strict=True))


def weekly_windows(weekdays: Iterable[int], start_minute: int, duration_min: int, tz: str | ZoneInfo,
                   start: int, end: int) -> list[tuple[int, int]]:
    """Occurrences of a weekly window (Monday=0 … Sunday=6, minutes after local midnight) within [start, end)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    days = set(weekdays)
    first = datetime.fromtimestamp(start, zone).date() - timedelta(days=(duration_min // 1440) + 1)
    last = datetime.fromtimestamp(end, zone).date()
    found, day = [], first
    while day <= last:
        if day.weekday() in days:
            local = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=start_minute)
            s = int(local.timestamp())
            e = s + duration_min * 60
            if e > start and s < end:
                found.append((max(s, start), min(e, end)))
        day += timedelta(days=1)
    return merge_intervals(found)


def _recorded(changes: Sequence[StateChange], start: int, end: int) -> list[Segment]:
    """The recorded kinds over [start, end): the state of the last row at or before `start`, then each change."""
    segments: list[Segment] = []
    kind, cursor = UNKNOWN, start
    for row in changes:
        row_kind = STATE_KIND.get(row.state, UNKNOWN)
        if row.ts <= start:
            kind = row_kind
            continue
        if row.ts >= end:
            break
        if row_kind != kind:
            segments.append(Segment(cursor, row.ts, kind))
            kind, cursor = row_kind, row.ts
    segments.append(Segment(cursor, end, kind))
    return [s for s in segments if s.end > s.start]


def _overlay(segments: list[Segment], intervals: list[tuple[int, int]], kind: str) -> list[Segment]:
    """Replace the parts of `segments` covered by `intervals` (merged, sorted) with `kind`."""
    if not intervals:
        return segments
    out: list[Segment] = []
    for seg in segments:
        cursor = seg.start
        for s, e in intervals:
            if e <= cursor or s >= seg.end:
                continue
            if s > cursor:
                out.append(Segment(cursor, s, seg.kind))
            out.append(Segment(max(s, cursor), min(e, seg.end), kind))
            cursor = min(e, seg.end)
        if cursor < seg.end:
            out.append(Segment(cursor, seg.end, seg.kind))
    merged: list[Segment] = []
    for seg in out:
        if merged and merged[-1].kind == seg.kind and merged[-1].end == seg.start:
            merged[-1] = Segment(merged[-1].start, seg.end, seg.kind)
        elif seg.end > seg.start:
            merged.append(seg)
    return merged


def effective_period(start: int, end: int, *, created_at: int | None = None, now: int | None = None) -> tuple[int, int]:
    """The period cut to the target's life (from created_at) and to `now`; start >= end means empty."""
    return max(start, created_at if created_at is not None else start), min(end, now if now is not None else end)


def timeline(changes: Sequence[StateChange], *, start: int, end: int, maintenance: Iterable[tuple[int, int]] = (),
             unknown_gaps: Iterable[tuple[int, int]] = ()) -> list[Segment]:
    """Segments covering [start, end) exactly: recorded state, engine gaps as unknown, maintenance on top."""
    if end <= start:
        return []
    segments = _recorded(changes, start, end)
    segments = _overlay(segments, merge_intervals(unknown_gaps), UNKNOWN)
    return _overlay(segments, merge_intervals(maintenance), MAINTENANCE)


def _covered(segments: Sequence[Segment], kind: str, start: int, end: int) -> int:
    return sum(max(0, min(seg.end, end) - max(seg.start, start)) for seg in segments if seg.kind == kind)


def find_incidents(changes: Sequence[StateChange], segments: Sequence[Segment], *, start: int, end: int,
                   rules: Rules = DEFAULT_RULES) -> list[Incident]:
    """Runs of down/unreachable rows that overlap [start, end), with their real start and end."""
    runs: list[list] = []  # [kind, start, end|None, first row]
    for row in changes:
        kind = STATE_KIND.get(row.state, UNKNOWN)
        if runs and runs[-1][2] is None:
            if kind == runs[-1][0]:
                continue
            runs[-1][2] = row.ts
        if kind in (DOWN, UNREACHABLE):
            runs.append([kind, row.ts, None, row])
    incidents = []
    for kind, run_start, run_end, row in runs:
        lo, hi = max(run_start, start), min(run_end if run_end is not None else end, end)
        if hi <= lo:
            continue
        counts_as_down = kind == DOWN or rules.unreachable == DOWN
        counted = _covered(segments, kind, lo, hi) if counts_as_down else 0
        is_outage = counted > 0
        incidents.append(Incident(kind, run_start, run_end, hi - lo, counted, is_outage, row.cause_type,
                                  row.cause_id, row.reason))
    return incidents


def summarise(segments: Sequence[Segment], incidents: Sequence[Incident], *, start: int, end: int,
              rules: Rules = DEFAULT_RULES) -> Availability:
    """Sum the segments of [start, end) by kind and apply the rules."""
    time_by_kind = dict.fromkeys(KINDS, 0)
    for seg in segments:
        time_by_kind[seg.kind] += max(0, min(seg.end, end) - max(seg.start, start))
    available = time_by_kind[UP]
    downtime = time_by_kind[DOWN]
    for kind, rule in ((UNREACHABLE, rules.unreachable), (UNKNOWN, rules.unknown)):
        if rule == UP:
            available += time_by_kind[kind]
        elif rule == DOWN:
            downtime += time_by_kind[kind]
    outages = [i.counted_s for i in incidents if i.is_outage]
    return Availability(
        start=start, end=max(start, end), up_s=time_by_kind[UP], down_s=time_by_kind[DOWN],
        unreachable_s=time_by_kind[UNREACHABLE], unknown_s=time_by_kind[UNKNOWN],
        maintenance_s=time_by_kind[MAINTENANCE], available_s=available, downtime_s=downtime,
        outages=len(outages), outage_s=sum(outages), longest_outage_s=max(outages, default=0),
        incidents=tuple(incidents), segments=tuple(segments))


def compute(changes: Iterable[StateChange | tuple], *, start: int, end: int, created_at: int | None = None,
            now: int | None = None, maintenance: Iterable[tuple[int, int]] = (),
            unknown_gaps: Iterable[tuple[int, int]] = (), rules: Rules = DEFAULT_RULES) -> Availability:
    """Availability of one target over [start, end) from its state rows (any order; rows outside are used for
    the state at the start and for the real end of an incident that runs past the period)."""
    rows = sorted((c if isinstance(c, StateChange) else StateChange(*c) for c in changes), key=lambda c: c.ts)
    lo, hi = effective_period(start, end, created_at=created_at, now=now)
    if hi <= lo:
        return Availability(start=lo, end=lo)
    segments = timeline(rows, start=lo, end=hi, maintenance=maintenance, unknown_gaps=unknown_gaps)
    incidents = find_incidents(rows, segments, start=lo, end=hi, rules=rules)
    return summarise(segments, incidents, start=lo, end=hi, rules=rules)


def split(result: Availability, windows: Sequence[tuple[int, int]], rules: Rules = DEFAULT_RULES) -> list[Availability]:
    """The target's availability within each window (e.g. each local day), without incident counts."""
    out = []
    for start, end in windows:
        lo, hi = max(start, result.start), min(end, result.end)
        out.append(summarise(result.segments, (), start=lo, end=hi, rules=rules) if hi > lo
                   else Availability(start=lo, end=lo))
    return out


def aggregate(results: Iterable[Availability]) -> Availability:
    """Time-weighted sum over targets (site, group, agency): availability = Σ available / Σ monitored."""
    items = list(results)
    if not items:
        return Availability(start=0, end=0, targets=0)
    total = {name: sum(getattr(r, name) for r in items) for name in (
        "up_s", "down_s", "unreachable_s", "unknown_s", "maintenance_s", "available_s", "downtime_s", "outages",
        "outage_s", "targets")}
    return Availability(start=min(r.start for r in items), end=max(r.end for r in items),
                        longest_outage_s=max(r.longest_outage_s for r in items), **total)


def local_date(ts: int, tz: str | ZoneInfo) -> date:
    """The calendar date of `ts` in zone `tz`."""
    return datetime.fromtimestamp(ts, ZoneInfo(tz) if isinstance(tz, str) else tz).date()
