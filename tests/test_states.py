"""The state machine (nocdesk.states) and maintenance windows (nocdesk.maintenance): tables of checks in,
transitions out. Pure: no store, no network, no clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nocdesk.maintenance import Window, active_window
from nocdesk.states import (
    BAD,
    DEGRADED,
    DOWN,
    FAILED,
    MAINTENANCE,
    OK,
    UNKNOWN,
    UNREACHABLE,
    UP,
    Outcome,
    StateConfig,
    StateMachine,
    interface_state,
    judge_device,
)

CORE, KEC1, CAM1, KEC2 = ("device", 1), ("device", 2), ("device", 3), ("device", 4)


def lab_machine(**config: object) -> StateMachine:
    """core <- kec1 <- cam1, core <- kec2; everything up since t=0."""
    m = StateMachine(StateConfig(**config))
    m.track(CORE, state=UP, since=0)
    m.track(KEC1, state=UP, since=0, parent=CORE, label="kec1")
    m.track(CAM1, state=UP, since=0, parent=KEC1)
    m.track(KEC2, state=UP, since=0, parent=CORE)
    return m


def o(key: tuple[str, int], ts: int, status: str, reason: str = "", maintenance: str | None = None) -> Outcome:
    return Outcome(key, ts, status, reason or ("timeout" if status == FAILED else ""), maintenance)


def states(m: StateMachine) -> dict[int, str]:
    return {k[1]: t.state for k, t in m.trackers.items()}


@pytest.mark.parametrize("n, fails_before_down", [(1, 1), (2, 2), (3, 3)])
def test_down_after_n_consecutive_failures_back_dated_to_the_first(n: int, fails_before_down: int) -> None:
    m = lab_machine(down_after_failures=n)
    seen = []
    for i in range(fails_before_down):
        seen += m.apply([o(KEC2, 100 + 60 * i, FAILED)])
        if i < fails_before_down - 1:
            assert seen == [] and m.state(KEC2) == UP
    assert [(t.state, t.ts, t.previous) for t in seen] == [(DOWN, 100, UP)]
    assert "timeout" in seen[0].reason


def test_a_success_between_failures_restarts_the_count() -> None:
    m = lab_machine()
    assert m.apply([o(KEC2, 0, FAILED)]) == []
    assert m.apply([o(KEC2, 60, OK)]) == []
    assert m.apply([o(KEC2, 120, FAILED)]) == []
    [t] = m.apply([o(KEC2, 180, FAILED)])
    assert (t.state, t.ts) == (DOWN, 120)
    [t] = m.apply([o(KEC2, 240, OK)])
    assert (t.state, t.ts, t.previous) == (UP, 240, DOWN)


def test_child_behind_a_cut_is_unreachable_decided_in_the_same_cycle() -> None:
    m = lab_machine()
    # The cycle lists the child first; the machine still decides kec1 before cam1.
    assert m.apply([o(CAM1, 10, FAILED), o(KEC1, 10, FAILED), o(CORE, 10, OK)]) == []
    out = m.apply([o(CAM1, 70, FAILED), o(KEC1, 70, FAILED), o(CORE, 70, OK)])
    assert [(t.target_id, t.state, t.ts) for t in out] == [(2, DOWN, 10), (3, UNREACHABLE, 10)]
    assert (out[1].cause_type, out[1].cause_id) == ("device", 2)
    assert out[1].reason == "behind kec1, which is down (no answer to 2 checks: timeout)"


def test_unreachable_names_the_root_cause_through_several_levels() -> None:
    m = lab_machine()
    m.apply([o(CAM1, 10, FAILED), o(KEC1, 10, FAILED), o(CORE, 10, FAILED), o(KEC2, 10, FAILED)])
    out = m.apply([o(CAM1, 70, FAILED), o(KEC1, 70, FAILED), o(CORE, 70, FAILED), o(KEC2, 70, FAILED)])
    assert {t.target_id: (t.state, t.cause_id) for t in out} == {
        1: (DOWN, None), 2: (UNREACHABLE, 1), 3: (UNREACHABLE, 1), 4: (UNREACHABLE, 1)}


def test_child_waits_for_a_parent_with_unconfirmed_failures() -> None:
    m = lab_machine()
    m.apply([o(KEC1, 10, FAILED), o(CAM1, 10, FAILED)])
    # cam1's second failure arrives before kec1's second check: no verdict yet (kec1 might be the cause).
    assert m.apply([o(CAM1, 40, FAILED)]) == []
    assert m.trackers[CAM1].awaiting_parent
    out = m.apply([o(KEC1, 70, FAILED)])
    assert [(t.target_id, t.state, t.ts) for t in out] == [(2, DOWN, 10), (3, UNREACHABLE, 10)]


def test_waiting_child_is_down_when_the_parent_turns_out_fine() -> None:
    m = lab_machine()
    m.apply([o(KEC1, 10, FAILED), o(CAM1, 10, FAILED)])
    m.apply([o(CAM1, 40, FAILED)])
    out = m.apply([o(KEC1, 70, OK)])
    assert [(t.target_id, t.state, t.ts) for t in out] == [(3, DOWN, 10)]


def test_unreachable_child_becomes_down_when_the_path_recovers_but_it_does_not() -> None:
    m = lab_machine()
    for ts in (10, 70):
        m.apply([o(KEC1, ts, FAILED), o(CAM1, ts, FAILED)])
    assert m.state(CAM1) == UNREACHABLE
    out = m.apply([o(KEC1, 130, OK), o(CAM1, 130, FAILED)])
    assert [(t.target_id, t.state, t.ts) for t in out] == [(2, UP, 130), (3, DOWN, 130)]
    assert m.apply([o(CAM1, 190, OK)])[0].state == UP


def test_stale_ancestors_are_the_ones_to_confirm_root_first() -> None:
    m = lab_machine()
    m.apply([o(CORE, 5, OK), o(KEC1, 8, OK)])
    assert m.stale_ancestors(CAM1, 10) == [CORE, KEC1]
    m.apply([o(KEC1, 10, OK)])
    assert m.stale_ancestors(CAM1, 10) == [CORE]
    assert m.stale_ancestors(CORE, 10) == []


def test_a_parent_cycle_in_hand_edited_data_does_not_hang() -> None:
    m = StateMachine()
    m.track(("device", 1), state=UP, since=0, parent=("device", 2))
    m.track(("device", 2), state=UP, since=0, parent=("device", 1))
    m.apply([o(("device", 1), 0, FAILED), o(("device", 2), 0, FAILED)])
    out = m.apply([o(("device", 1), 60, FAILED), o(("device", 2), 60, FAILED)])
    assert len(out) == 2


@pytest.mark.parametrize("kwargs, expected", [
    (dict(ping_ok=True, loss_pct=0.0, rtt_ms=2.0), (OK, "")),
    (dict(ping_ok=True, loss_pct=40.0, rtt_ms=2.0), (BAD, "packet loss 40% (threshold 20%)")),
    (dict(ping_ok=True, loss_pct=0.0, rtt_ms=650.0), (BAD, "RTT 650 ms (threshold 500 ms)")),
    (dict(ping_ok=True, snmp_configured=True, snmp_ok=False, snmp_reason="timeout"),
     (BAD, "answers ping but not SNMP: timeout")),
    (dict(ping_ok=True, snmp_configured=True, snmp_ok=None), (OK, "")),  # SNMP backed off this cycle
    (dict(ping_ok=True, snmp_configured=False, snmp_ok=False), (OK, "")),
    (dict(ping_ok=False, ping_reason="no route to host"), (FAILED, "no route to host")),
    (dict(ping_ok=False, ping_reason="timeout", snmp_ok=True), (OK, "no ICMP reply, but SNMP answers")),
])
def test_judging_one_device_check(kwargs: dict, expected: tuple[str, str]) -> None:
    assert judge_device(**kwargs) == expected


def test_degraded_needs_n_bad_checks_from_up_but_is_immediate_from_down() -> None:
    m = lab_machine()
    assert m.apply([o(KEC2, 0, BAD, "packet loss 40%")]) == []
    [t] = m.apply([o(KEC2, 60, BAD, "packet loss 40%")])
    assert (t.state, t.ts) == (DEGRADED, 0)
    m.apply([o(KEC2, 120, FAILED)])
    [t] = m.apply([o(KEC2, 180, FAILED)])
    assert (t.state, t.ts) == (DOWN, 120)
    [t] = m.apply([o(KEC2, 240, BAD, "packet loss 66%")])
    assert (t.state, t.ts, t.previous) == (DEGRADED, 240, DOWN)


def test_maintenance_hides_failures_and_the_check_after_it_decides() -> None:
    m = lab_machine()
    [t] = m.apply([o(KEC2, 0, FAILED, maintenance="firmware")])
    assert (t.state, t.ts, t.reason) == (MAINTENANCE, 0, "maintenance window 'firmware'")
    assert m.apply([o(KEC2, 60, FAILED, maintenance="firmware")]) == []
    # Still failing after the window: down at once (it failed all along), not back-dated into the window.
    [t] = m.apply([o(KEC2, 120, FAILED)])
    assert (t.state, t.ts, t.previous) == (DOWN, 120, MAINTENANCE)


def test_maintenance_ending_on_a_healthy_device_is_up() -> None:
    m = lab_machine()
    m.apply([o(KEC2, 0, OK, maintenance="w")])
    [t] = m.apply([o(KEC2, 60, OK)])
    assert (t.state, t.previous) == (UP, MAINTENANCE)


def test_a_parent_in_maintenance_that_fails_makes_children_unreachable() -> None:
    m = lab_machine()
    for ts in (0, 60):
        out = m.apply([o(KEC1, ts, FAILED, maintenance="w"), o(CAM1, ts, FAILED)])
    assert [(t.target_id, t.state) for t in out] == [(3, UNREACHABLE)]


def test_flapping_gives_one_notice_until_it_settles() -> None:
    m = lab_machine(down_after_failures=1, flap_changes=4, flap_window_s=600)
    seen = []
    ts = 0
    for _ in range(4):  # 8 changes in 8 minutes
        for status in (FAILED, OK):
            ts += 30
            seen += m.apply([o(KEC2, ts, status)])
    notices = m.take_notices()
    assert [(n.started, n.target_id) for n in notices] == [(True, 4)]
    assert [t.flapping for t in seen] == [False, False, False, True, True, True, True, True]
    m.apply([o(KEC2, ts + 300, OK)])
    assert m.take_notices() == []
    m.apply([o(KEC2, ts + 700, OK)])
    [settled] = m.take_notices()
    assert (settled.started, settled.ts) == (False, ts + 700)


def test_unknown_after_an_engine_gap_then_the_next_check_decides() -> None:
    m = lab_machine()
    m.apply([o(KEC2, 0, FAILED)])
    out = m.mark_unknown(500, "engine not running")
    assert {(t.target_id, t.state, t.previous, t.ts) for t in out} == {
        (1, UNKNOWN, UP, 500), (2, UNKNOWN, UP, 500), (3, UNKNOWN, UP, 500), (4, UNKNOWN, UP, 500)}
    assert m.mark_unknown(510, "again") == []
    assert m.apply([o(KEC2, 900, FAILED)]) == []  # the failure before the gap does not count
    [t] = m.apply([o(KEC2, 960, FAILED)])
    assert (t.state, t.ts, t.previous) == (DOWN, 900, UNKNOWN)
    [t] = m.apply([o(KEC1, 900, OK)])
    assert (t.state, t.previous) == (UP, UNKNOWN)


@pytest.mark.parametrize("admin, oper, state", [
    ("up", "up", UP), ("up", "down", DOWN), ("up", "lowerLayerDown", DOWN), ("up", "notPresent", DOWN),
    ("down", "down", UNKNOWN), ("up", "dormant", UP), ("up", "testing", DEGRADED), ("up", None, UNKNOWN),
])
def test_interface_state_from_admin_and_oper_status(admin: str, oper: str | None, state: str) -> None:
    assert interface_state(admin, oper)[0] == state


def test_interface_oper_changes_are_transitions() -> None:
    m = StateMachine()
    key = ("interface", 9)
    m.track(key, device_id=2)
    assert [t.state for t in m.apply_interface(key, admin_status="up", oper_status="up", ts=1)] == [UP]
    assert m.apply_interface(key, admin_status="up", oper_status="up", ts=2) == []
    [t] = m.apply_interface(key, admin_status="up", oper_status="down", ts=3)
    assert (t.state, t.previous, t.ts, t.device_id) == (DOWN, UP, 3, 2)


def test_settings_override_the_thresholds() -> None:
    cfg = StateConfig.from_settings({"polling.down_after_failures": 3, "polling.degraded_loss_pct": "10",
                                     "polling.flap_changes": "x"})
    assert (cfg.down_after_failures, cfg.degraded_loss_pct, cfg.flap_changes) == (3, 10.0, 4)


# -- maintenance windows -------------------------------------------------------------------------------------

JKT = ZoneInfo("Asia/Jakarta")


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=JKT).timestamp()


SUNDAY_NIGHT = Window(id=1, name="weekly", weekdays=(6,), start_minute=23 * 60, duration_min=180)  # Sun 23:00-02:00


@pytest.mark.parametrize("local, active", [
    ("2026-11-22 22:59", False),   # Sunday
    ("2026-11-22 23:00", True),
    ("2026-11-23 01:59", True),    # Monday, past midnight
    ("2026-11-23 02:00", False),
    ("2026-11-29 23:30", True),    # the next Sunday
])
def test_weekly_window_in_its_time_zone_across_midnight(local: str, active: bool) -> None:
    assert SUNDAY_NIGHT.is_active(at(local)) is active


def test_weekly_window_follows_the_window_zone_not_utc() -> None:
    wita = Window(id=2, name="w", weekdays=(0,), start_minute=8 * 60, duration_min=60, timezone="Asia/Makassar")
    assert wita.is_active(at("2026-11-23 07:30"))      # 08:30 WITA = 07:30 WIB
    assert not wita.is_active(at("2026-11-23 08:30"))  # 09:30 WITA


def test_one_off_window_and_its_targets() -> None:
    w = Window(id=3, name="site work", target_type="site", target_id=7, start_ts=1000, end_ts=2000)
    assert active_window([w], 1500, device_id=1, site_id=7) is w
    assert active_window([w], 1500, device_id=1, site_id=8) is None
    assert active_window([w], 2000, device_id=1, site_id=7) is None
    group = Window(id=4, name="g", target_type="group", target_id=2, start_ts=0, end_ts=10)
    device = Window(id=5, name="d", target_type="device", target_id=9, start_ts=0, end_ts=10)
    assert active_window([group, device], 5, device_id=9, group_id=3) is device
    assert active_window([group, device], 5, device_id=1, group_id=2) is group


def test_window_from_a_database_row() -> None:
    w = Window.from_row({"id": 1, "name": "x", "target_type": "all", "target_id": None, "start_ts": None,
                         "end_ts": None, "weekdays": "0, 2,4", "start_minute": 60, "duration_min": 30,
                         "timezone": "Asia/Jayapura"})
    assert w.weekdays == (0, 2, 4) and w.timezone == "Asia/Jayapura"
