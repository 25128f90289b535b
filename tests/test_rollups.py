"""Rollups, retention and read_series (nocdesk.rollups) on a real store, with numbers worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from nocdesk.rollups import (
    GRACE_S,
    LEVELS,
    prune_steps,
    read_series,
    rollup_steps,
    run_retention,
    run_rollups,
    watermark,
)
from nocdesk.store import Store, open_store

DAY = 86400
T0 = 20_000 * DAY  # a UTC midnight (2024-10-04)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "r.db")
    s.conn.execute("INSERT INTO devices(id, name, address, kind, created_at, updated_at) "
                   "VALUES (1, 'sw', '198.18.0.2', 'switch', 0, 0)")
    s.conn.executemany("INSERT INTO sensors(id, device_id, kind) VALUES (?, 1, ?)", [(1, "rtt_ms"), (2, "in_bps")])
    yield s
    s.close()


def add(store: Store, sensor_id: int, points: list[tuple[int, float]]) -> None:
    with store.transaction() as conn:
        conn.executemany("INSERT INTO samples(sensor_id, ts, value) VALUES (?, ?, ?)",
                         [(sensor_id, ts, v) for ts, v in points])


def rows(store: Store, table: str, sensor_id: int = 1) -> list[tuple]:
    return [tuple(r) for r in store.conn.execute(
        f"SELECT ts, min, avg, max, count FROM {table} WHERE sensor_id = ? ORDER BY ts", (sensor_id,))]


def test_five_minute_and_hour_rollups_by_hand(store: Store) -> None:
    # 00:00-00:05: 1, 2, 3, 6 -> min 1 avg 3 max 6 n 4;  00:05-00:10: 10 -> n 1;  01:00: 7 (next hour)
    add(store, 1, [(T0, 1), (T0 + 60, 2), (T0 + 120, 3), (T0 + 299, 6), (T0 + 300, 10), (T0 + 3600, 7)])
    run_rollups(store, T0 + 2 * 3600 + GRACE_S)
    assert rows(store, "rollup_5m") == [(T0, 1, 3, 6, 4), (T0 + 300, 10, 10, 10, 1), (T0 + 3600, 7, 7, 7, 1)]
    # The hour is weighted by count: (3*4 + 10*1) / 5 = 4.4, not (3 + 10) / 2.
    assert rows(store, "rollup_1h") == [(T0, 1, 4.4, 10, 5), (T0 + 3600, 7, 7, 7, 1)]
    assert rows(store, "rollup_1d") == []  # the day is not over
    assert watermark(store, LEVELS[0]) == T0 + 2 * 3600
    assert watermark(store, LEVELS[1]) == T0 + 2 * 3600


def test_day_rollup_weights_hours_by_count(store: Store) -> None:
    add(store, 1, [(T0 + 60 * i, 2.0) for i in range(60)])            # hour 0: 60 samples of 2
    add(store, 1, [(T0 + 3600 + 600 * i, 8.0) for i in range(6)])      # hour 1: 6 samples of 8
    run_rollups(store, T0 + DAY + GRACE_S)
    [(ts, lo, avg, hi, n)] = rows(store, "rollup_1d")
    assert (ts, lo, hi, n) == (T0, 2.0, 8.0, 66)
    assert avg == pytest.approx((60 * 2 + 6 * 8) / 66)


def test_rollups_are_incremental_and_only_close_finished_buckets(store: Store) -> None:
    add(store, 1, [(T0 + 10, 1.0)])
    run_rollups(store, T0 + 200)              # bucket [T0, T0+300) still open
    assert rows(store, "rollup_5m") == []
    add(store, 1, [(T0 + 250, 3.0)])          # a late sample in the open bucket still counts
    run_rollups(store, T0 + 300 + GRACE_S)
    assert rows(store, "rollup_5m") == [(T0, 1.0, 2.0, 3.0, 2)]
    assert sum(rollup_steps(store, T0 + 300 + GRACE_S)) == 0   # nothing new: nothing rewritten
    add(store, 1, [(T0 + 310, 5.0)])
    run_rollups(store, T0 + 600 + GRACE_S)
    assert rows(store, "rollup_5m") == [(T0, 1.0, 2.0, 3.0, 2), (T0 + 300, 5.0, 5.0, 5.0, 1)]


def test_a_long_backlog_is_rolled_up_in_many_small_transactions(store: Store) -> None:
    add(store, 1, [(T0 + 60 * i, float(i % 7)) for i in range(3 * 24 * 60)])  # three days, one a minute
    steps = list(rollup_steps(store, T0 + 3 * DAY + GRACE_S))
    assert len(steps) > 70                    # 72 hourly chunks of 5-min rollups, then the coarser levels
    assert store.conn.execute("SELECT count(*) FROM rollup_5m").fetchone()[0] == 3 * 24 * 12
    assert tuple(store.conn.execute("SELECT count(*), sum(count) FROM rollup_1d").fetchone()) == (3, 3 * 24 * 60)


def test_retention_deletes_old_rows_but_never_what_is_not_rolled_up(store: Store) -> None:
    now = T0 + 10 * DAY
    add(store, 1, [(T0 + 60 * i, 1.0) for i in range(0, 10 * 24 * 60, 10)])   # ten days, every 10 min
    assert run_retention(store, now) == 0  # nothing rolled up yet: raw must stay
    run_rollups(store, now)
    deleted = run_retention(store, now)
    oldest = store.conn.execute("SELECT min(ts) FROM samples").fetchone()[0]
    assert oldest == now - 7 * DAY and deleted == 3 * 24 * 6
    assert store.conn.execute("SELECT min(ts) FROM rollup_5m").fetchone()[0] == T0  # 5 min rows kept 90 days


def test_retention_settings_override_the_defaults_and_chunks_stay_small(store: Store) -> None:
    now = T0 + 10 * DAY
    add(store, 1, [(T0 + 60 * i, 1.0) for i in range(10 * 24 * 60)])
    add(store, 2, [(T0 + 60 * i, 1.0) for i in range(10 * 24 * 60)])
    run_rollups(store, now)
    store.set_setting("retention.raw_days", 1)
    store.set_setting("retention.rollup_5m_days", 2)
    chunks = list(prune_steps(store, now, chunk_rows=5000))
    assert store.conn.execute("SELECT min(ts) FROM samples").fetchone()[0] == now - DAY
    assert store.conn.execute("SELECT min(ts) FROM rollup_5m").fetchone()[0] == now - 2 * DAY
    assert max(chunks) <= 5000 + 9 * 24 * 60   # a chunk ends after the sensor that crossed the limit
    assert sum(chunks) == 2 * 9 * 24 * 60 + 2 * 8 * 24 * 12


def test_read_series_uses_raw_for_short_spans(store: Store) -> None:
    add(store, 1, [(T0 + 60 * i, float(i)) for i in range(60)])
    points = read_series(store, 1, T0, T0 + 3600, max_points=600, now=T0 + 3600)
    assert points[:3] == [(T0, 0.0, 0.0, 0.0), (T0 + 60, 1.0, 1.0, 1.0), (T0 + 120, 2.0, 2.0, 2.0)]
    assert len(points) == 60
    coarse = read_series(store, 1, T0, T0 + 3600, max_points=6, now=T0 + 3600)
    assert coarse[0] == (T0, 0.0, 4.5, 9.0) and len(coarse) == 6


def test_read_series_picks_rollups_for_long_spans_and_fills_the_tail_from_raw(store: Store) -> None:
    add(store, 1, [(T0 + 60 * i, 2.0 if i % 2 else 4.0) for i in range(2 * 24 * 60)])
    now = T0 + 2 * DAY - 1800
    run_rollups(store, now)
    wm = watermark(store, LEVELS[0])
    assert wm is not None and wm < now
    points = read_series(store, 1, T0, T0 + 2 * DAY, max_points=100, now=now)
    assert 90 <= len(points) <= 100
    assert all((lo, avg, hi) == (2.0, 3.0, 4.0) for _ts, lo, avg, hi in points)
    assert points[-1][0] >= wm - 1800  # the part after the watermark came from raw samples


def test_read_series_falls_back_to_a_coarser_level_after_raw_is_pruned(store: Store) -> None:
    add(store, 1, [(T0 + 60 * i, 5.0) for i in range(24 * 60)])
    now = T0 + 20 * DAY
    run_rollups(store, now)
    run_retention(store, now)
    assert store.conn.execute("SELECT count(*) FROM samples").fetchone()[0] == 0
    points = read_series(store, 1, T0, T0 + 6 * 3600, max_points=1000, now=now)
    assert len(points) == 72 and points[0] == (T0, 5.0, 5.0, 5.0)   # 5-minute resolution
