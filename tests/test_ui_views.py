"""The read layer behind the app's screens (nocdesk.views, nocdesk.device_view): no Qt, a real store."""

from __future__ import annotations

import pytest

from nocdesk import device_view, views
from nocdesk.store import open_store

NOW = 1_800_000_000
DAY = 86400


@pytest.fixture
def store():  # noqa: ANN201
    s = open_store(":memory:")
    q = s.conn.execute
    q("INSERT INTO sites(id, name, kind) VALUES (1, 'DC', 'datacenter'), (2, 'Kec A', 'kecamatan'), "
      "(3, 'Kec B', 'kecamatan')")
    q("INSERT INTO device_groups(id, name) VALUES (1, 'Core')")
    for i, (name, site, group, state) in enumerate([("core", 1, 1, "up"), ("sw-a", 2, None, "down"),
                                                     ("sw-b", 3, None, "unreachable"), ("cam", None, None, "up")]):
        q("INSERT INTO devices(id, name, address, kind, site_id, group_id, created_at, updated_at, state) "
          "VALUES (?, ?, ?, 'switch', ?, ?, 0, 0, ?)", (i + 1, name, f"198.18.200.{i + 1}", site, group, state))
    q("INSERT INTO engine_runs(started_at, last_beat_at, stopped_at) VALUES (?, ?, NULL)", (NOW - 40 * DAY, NOW))
    changes = [(1, NOW - 30 * DAY, "up"), (2, NOW - 30 * DAY, "up"), (2, NOW - 6 * 3600, "down"),
               (3, NOW - 30 * DAY, "up"), (3, NOW - 3600, "unreachable"), (4, NOW - 30 * DAY, "up"),
               (4, NOW - 10 * 3600, "maintenance"), (4, NOW - 8 * 3600, "up")]
    s.conn.executemany("INSERT INTO state_changes(target_type, target_id, ts, state) VALUES ('device', ?, ?, ?)",
                       changes)
    yield s
    s.close()


def test_device_rows_uptime_follows_availability_rules(store):  # noqa: ANN001
    rows = {d.name: d for d in views.device_rows(store, now=NOW)}
    assert rows["core"].uptime_pct == 100.0
    assert rows["sw-a"].uptime_pct == pytest.approx(75.0)  # 6 h down out of 24 h
    # Unreachable and maintenance time are left out of the denominator (as in the monthly reports).
    assert rows["sw-b"].uptime_pct == 100.0
    assert rows["cam"].uptime_pct == 100.0
    assert rows["sw-a"].site == "Kec A" and rows["core"].group == "Core"


def test_engine_gap_is_unknown_not_up(store):  # noqa: ANN001
    store.conn.execute("UPDATE engine_runs SET last_beat_at = ?, stopped_at = ?", (NOW - 12 * 3600, NOW - 12 * 3600))
    store.conn.execute("INSERT INTO engine_runs(started_at, last_beat_at) VALUES (?, ?)", (NOW - 3 * 3600, NOW))
    segments, pct = views.timeline(store, "device", 1, NOW - DAY, NOW, now=NOW)
    unknown = sum(b - a for a, b, k in segments if k == "unknown")
    assert unknown == pytest.approx(9 * 3600, abs=120)
    assert pct == 100.0


def test_tree_counts_and_dashboard_totals(store):  # noqa: ANN001
    ov = views.overview(store, now=NOW)
    assert ov.tree.counts["up"] == 2 and ov.tree.total == 4
    assert ov.tree.worst == "down"
    kinds = [n.key for n in ov.tree.children]
    assert kinds == ["sitekind:datacenter", "sitekind:kecamatan", "nosite", "groups"]
    kec = ov.tree.children[1]
    assert [c.label for c in kec.children] == ["Kec A", "Kec B"]
    assert kec.counts["down"] == 1 and kec.counts["unreachable"] == 1
    assert ov.dashboard.totals == {"up": 2, "down": 1, "unreachable": 1, "degraded": 0, "maintenance": 0,
                                   "unknown": 0}
    assert ov.dashboard.engine.alive


@pytest.mark.parametrize(("beat_age_s", "stopped", "alive"), [(5, False, True), (19, False, True),
                                                             (21, False, False), (1, True, False)])
def test_engine_status_goes_stale_after_twice_the_heartbeat(store, beat_age_s, stopped, alive):  # noqa: ANN001
    store.conn.execute("UPDATE engine_runs SET last_beat_at = ?, stopped_at = ?",
                       (NOW - beat_age_s, NOW - beat_age_s if stopped else None))
    assert views.engine_status(store, now=NOW, heartbeat_s=10).alive is alive


@pytest.mark.parametrize(("span_s", "points"), [(3600, 60), (DAY, 1440), (7 * DAY, 2016), (30 * DAY, 720),
                                                (365 * DAY, 365)])
def test_ranges_are_read_at_whole_stored_resolutions(span_s, points):  # noqa: ANN001
    assert device_view.points_for(span_s, 60, device_view.DEFAULT_MAX_POINTS) == points


def test_alert_and_event_filters(store):  # noqa: ANN001
    q = store.conn.execute
    q("INSERT INTO alerts(rule, target_type, target_id, device_id, severity, status, message, opened_at) VALUES "
      "('device_down', 'device', 2, 2, 'critical', 'open', 'sw-a down', ?), "
      "('loss', 'device', 1, 1, 'warning', 'acknowledged', 'core loss', ?), "
      "('device_down', 'device', 3, 3, 'critical', 'resolved', 'old', ?)", (NOW - 60, NOW - 30, NOW - DAY))
    q("INSERT INTO events(ts, severity, kind, device_id, message) VALUES (?, 'critical', 'state', 2, 'down'), "
      "(?, 'info', 'state', 1, 'up'), (?, 'critical', 'state', 3, 'old')", (NOW - 60, NOW - 30, NOW - 3 * DAY))
    assert [a.message for a in views.alerts(store)] == ["sw-a down", "core loss"]
    assert [a.message for a in views.alerts(store, views.Filter(statuses=()))] == ["sw-a down", "old", "core loss"]
    assert [e.message for e in views.events(store, views.Filter(severities=("critical",), since_ts=NOW - DAY))] == \
        ["down"]
    assert [e.message for e in views.events(store, views.Filter(site_id=2))] == ["down"]


def test_uptime_cache_is_reused_only_while_nothing_changed(store):  # noqa: ANN001
    cache: dict = {}
    first = {d.name: d.uptime_pct for d in views.device_rows(store, now=NOW, cache=cache)}
    assert {d.name: d.uptime_pct for d in views.device_rows(store, now=NOW + 5, cache=cache)} == first
    store.conn.execute("INSERT INTO state_changes(target_type, target_id, ts, state) VALUES ('device', 1, ?, 'down')",
                       (NOW - 12 * 3600,))
    again = {d.name: d.uptime_pct for d in views.device_rows(store, now=NOW + 5, cache=cache)}
    assert again["core"] == pytest.approx(50.0, abs=0.1) and first["core"] == 100.0
