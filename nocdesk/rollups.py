"""Rollups (5 min, 1 h, 1 day) and retention, incremental and in small transactions, plus read_series().

Each level is rolled up from the level below, only for buckets that closed since its watermark (settings
`rollup.watermark_<level>`): 5 min from raw samples, 1 h from 5 min and 1 day from 1 h, weighted by count.
Retention deletes old rows sensor by sensor in chunks, never ahead of what the next level has rolled up.
The work comes as generators that yield after every transaction, so the engine can interleave it with polls.
Day buckets are UTC days.
"""

from __future__ import annotations

import asyncio
import logging
import math
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .store import Store

log = logging.getLogger("nocdesk.engine")
GRACE_S = 120          # samples may reach the store this late (batching) and still land in their bucket
DAY_S = 86400


@dataclass(frozen=True)
class Level:
    table: str
    step_s: int
    source: str            # table it is computed from
    chunk_s: int           # span of source data rolled up per transaction
    retention_setting: str
    retention_days: float | None


RAW = Level("samples", 0, "", 0, "retention.raw_days", 7)
LEVELS = (
    Level("rollup_5m", 300, "samples", 3600, "retention.rollup_5m_days", 90),
    Level("rollup_1h", 3600, "rollup_5m", 6 * 3600, "retention.rollup_1h_days", 5 * 365),
    Level("rollup_1d", DAY_S, "rollup_1h", 7 * DAY_S, "retention.rollup_1d_days", None),
)
ALL = (RAW, *LEVELS)


def watermark_key(level: Level) -> str:
    return f"rollup.watermark_{level.table.removeprefix('rollup_')}"


def watermark(store: Store, level: Level) -> int | None:
    """End (exclusive) of the rolled-up range of a level, or None before the first run."""
    value = store.get_setting(watermark_key(level))
    return int(value) if value is not None else None


def _oldest_ts(store: Store, table: str) -> int | None:
    # One index seek per sensor: a plain min(ts) would scan the whole (sensor_id, ts) table.
    row = store.conn.execute(
        f"SELECT min((SELECT min(ts) FROM {table} WHERE sensor_id = s.id)) FROM sensors s").fetchone()
    return row[0]


def _aggregate_sql(level: Level) -> str:
    bucket = f"(r.ts / {level.step_s}) * {level.step_s}"
    if level.source == "samples":
        values = "min(r.value), avg(r.value), max(r.value), count(*)"
    else:
        values = "min(r.min), sum(r.avg * r.count) / sum(r.count), max(r.max), sum(r.count)"
    return (f"INSERT OR REPLACE INTO {level.table}(sensor_id, ts, min, avg, max, count) "
            f"SELECT r.sensor_id, {bucket}, {values} FROM sensors s "  # CROSS JOIN: sensors outer, index seeks inside
            f"CROSS JOIN {level.source} r ON r.sensor_id = s.id AND r.ts >= ? AND r.ts < ? "
            f"GROUP BY r.sensor_id, {bucket}")


def rollup_steps(store: Store, now: int) -> Iterator[int]:
    """Roll up every closed bucket since the watermarks; yields rows written after each transaction."""
    source_end = (now - GRACE_S)
    for level in LEVELS:
        end = (source_end // level.step_s) * level.step_s
        start = watermark(store, level)
        if start is None:
            oldest = _oldest_ts(store, level.source)
            if oldest is None:
                return
            start = (oldest // level.step_s) * level.step_s
        while start < end:
            chunk_end = min(end, start + level.chunk_s)
            with store.transaction() as conn:
                cursor = conn.execute(_aggregate_sql(level), (start, chunk_end))
                conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                             (watermark_key(level), str(chunk_end)))
            start = chunk_end
            yield max(cursor.rowcount, 0)
        source_end = start  # the coarser level may only use buckets this level has completed


def run_rollups(store: Store, now: int) -> int:
    """Run all pending rollups at once (tests, CLI); returns rows written."""
    return sum(rollup_steps(store, now))


async def maintain(store: Store, now: int, *, prune: bool) -> None:
    """The engine's periodic job: rollups, then (when asked) retention, yielding to the loop between chunks."""
    try:
        for _rows in rollup_steps(store, now):
            await asyncio.sleep(0)
        if prune:
            for _rows in prune_steps(store, now):
                await asyncio.sleep(0)
    except sqlite3.Error as err:  # busy beyond the timeout: the next run catches up from the watermarks
        log.warning("rollups/retention postponed: %s", err)


def retention_days(store: Store, level: Level) -> float | None:
    """Days a level keeps rows (None = forever); the setting of the same name overrides the default."""
    value = store.get_setting(level.retention_setting, level.retention_days)
    try:
        days = float(value) if value is not None else None
    except (TypeError, ValueError):
        days = level.retention_days
    return days if days and days > 0 else None


def prune_steps(store: Store, now: int, *, chunk_rows: int = 5000) -> Iterator[int]:
    """Delete rows past retention in transactions of about `chunk_rows` rows; yields rows deleted."""
    sensor_ids = [r[0] for r in store.conn.execute("SELECT id FROM sensors ORDER BY id")]
    for index, level in enumerate(ALL):
        days = retention_days(store, level)
        if days is None:
            continue
        cutoff = int(now - days * DAY_S)
        if index < len(LEVELS):
            wm = watermark(store, LEVELS[index])
            if wm is None:
                continue  # nothing rolled up yet: keep everything
            cutoff = min(cutoff, wm)  # never delete what the next level has not rolled up yet
        position = 0
        while position < len(sensor_ids):
            deleted = 0
            with store.transaction() as conn:
                while position < len(sensor_ids) and deleted < chunk_rows:
                    deleted += conn.execute(f"DELETE FROM {level.table} WHERE sensor_id = ? AND ts < ?",
                                            (sensor_ids[position], cutoff)).rowcount
                    position += 1
            yield deleted


def run_retention(store: Store, now: int) -> int:
    """Apply retention at once; returns rows deleted."""
    return sum(prune_steps(store, now))


def _rows(store: Store, table: str, sensor_id: int, start: int, end: int, bucket_s: int
          ) -> list[tuple[int, float, float, float, int]]:
    if table == "samples":
        values = "min(value), avg(value), max(value), count(*)"
    else:
        values = "min(min), sum(avg * count) / sum(count), max(max), sum(count)"
    sql = (f"SELECT (ts / {bucket_s}) * {bucket_s} AS b, {values} FROM {table} "
           f"WHERE sensor_id = ? AND ts >= ? AND ts < ? GROUP BY b ORDER BY b")
    return [tuple(r) for r in store.conn.execute(sql, (sensor_id, start, end))]


def read_series(store: Store, sensor_id: int, start_ts: int, end_ts: int, *, max_points: int = 600,
                now: int | None = None) -> list[tuple[int, float, float, float]]:
    """(ts, min, avg, max) points of a sensor in [start_ts, end_ts), at most about max_points of them.

    Picks the coarsest stored resolution not coarser than the span needs, falls back to a coarser one when
    the finer has been pruned for that span, and fills the not-yet-rolled-up tail from raw samples.
    """
    now = int(now if now is not None else time.time())
    span = max(1, end_ts - start_ts)
    wanted_s = max(1, math.ceil(span / max(1, max_points)))
    choice = RAW
    for level in LEVELS:
        if level.step_s <= wanted_s:
            choice = level
    # A level whose retention no longer covers the start cannot serve the span: go coarser.
    for level in ALL[ALL.index(choice):]:
        days = retention_days(store, level)
        if days is None or start_ts >= now - days * DAY_S:
            choice = level
            break
    step = choice.step_s or 1
    bucket_s = max(step, math.ceil(wanted_s / step) * step)
    if choice is RAW:
        rows = _rows(store, "samples", sensor_id, start_ts, end_ts, bucket_s)
    else:
        wm = watermark(store, choice) or start_ts
        rows = _rows(store, choice.table, sensor_id, start_ts, min(end_ts, wm), bucket_s)
        if wm < end_ts:
            rows += _rows(store, "samples", sensor_id, max(start_ts, wm), end_ts, bucket_s)
    merged: dict[int, list[float]] = {}
    for b, lo, avg, hi, count in rows:
        if b in merged:
            m = merged[b]
            total = m[3] + count
            merged[b] = [min(m[0], lo), (m[1] * m[3] + avg * count) / total, max(m[2], hi), total]
        else:
            merged[b] = [lo, avg, hi, count]
    return [(b, m[0], m[1], m[2]) for b, m in sorted(merged.items())]
