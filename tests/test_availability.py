"""Availability engine against hand-computed answers: month boundaries, open outages, unknown gaps,
maintenance, unreachable children, leap February, devices added mid-month, WIB/WITA/WIT, aggregation."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from nocdesk.availability import (
    Rules,
    aggregate,
    compute,
    day_bounds,
    floor_pct,
    month_bounds,
    split,
    weekly_windows,
)
from nocdesk.errors import ConfigError
from nocdesk.locale_format import format_date, format_duration, format_number, format_percent

WIB = ZoneInfo("Asia/Jakarta")
OCT_S = 31 * 86400


def wib(*args: int) -> int:
    return int(datetime(*args, tzinfo=WIB).timestamp())


def utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp())


START, END = month_bounds(2026, 10, "Asia/Jakarta")
BEFORE = START - 10 * 86400


def test_month_bounds_are_local_midnights():
    assert START == utc(2026, 9, 30, 17) and END == utc(2026, 10, 31, 17)
    assert month_bounds(2026, 10, "Asia/Makassar") == (utc(2026, 9, 30, 16), utc(2026, 10, 31, 16))
    assert month_bounds(2026, 10, "Asia/Jayapura") == (utc(2026, 9, 30, 15), utc(2026, 10, 31, 15))
    assert month_bounds(2026, 12, "Asia/Jakarta")[1] == utc(2026, 12, 31, 17)  # December rolls into next year
    days = day_bounds(2026, 10, "Asia/Jakarta")
    assert len(days) == 31 and days[0][0] == START and days[-1][1] == END


def test_always_up_is_100_percent_and_has_no_outage():
    r = compute([(BEFORE, "up")], start=START, end=END)
    assert (r.reported_pct, r.downtime_s, r.outages, r.monitored_s, r.mttr_s, r.mtbf_s) == (100.0, 0, 0, OCT_S, None, None)


def test_outage_spanning_the_month_start_counts_only_inside_october():
    rows = [(BEFORE, "up"), (wib(2026, 9, 30, 23), "down", None, None, "no reply to ping"), (wib(2026, 10, 1, 1), "up")]
    october = compute(rows, start=START, end=END)
    assert october.downtime_s == 3600 and october.outages == 1 and october.longest_outage_s == 3600
    inc = october.incidents[0]
    assert (inc.start, inc.end, inc.in_period_s, inc.counted_s, inc.reason) == (
        wib(2026, 9, 30, 23), wib(2026, 10, 1, 1), 3600, 3600, "no reply to ping")
    # (2678400 - 3600) / 2678400 = 99.8655…% -> truncated 99.86
    assert october.reported_pct == 99.86
    sep_start, sep_end = month_bounds(2026, 9, WIB)
    september = compute(rows, start=sep_start, end=sep_end)
    assert september.downtime_s == 3600 and september.incidents[0].end == wib(2026, 10, 1, 1)


def test_outage_open_at_the_end_of_the_period():
    r = compute([(BEFORE, "up"), (wib(2026, 10, 31, 23, 30), "down")], start=START, end=END)
    assert r.downtime_s == 1800 and r.outages == 1
    assert r.incidents[0].end is None and r.incidents[0].in_period_s == 1800
    # an outage that ended after the period shows its real end, counted only up to the period's end
    r = compute([(BEFORE, "up"), (wib(2026, 10, 31, 23, 30), "down"), (wib(2026, 11, 1, 2), "up")], start=START, end=END)
    assert r.downtime_s == 1800 and r.incidents[0].end == wib(2026, 11, 1, 2)


@pytest.mark.parametrize(("rule", "available_s", "downtime_s", "pct"), [
    ("excluded", OCT_S - 7200 - 1800, 1800, 99.93),  # 2669400 / 2671200 = 99.9326…
    ("up", OCT_S - 1800, 1800, 99.93),               # 2676600 / 2678400 = 99.9327…
    ("down", OCT_S - 7200 - 1800, 9000, 99.66),      # 2669400 / 2678400 = 99.6639…
])
def test_unknown_gap_follows_the_rule(rule, available_s, downtime_s, pct):
    gap = (wib(2026, 10, 5, 10), wib(2026, 10, 5, 12))  # engine not running for 2 h
    rows = [(BEFORE, "up"), (wib(2026, 10, 9, 8), "down"), (wib(2026, 10, 9, 8, 30), "up")]
    r = compute(rows, start=START, end=END, unknown_gaps=[gap], rules=Rules(unknown=rule))
    assert r.unknown_s == 7200 and r.available_s == available_s and r.downtime_s == downtime_s
    assert r.reported_pct == pct
    assert r.outages == 1  # unknown time never makes an outage of its own


def test_unknown_state_rows_and_time_before_the_first_row_are_unknown():
    r = compute([(START + 3600, "up"), (START + 7200, "unknown"), (START + 9000, "up")], start=START, end=END)
    assert r.unknown_s == 3600 + 1800 and r.reported_pct == 100.0 and r.monitored_s == OCT_S - 5400
    nothing = compute([], start=START, end=END)
    assert nothing.unknown_s == OCT_S and nothing.availability_pct is None and nothing.reported_pct is None


def test_maintenance_overlapping_an_outage_is_not_downtime():
    rows = [(BEFORE, "up"), (wib(2026, 10, 7, 10), "down"), (wib(2026, 10, 7, 12), "up")]
    r = compute(rows, start=START, end=END, maintenance=[(wib(2026, 10, 7, 11), wib(2026, 10, 7, 13))])
    assert r.downtime_s == 3600 and r.maintenance_s == 7200 and r.outages == 1
    inc = r.incidents[0]
    assert inc.in_period_s == 7200 and inc.counted_s == 3600 and inc.is_outage
    # (2678400 - 7200 - 3600) / (2678400 - 7200) = 99.8652… -> 99.86
    assert r.monitored_s == OCT_S - 7200 and r.reported_pct == 99.86
    inside = compute(rows, start=START, end=END, maintenance=[(wib(2026, 10, 7, 9), wib(2026, 10, 7, 13))])
    assert inside.outages == 0 and inside.downtime_s == 0 and inside.incidents[0].counted_s == 0
    assert not inside.incidents[0].is_outage and inside.reported_pct == 100.0


def test_maintenance_wins_over_an_engine_gap():
    r = compute([(BEFORE, "up")], start=START, end=END, maintenance=[(START, START + 3600)],
                unknown_gaps=[(START + 1800, START + 5400)])
    assert r.maintenance_s == 3600 and r.unknown_s == 1800


@pytest.mark.parametrize(("rule", "downtime_s", "outages", "pct"), [
    ("excluded", 0, 0, 100.0),
    ("down", 7200, 1, 99.73),   # 2671200 / 2678400 = 99.7311…
    ("up", 0, 0, 100.0),
])
def test_unreachable_child_behind_a_failed_parent(rule, downtime_s, outages, pct):
    rows = [(BEFORE, "up"), (wib(2026, 10, 12, 9), "unreachable", "link", 4, "parent down"), (wib(2026, 10, 12, 11), "up")]
    r = compute(rows, start=START, end=END, rules=Rules(unreachable=rule))
    assert r.unreachable_s == 7200 and r.downtime_s == downtime_s and r.outages == outages
    assert r.reported_pct == pct
    inc = r.incidents[0]
    assert (inc.state, inc.cause_type, inc.cause_id, inc.in_period_s, inc.counted_s) == (
        "unreachable", "link", 4, 7200, downtime_s)


def test_february_of_a_leap_year():
    start, end = month_bounds(2028, 2, "Asia/Jakarta")
    assert end - start == 29 * 86400
    r = compute([(start - 60, "up"), (wib(2028, 2, 29, 12), "down"), (wib(2028, 2, 29, 13), "up")], start=start, end=end)
    # (2505600 - 3600) / 2505600 = 99.8563…% -> 99.85
    assert r.downtime_s == 3600 and r.reported_pct == 99.85
    assert len(day_bounds(2028, 2, "Asia/Jakarta")) == 29


def test_device_added_mid_month_is_counted_from_when_it_was_added():
    added = wib(2026, 10, 16)
    rows = [(added - 86400 * 20, "down"), (added, "up"), (wib(2026, 10, 20, 8), "down"), (wib(2026, 10, 20, 9), "up")]
    r = compute(rows, start=START, end=END, created_at=added)
    assert r.start == added and r.monitored_s == 16 * 86400
    # (1382400 - 3600) / 1382400 = 99.7395…% -> 99.73; the down row before it existed is ignored
    assert r.downtime_s == 3600 and r.outages == 1 and r.reported_pct == 99.73
    later = compute(rows, start=START, end=END, created_at=END + 5)
    assert later.monitored_s == 0 and later.reported_pct is None


@pytest.mark.parametrize(("tz", "downtime_s"), [("Asia/Jakarta", 1800), ("Asia/Makassar", 5400), ("Asia/Jayapura", 7200)])
def test_month_starts_at_local_midnight_in_wib_wita_wit(tz, downtime_s):
    # down 15:30-17:30 UTC on 30 Sep = 22:30-00:30 WIB, 23:30-01:30 WITA, 00:30-02:30 WIT (1 Oct)
    rows = [(utc(2026, 9, 1), "up"), (utc(2026, 9, 30, 15, 30), "down"), (utc(2026, 9, 30, 17, 30), "up")]
    start, end = month_bounds(2026, 10, tz)
    r = compute(rows, start=start, end=end)
    assert r.downtime_s == downtime_s and r.outages == 1


def test_degraded_is_available_and_flapping_counts_every_outage():
    rows = [(BEFORE, "up"), (START + 100, "degraded"), (START + 700, "up")]
    for k in range(5):
        rows += [(START + 86400 + k * 1000, "down"), (START + 86400 + k * 1000 + 120, "up")]
    r = compute(rows, start=START, end=END)
    assert r.outages == 5 and r.downtime_s == 600 and r.mttr_s == 120
    assert r.mtbf_s == (OCT_S - 600) / 5


def test_repeated_down_rows_are_one_outage():
    rows = [(BEFORE, "up"), (START + 100, "down"), (START + 200, "down"), (START + 400, "up")]
    r = compute(rows, start=START, end=END)
    assert r.outages == 1 and r.downtime_s == 300 and r.incidents[0].start == START + 100


def test_now_cuts_the_current_month():
    now = wib(2026, 10, 11)
    r = compute([(BEFORE, "up"), (wib(2026, 10, 10, 23), "down")], start=START, end=END, now=now)
    assert r.end == now and r.monitored_s == 10 * 86400 and r.downtime_s == 3600
    assert r.incidents[0].end is None


def test_truncation_never_shows_100_with_downtime():
    r = compute([(BEFORE, "up"), (START + 50, "down"), (START + 51, "up")], start=START, end=END)
    assert r.downtime_s == 1 and r.availability_pct > 99.9999 and r.reported_pct == 99.99
    assert floor_pct(1999, 2000) == 99.95 and floor_pct(0, 0) is None and floor_pct(5, 5) == 100.0


def test_aggregate_is_time_weighted_over_devices():
    full = compute([(BEFORE, "up")], start=START, end=END)
    added = wib(2026, 10, 16)
    half = compute([(added, "up"), (added + 3600, "down"), (added + 7200, "up")], start=START, end=END, created_at=added)
    total = aggregate([full, half])
    assert total.targets == 2 and total.monitored_s == OCT_S + 16 * 86400 and total.downtime_s == 3600
    # (2678400 + 1382400 - 3600) / 4060800 = 99.9113…%; not the mean of 100 and 99.73
    assert total.reported_pct == 99.91
    assert aggregate([]).reported_pct is None


def test_split_by_day_adds_up_to_the_month():
    rows = [(BEFORE, "up"), (wib(2026, 10, 2, 23, 30), "down"), (wib(2026, 10, 3, 0, 30), "up")]
    r = compute(rows, start=START, end=END)
    days = split(r, day_bounds(2026, 10, "Asia/Jakarta"))
    assert [d.downtime_s for d in days[:4]] == [0, 1800, 1800, 0]
    assert sum(d.monitored_s for d in days) == r.monitored_s and days[1].reported_pct == 97.91  # 84600/86400


def test_weekly_maintenance_windows_in_local_time():
    sundays = weekly_windows([6], 60, 120, "Asia/Jakarta", START, END)  # Sunday 01:00-03:00 WIB
    assert [datetime.fromtimestamp(s, WIB).day for s, _ in sundays] == [4, 11, 18, 25]
    assert all(e - s == 7200 for s, e in sundays)
    # a Saturday 23:00 window of 3 h runs into Sunday: Saturday 31 Oct's reaches into November (a Sunday)
    nov_start, nov_end = month_bounds(2026, 11, "Asia/Jayapura")
    late = weekly_windows([5], 23 * 60, 180, "Asia/Jayapura", nov_start, nov_end)
    assert late[0] == (nov_start, nov_start + 7200) and len(late) == 5  # + Saturdays 7, 14, 21, 28


def test_rules_reject_unknown_values():
    with pytest.raises(ConfigError, match="unknown"):
        Rules(unknown="maybe")


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: format_percent(99.95, "id"), "99,95%"),
    (lambda: format_percent(99.95, "en"), "99.95%"),
    (lambda: format_percent(None, "id"), "—"),
    (lambda: format_date(date(2026, 11, 23), "id"), "23 November 2026"),
    (lambda: format_date(date(2026, 8, 17), "id", short=True), "17 Agu 2026"),
    (lambda: format_number(1234567.5, "id", 1), "1.234.567,5"),
    (lambda: format_number(1234567.5, "en", 1), "1,234,567.5"),
    (lambda: format_duration(3723, "id"), "1 jam 2 menit 3 detik"),
    (lambda: format_duration(90061, "en"), "1 day 1 h 1 min 1 s"),
    (lambda: format_duration(90061, "id", max_units=2), "1 hari 1 jam"),
    (lambda: format_duration(86400 + 60, "id", max_units=3), "1 hari 1 menit"),
    (lambda: format_duration(97205, "id", clock=True), "27:00:05"),
])
def test_locale_format(call, expected):
    assert call() == expected
